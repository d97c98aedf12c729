"""`rapportpaket release` and the release stage of `run`: files, embargo, exact lines."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.commands import release as release_command
from rapportpaket.commands.orders import import_order_files
from rapportpaket.commands.run import run_production
from rapportpaket.edition.load import load_edition
from rapportpaket.errors import BatchError, RenderError

from editions import PUBLISH_AT, write_edition, write_release_edition
from fakes import fake_renderer
from reference_lists import reference_lists

runner = CliRunner()
FILES = [
    "hemtjanstindex-2024.xlsx", "lists/climbers.csv", "lists/coverage.csv",
    "lists/missing-sources.csv", "lists/top-d1.csv", "lists/top-d2.csv", "lists/top.csv",
    "riket.pdf", "riket.pptx",
]  # fmt: skip


def written(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_release_writes_every_file_and_each_list_equals_the_method(tmp_path: Path) -> None:
    edition = write_release_edition(tmp_path / "e")
    out = tmp_path / "out"
    result = runner.invoke(app, ["release", str(edition), "--out", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "2024" / "riket"
    assert result.stdout == f"Wrote 9 files under {folder}\n"
    assert result.stderr == ""  # published in 2024: no embargo any more
    assert written(folder) == FILES
    for name, rows in reference_lists(load_edition(edition)).items():
        text = (folder / "lists" / name).read_text(encoding="utf-8")
        got = list(csv.DictReader(io.StringIO(text)))
        assert len(got) == len(rows), name
        for line, want in zip(got, rows, strict=True):
            assert list(line) == list(want), name
            for column, value in want.items():
                if isinstance(value, float):
                    assert float(line[column]) == pytest.approx(value, abs=1e-6)
                else:
                    assert line[column] == ("" if value is None else str(value)), (name, column)


def test_before_publication_the_files_are_written_but_embargoed(tmp_path: Path) -> None:
    edition = write_release_edition(tmp_path / "e", publish_at="2099-12-01T08:00:00+01:00")
    out = tmp_path / "out"
    result = runner.invoke(app, ["release", str(edition), "--out", str(out)])
    assert result.exit_code == 0
    assert result.stdout == f"Wrote 9 files under {out / '2024' / 'riket'}\n"
    assert result.stderr == (
        "Embargo: these files are embargoed until 2099-12-01T08:00:00+01:00 "
        "(tisdag 1 december 2099 kl. 08.00); do not publish them before then.\n"
    )
    assert written(out / "2024" / "riket") == FILES


def test_a_bad_edition_writes_nothing(tmp_path: Path) -> None:
    edition = write_edition(tmp_path / "e", values="kommunkod,indicator,value\n0114,WEB,7\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["release", str(edition), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "values.csv:2: value: " in result.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- run


PUBLISH = datetime.fromisoformat(PUBLISH_AT)


def test_run_writes_the_release_at_publication_never_before(tmp_path: Path) -> None:
    edition = write_release_edition(tmp_path / "e")
    out = tmp_path / "out"
    folder = out / "2024" / "riket"
    orders = tmp_path / "orders.csv"  # `run` works on a production state: one order
    orders.write_text(
        "ordered_at,kommun,email,contact\n2024-10-02T09:00:00+02:00,Kommun 0110,a@b.se,\n",
        encoding="utf-8",
    )
    import_order_files(edition, [orders], out=out, state_path=None, now=PUBLISH)

    def run(now: datetime) -> list[str]:
        report = run_production(edition, out=out, now=now, renderer=fake_renderer)
        assert report.failed == []
        return report.notes

    early = run(PUBLISH - timedelta(seconds=1))
    assert f"The release ({folder}) is due at 2024-12-03 08:00:00+01:00." in early
    assert not folder.exists()
    assert f"Release written to {folder}." in run(PUBLISH)
    assert written(folder) == FILES
    inodes = {name: (folder / name).stat().st_ino for name in FILES}
    assert not any("Release" in note for note in run(PUBLISH + timedelta(minutes=5)))
    assert {name: (folder / name).stat().st_ino for name in FILES} == inodes  # left alone
    (folder / "riket.pptx").unlink()  # as if a run was killed before the last file
    assert f"Release written to {folder}." in run(PUBLISH + timedelta(minutes=10))
    assert written(folder) == FILES


def test_a_failing_release_does_not_hold_back_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edition = write_release_edition(tmp_path / "e")
    out = tmp_path / "out"
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "ordered_at,kommun,email,contact\n2024-10-02T09:00:00+02:00,Kommun 0110,a@b.se,\n",
        encoding="utf-8",
    )
    import_order_files(edition, [orders], out=out, state_path=None, now=PUBLISH)

    def broken(results: object, out: Path) -> None:
        raise RenderError("the template is broken")

    monkeypatch.setattr(release_command, "write_release", broken)
    report = run_production(edition, out=out, now=PUBLISH, renderer=fake_renderer)
    assert report.failed == ["release: RenderError: the template is broken"]
    assert report.packages == ["Kommun 0110 (hti2024-0110-package-1)"]
    with pytest.raises(BatchError):
        report.raise_for_failures()  # exit 1: someone must look at it
