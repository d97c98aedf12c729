"""The CLI: exit codes and the exact lines users see."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.commands.scores import INDICATOR_COLUMNS, SCORE_COLUMNS

from editions import write_edition

runner = CliRunner()


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "scores", "render", "tool"):
        assert command in result.output


def test_validate_ok_prints_one_line(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0
    assert result.output == (
        f"{folder}: OK: Testindex 2024: 4 municipalities, 4 indicators in 2 delindex, "
        "12 values; publish_at 2024-12-03T08:00:00+01:00\n"
    )


def test_validate_bad_edition_exits_2_with_every_problem(tmp_path: Path) -> None:
    folder = write_edition(
        tmp_path / "e", values="kommunkod,indicator,value\n0114,WEB,7\n0114,X,1\n"
    )
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {folder}: 2 problem(s) found",
        f"{folder}/values.csv:2: value: 7 must be 0 or 1 for a binary indicator",
        f"{folder}/values.csv:3: indicator: unknown indicator 'X'",
    ]


def test_scores_to_stdout_has_the_documented_columns(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e")
    result = runner.invoke(app, ["scores", str(folder)])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == SCORE_COLUMNS
    assert rows[1][:4] == ["0114", "Upplands Väsby", "87.5", "1"]
    assert rows[1][-2:] == ["VANTE;NOJD;WEB", ""] or rows[1][-2] == ""


def test_scores_files_and_trend_columns(tmp_path: Path) -> None:
    write_edition(tmp_path / "2023")
    folder = write_edition(tmp_path / "2024", extra_toml='previous = "../2023"')
    out, indicators = tmp_path / "s.csv", tmp_path / "i.csv"
    result = runner.invoke(
        app, ["scores", str(folder), "--out", str(out), "--indicators", str(indicators)]
    )
    assert result.exit_code == 0 and result.stdout == ""
    header = out.read_text().splitlines()[0].split(",")
    assert header[-2:] == ["total_change", "rank_change"]
    lines = indicators.read_text().splitlines()
    assert tuple(lines[0].split(",")) == INDICATOR_COLUMNS
    assert "0120,NOJD,,0.0,,improvement,true,21.25,false" in lines


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", values="kommunkod,indicator,value\n0114,WEB,7\n")
    out = tmp_path / "out" / "s.csv"
    result = runner.invoke(app, ["scores", str(folder), "--out", str(out)])
    assert result.exit_code == 2
    assert not out.exists() and not out.parent.exists()


def test_unknown_municipality_gets_a_suggestion(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e")
    result = runner.invoke(app, ["render", str(folder), "--kommun", "Valentuna"])
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown municipality 'Valentuna' (did you mean Vallentuna?)\n"


def test_unused_column_warns_and_strict_makes_it_fatal(tmp_path: Path) -> None:
    folder = write_edition(
        tmp_path / "e", values="kommunkod,indicator,value,kommentar\n0114,WEB,1,x\n"
    )
    relaxed = runner.invoke(app, ["validate", str(folder)])
    assert relaxed.exit_code == 0
    warning = f"Warning: {folder}/values.csv:1: kommentar: column is not used and is ignored"
    assert relaxed.stderr.splitlines() == [warning]
    strict = runner.invoke(app, ["--strict", "validate", str(folder)])
    assert strict.exit_code == 2  # bad input, as the README says
    assert strict.stderr.splitlines() == [warning, "Error: 1 warning(s) with --strict"]
    after = runner.invoke(app, ["validate", str(folder), "--strict"])  # global option anywhere
    assert (after.exit_code, after.stderr) == (strict.exit_code, strict.stderr)
