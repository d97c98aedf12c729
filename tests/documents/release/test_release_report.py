"""The national report: read back with poppler (text, tags, metadata), on a small edition
and on the bundled one."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import pytest

from rapportpaket.documents.release.report import build_context, build_pdf, render_html
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.lists import NationalLists, national_lists
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import BUNDLED, TRICKY_NAME, write_release_edition
from tools import needs_program

EPOCH = "1733212800"  # 2024-12-03 08:00 UTC
Scored = tuple[EditionResults, NationalLists]


def scored(folder: Path) -> Scored:
    results = score_edition(load_edition(folder))
    return results, national_lists(results)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Scored:
    return scored(write_release_edition(tmp_path_factory.mktemp("release")))


@pytest.fixture(scope="module")
def bundled() -> Scored:
    return scored(BUNDLED)


def written(pdf: bytes, folder: Path) -> Path:
    path = folder / "riket.pdf"
    path.write_bytes(pdf)
    return path


def text_of(pdf: Path) -> str:
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return " ".join(raw.stdout.split())


def inflated(pdf: Path) -> bytes:
    raw = pdf.read_bytes()
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n", raw):
        try:
            parts.append(zlib.decompressobj().decompress(raw[match.end() :]))
        except zlib.error:
            continue
    return b"".join(parts)


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


def test_the_html_shows_every_list_and_escapes_names(small: Scored) -> None:
    html = render_html(build_context(*small))
    assert "Topplista: Totalindex" in html and "Klättrare" in html
    assert "Kommun 0119" in html and "Kommun 0120" in html  # both share rank 10
    assert TRICKY_NAME not in html  # escaped: a name is text, never markup
    assert "Kommun &#34;A&#34; &amp; &lt;B&gt;" in html
    assert "Register är en ny datakälla i år." in html
    assert html.count('<section class="chapter ranking"') == 3  # the total and two delindex


def test_the_context_words_the_lists(small: Scored) -> None:
    context = build_context(*small)
    assert [row.kommun for row in context.total.rows][-2:] == ["Kommun 0119", "Kommun 0120"]
    assert context.total.ties.startswith("Kommun 0119 och Kommun 0120 delar plats 10")
    assert [row.rank_change for row in context.climbers] == ["±0"] * 5
    assert context.climbers[0].change == "+32,5"
    assert [(c.source, c.change) for c in context.coverage] == [
        ("Enkät", "±0"), ("Register", "ny"), ("Webb", "±0"),
    ]  # fmt: skip
    assert context.missing[0].kommun == "Kommun 0123" and context.missing[0].sources == "Enkät"
    assert any("Kommun 0123" in s and "plats 12" in s for s in context.brief)


@needs_program("pdftotext", "poppler-utils")
def test_bundled_report_is_tagged_and_names_the_climbers(
    bundled: Scored, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    results, lists = bundled
    pdf = written(build_pdf(results, lists), tmp_path)
    meta = info(pdf)
    assert meta["Title"] == "Hemtjänstindex 2024 – resultat för riket"
    assert meta["Tagged"] == "yes" and meta["Page size"].endswith("(A4)")
    assert meta["CreationDate"].startswith("Tue Dec  3 08:00:00 2024")
    raw = inflated(pdf)
    assert b"/StructTreeRoot" in raw and b"/MarkInfo" in raw and b"/Lang (sv)" in raw
    text = text_of(pdf)
    assert "Klättrare" in text and len(lists.climbers) == 5
    for climber in lists.climbers:
        assert climber.municipality.kommun in text
    for top in (lists.top, *lists.top_by_delindex):
        for placing in top.placings:
            assert placing.municipality.kommun in text
    assert "delar plats 10" in text  # the bundled delindex lists have ties at rank 10
    assert "ska analyseras med försiktighet" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:])


@needs_program("pdftotext", "poppler-utils")
def test_without_a_previous_edition_the_report_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    results, lists = scored(write_release_edition(tmp_path / "ed", previous=False))
    pdf = written(build_pdf(results, lists), tmp_path)
    text = text_of(pdf)
    assert "Det finns ingen tidigare utgåva att jämföra med." in text
    assert "Förändring sedan" not in text
    assert TRICKY_NAME in text  # shown exactly as the edition spells it
    assert build_pdf(results, lists) == pdf.read_bytes()  # the same bytes again
