"""The validate job: one summary line for a valid edition, every problem otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportpaket.commands.validate import validate_edition
from rapportpaket.errors import EditionError

from editions import DEFAULT_TOML, write_edition


def test_a_valid_edition_gives_one_line(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    assert validate_edition(folder) == (
        f"{folder}: OK: Testindex 2024: 4 municipalities, 4 indicators in 2 delindex, "
        "12 values; publish_at 2024-12-03T08:00:00+01:00"
    )


def test_values_without_data_are_not_counted(tmp_path: Path) -> None:
    values = "kommunkod,indicator,value\n0114,WEB,1\n0115,WEB,\n0117,NOJD,70\n"
    folder = write_edition(tmp_path / "ed", values=values)
    assert ", 2 values;" in validate_edition(folder)


def test_the_previous_edition_is_named(tmp_path: Path) -> None:
    previous = DEFAULT_TOML.format(extra="", w1=1, w2=1).replace("Testindex 2024", "Testindex 2023")
    write_edition(tmp_path / "2023", toml=previous)
    folder = write_edition(tmp_path / "2024", extra_toml='previous = "../2023"')
    assert validate_edition(folder).endswith(
        "publish_at 2024-12-03T08:00:00+01:00; previous: Testindex 2023"
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    values = "kommunkod,indicator,value\n0114,WEB,7\n0114,NOPE,1\n"
    folder = write_edition(tmp_path / "ed", values=values, extra_toml="embargo_hour = 2")
    with pytest.raises(EditionError) as raised:
        validate_edition(folder)
    problems = raised.value.problems
    assert len(problems) == 3
    assert {p.file for p in problems} == {str(folder / "edition.toml"), str(folder / "values.csv")}
    assert [p.column for p in problems if p.file.endswith("edition.toml")] == ["embargo_hour"]
    assert str(raised.value).startswith(f"{folder}: 3 problem(s) found\n")
    assert raised.value.exit_code == 2


def test_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(EditionError, match="not an edition folder"):
        validate_edition(tmp_path / "none")
