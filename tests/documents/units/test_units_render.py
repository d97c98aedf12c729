"""`enheter.pdf` checked by structure: every unit named, tagged PDF/UA in Swedish, same bytes
for the same input; made by `render --enheter` and never without it."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.documents.units.render import UnitsRenderer
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import BUNDLED, UNIT_VALUES, UNITS, write_edition
from tools import needs_program

pytestmark = needs_program("pdftotext", "poppler-utils")
EPOCH = "1733212800"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    folder = write_edition(tmp_path_factory.mktemp("ed"), units=UNITS, unit_values=UNIT_VALUES)
    return score_edition(load_edition(folder))


def text_of(pdf: Path) -> str:
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return " ".join(raw.stdout.split())


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


def inflated(pdf: Path) -> bytes:
    raw = pdf.read_bytes()
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n", raw):
        try:
            parts.append(zlib.decompressobj().decompress(raw[match.end() :]))
        except zlib.error:
            continue
    return b"".join(parts)


def test_the_text_has_what_the_units_scored(
    tiny: EditionResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    pdf = tmp_path / "enheter.pdf"
    UnitsRenderer().render(tiny, "0114", pdf)
    text = text_of(pdf)
    for words in (
        "Enhetsanalys för Upplands Väsby kommun", "Enheterna i korthet", "Information",
        "Utförande", "Kommunala och privata enheter", "Enhet för enhet", "Metod",
        "Hemtjänst Norr", "Omsorg Söder", "Privat (Söder Omsorg AB)", "97,5 (2)",
        "I övrigt tydligt under kommunens värde",
    ):  # fmt: skip
        assert words in text, words
    meta = info(pdf)
    assert meta["Title"] == "Hemtjänstindex 2024 – enhetsanalys för Upplands Väsby"
    assert meta["Tagged"] == "yes" and meta["Page size"].endswith("(A4)")
    raw = inflated(pdf)
    assert b"/StructTreeRoot" in raw and b"/Lang (sv)" in raw
    # Every chart has its alternative text: two delindex charts and one survey item's.
    assert raw.count(b"/Alt (") + raw.count(b"/Alt <") == 3


def test_same_input_gives_the_same_bytes(
    tiny: EditionResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    UnitsRenderer().render(tiny, "0117", first)
    UnitsRenderer().render(tiny, "0117", second)
    assert first.read_bytes() == second.read_bytes()


def test_a_municipality_without_units_gets_a_document_that_says_so(
    tiny: EditionResults, tmp_path: Path
) -> None:
    pdf = tmp_path / "enheter.pdf"
    UnitsRenderer().render(tiny, "0120", pdf)
    assert "Utgåvan har inga uppgifter per hemtjänstenhet för Värmdö." in text_of(pdf)


def test_render_enheter_writes_a_tagged_unit_analysis_naming_every_unit(tmp_path: Path) -> None:
    edition = load_edition(BUNDLED, with_previous=False)
    out = tmp_path / "out"
    args = ["render", str(BUNDLED), "--kommun", "Växjö", "--out", str(out), "--jobs", "2"]
    done = CliRunner().invoke(app, [*args, "--enheter"])
    assert done.exit_code == 0, done.output
    folder = out / "2024" / "0780-vaxjo"
    assert f"{folder / 'enheter.pdf'}," in done.stdout.replace("\n", "")
    pdf = folder / "enheter.pdf"
    assert info(pdf)["Tagged"] == "yes"
    text = text_of(pdf)
    names = [u.name for u in edition.units_of("0780")]
    assert len(names) == 9 and all(name in text for name in names)
    # Without --enheter the package has no unit analysis, and an earlier one is removed.
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "presentation.pptx",
        "rapport.pdf",
        "verktyg.html",
    ]
