"""Accessibility read back from the PDF: an independent PDF/UA checker, table header
scopes, no character below 7.5 pt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent

from rapportpaket.documents.pdf.render import PdfRenderer
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import BUNDLED, write_edition

SMALLEST = 7.5  # points: no text in any report is smaller (issue: "no character below 7.5 pt")


@pytest.fixture(scope="module")
def bundled() -> EditionResults:
    return score_edition(load_edition(BUNDLED))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, bundled: EditionResults) -> list[Path]:
    """Växjö; a municipality without survey data; and the small fixture edition."""
    folder = tmp_path_factory.mktemp("ua")
    renderer = PdfRenderer()
    without_survey = next(
        r.kommunkod for r in bundled.municipalities
        if any(c.none and c.source == "Brukarundersökningen" for c in r.coverage)
    )  # fmt: skip
    paths = []
    for code in ("0780", without_survey):
        paths.append(folder / f"{code}.pdf")
        renderer.render(bundled, code, paths[-1])
    tiny = score_edition(load_edition(write_edition(folder / "ed")))
    paths.append(folder / "tiny.pdf")
    renderer.render(tiny, "0120", paths[-1])
    return paths


def test_the_independent_checker_finds_nothing(reports: list[Path]) -> None:
    checker = [sys.executable, "-m", "pdfua", "check", *map(str, reports)]
    done = subprocess.run(checker, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASS (no findings)") == len(reports)
    assert "skip" not in done.stdout  # every implemented rule could be evaluated


def struct_elements(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    found = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == pikepdf.Name(role):
                found.append(node)
            kids = node.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids else [])
    return found


def test_table_headers_carry_a_scope(reports: list[Path]) -> None:
    with pikepdf.open(reports[0]) as pdf:
        headers = struct_elements(pdf, "/TH")
        assert len(headers) > 100
        scopes = {str(th.A.Scope) for th in headers}
        assert scopes == {"/Column", "/Row"}  # column headers, row headers (indicators)
        assert struct_elements(pdf, "/Table")


def test_no_character_is_smaller_than_7_5_points(reports: list[Path]) -> None:
    for report in reports:
        sizes = {
            round(char.size, 2)
            for page in extract_pages(report)
            for char in _chars(page)
        }  # fmt: skip
        assert sizes and min(sizes) >= SMALLEST - 0.01, (report.name, sorted(sizes)[:5])


def _chars(component: LTComponent) -> list[LTChar]:
    if isinstance(component, LTChar):
        return [component]
    children = getattr(component, "_objs", [])
    return [char for child in children for char in _chars(child)]
