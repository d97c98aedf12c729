"""Batches with the unit analysis: a package's three parts always share a pool."""

from __future__ import annotations

from rapportpaket.documents.batch import _chunks
from rapportpaket.documents.package import parts_of


def test_chunks_never_split_a_package() -> None:
    tasks = [
        (code, part) for code in ("0114", "0115", "0117", "0120")
        for part in parts_of(code in ("0115", "0117"))
    ]  # fmt: skip
    chunks = _chunks(tasks, 4)
    assert [len(c) for c in chunks] == [5, 5]  # 2 + 3 parts, then 3 + 2: never cut inside
    assert [t for c in chunks for t in c] == tasks
    for chunk in chunks:
        codes = [code for code, _ in chunk]
        assert all(codes.count(code) == len(parts_of(code in ("0115", "0117"))) for code in codes)
