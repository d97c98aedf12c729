"""The scores export: unrounded CSV with `.` decimals, written atomically or returned."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from rapportpaket.commands.scores import (
    INDICATOR_COLUMNS,
    SCORE_COLUMNS,
    TREND_COLUMNS,
    export_scores,
)
from rapportpaket.errors import EditionError, UsageError

from editions import DEFAULT_TOML, write_edition


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_without_out_the_text_is_returned_and_nothing_written(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    text = export_scores(folder)
    assert text is not None
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert text.splitlines()[0] == ",".join(SCORE_COLUMNS)
    table = rows(text)
    assert [r["kommunkod"] for r in table] == ["0114", "0115", "0117", "0120"]
    vasby = table[0]
    assert (vasby["total"], vasby["rank"], vasby["group"], vasby["percentile"]) == (
        "87.5", "1", "Högt resultat", "87.5",
    )  # fmt: skip
    assert (vasby["d1"], vasby["d1_rank"], vasby["d2"], vasby["d2_rank"]) == (
        "95.0",
        "1",
        "80.0",
        "1",
    )
    assert (vasby["d3"], vasby["d4_rank"]) == ("", "")  # the edition has two delindex
    assert vasby["forbattra"] == "" and vasby["bibehall"] == "VANTE;NOJD;WEB"
    assert table[2]["forbattra"] == "VANTE;FEL;NOJD"


def test_unrounded_numbers(tmp_path: Path) -> None:
    text = export_scores(write_edition(tmp_path / "ed", weights=(1.0, 2.0)))
    assert text is not None
    # Vallentuna: (40 + 2·60)/3 = 53.333…, written in full.
    assert rows(text)[1]["total"] == repr(160 / 3)


def test_out_is_written_whole_and_nothing_is_returned(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    out = tmp_path / "exports" / "deep" / "scores.csv"
    indicators = tmp_path / "exports" / "indicators.csv"
    assert export_scores(folder, out=out, indicators_out=indicators) is None
    assert out.read_text(encoding="utf-8") == export_scores(folder)
    table = rows(indicators.read_text(encoding="utf-8"))
    assert list(table[0]) == list(INDICATOR_COLUMNS)
    assert len(table) == 16
    fel = next(r for r in table if (r["kommunkod"], r["indicator"]) == ("0117", "FEL"))
    assert float(fel.pop("gain")) == pytest.approx(87.5 / 6)  # ⅙ · (Q3 87.5 − 0)
    assert fel == {
        "kommunkod": "0117", "indicator": "FEL", "value": "", "score": "0.0", "percentile": "",
        "status": "improvement", "missing": "true", "from_previous": "false",
    }  # fmt: skip
    assert list(tmp_path.rglob(".*.tmp")) == []


def test_indicators_alone_still_return_the_scores(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    indicators = tmp_path / "indicators.csv"
    text = export_scores(folder, indicators_out=indicators)
    assert text is not None and text.startswith("kommunkod,kommun,total,")
    assert indicators.read_text(encoding="utf-8").startswith(",".join(INDICATOR_COLUMNS) + "\n")


def test_an_existing_file_is_replaced_only_by_a_whole_export(tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    out.write_text("last year's scores\n", encoding="utf-8")
    bad = write_edition(tmp_path / "bad", values="kommunkod,indicator,value\n0114,WEB,7\n")
    with pytest.raises(EditionError):
        export_scores(bad, out=out)
    assert out.read_text(encoding="utf-8") == "last year's scores\n"
    export_scores(write_edition(tmp_path / "ed"), out=out)
    assert out.read_text(encoding="utf-8").startswith("kommunkod,")


def test_trend_columns_with_a_previous_edition(tmp_path: Path) -> None:
    previous = DEFAULT_TOML.format(extra="", w1=1, w2=1).replace("year = 2024", "year = 2023")
    write_edition(
        tmp_path / "2023", toml=previous, values="kommunkod,indicator,value\n0117,WEB,1\n"
    )
    text = export_scores(write_edition(tmp_path / "2024", extra_toml='previous = "../2023"'))
    assert text is not None
    assert text.splitlines()[0] == ",".join(SCORE_COLUMNS + TREND_COLUMNS)
    # 2023: Österåker 25 (first); now 42.5, third.
    osteraker = rows(text)[2]
    assert (osteraker["total_change"], osteraker["rank_change"]) == ("17.5", "-2")


def test_out_dash_is_standard_output(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    assert export_scores(folder, out=Path("-")) == export_scores(folder)
    both = export_scores(folder, out=tmp_path / "s.csv", indicators_out=Path("-"))
    assert both is not None and both.startswith(",".join(INDICATOR_COLUMNS))
    assert not Path("-").exists()


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    """Issue 17 #9: the link stays a link; its target gets the new content."""
    folder = write_edition(tmp_path / "ed")
    target = tmp_path / "real" / "scores.csv"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    export_scores(folder, out=link)
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text().startswith(",".join(SCORE_COLUMNS))


def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    """Issue 17 #9: `--out /dev/null` as root replaced the device with a file; a FIFO
    (through a link, too) stands for any such target here."""
    import os

    folder = write_edition(tmp_path / "ed")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "to-pipe").symlink_to(fifo)
    for target in (fifo, tmp_path / "to-pipe", tmp_path):
        with pytest.raises(UsageError, match="not a regular file; refusing to replace it"):
            export_scores(folder, out=target)
    assert fifo.is_fifo()
