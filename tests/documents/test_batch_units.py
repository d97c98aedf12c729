"""Batches with the unit analysis: a package's parts always share a pool."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rapportpaket.documents.batch import _chunks, _without_raw_values, render_many
from rapportpaket.documents.package import parts_of
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.score import score_edition

from editions import BUNDLED, UNIT_VALUES, UNITS, write_edition


def test_chunks_never_split_a_package() -> None:
    tasks = [
        (code, part) for code in ("0114", "0115", "0117", "0120")
        for part in parts_of(code in ("0115", "0117"))
    ]  # fmt: skip
    chunks = _chunks(tasks, 4)
    # 3 + 4 parts (a cut after 4 would split 0115), 4, then 3: never cut inside a package
    assert [len(c) for c in chunks] == [7, 4, 3]
    assert [t for c in chunks for t in c] == tasks
    for chunk in chunks:
        codes = [code for code, _ in chunk]
        assert all(codes.count(code) == len(parts_of(code in ("0115", "0117"))) for code in codes)


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_workers_write_the_same_unit_analyses_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733212800")
    folder = write_edition(tmp_path / "ed", units=UNITS, unit_values=UNIT_VALUES)
    results = score_edition(load_edition(folder))
    codes = ["0114", "0115", "0117"]
    for jobs in (1, 2):
        outcomes = render_many(results, codes, tmp_path / str(jobs), jobs=jobs, units=["0117"])
        assert [o.ok for o in outcomes] == [True, True, True]
        assert [o.package.units is not None for o in outcomes if o.package] == [False, False, True]
    one, two = digests(tmp_path / "1"), digests(tmp_path / "2")
    assert one == two
    assert [name for name in one if name.endswith("enheter.pdf")] == [
        "2024/0117-osteraker/enheter.pdf"
    ]


def test_a_worker_gets_only_the_units_it_renders_and_the_national_figures() -> None:
    results = score_edition(load_edition(BUNDLED, with_previous=False))
    assert results.units is not None
    lean = _without_raw_values(results, keep_units=["0780"])
    assert lean.units is not None and len(lean.units.units) == 9
    assert (lean.units.national_count, lean.units.national_kommuner) == (1480, 290)
    assert lean.units.stats == results.units.stats
    assert _without_raw_values(results).units is None
