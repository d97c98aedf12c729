"""Where a package goes: OUT/<year>/<kommunkod>-<slug>, its three files, and the parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportpaket.documents.package import (
    DECK_NAME,
    PDF_NAME,
    TOOL_NAME,
    Package,
    package_folder,
    planned_package,
    render_part,
)
from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Municipality
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import write_edition


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path_factory.mktemp("pkg") / "ed")))


def test_package_folder_is_year_then_code_and_slug(results: EditionResults) -> None:
    edition = results.edition
    out = Path("/srv/out")
    vasby = edition.municipalities[0]
    assert package_folder(out, edition, vasby) == out / "2024" / "0114-upplands-vasby"
    odd = Municipality("2480", "Umeå / Ume (test)", "Västerbottens län")
    assert package_folder(out, edition, odd) == out / "2024" / "2480-umea-ume-test"


def test_planned_package_names_its_files(results: EditionResults, tmp_path: Path) -> None:
    package = planned_package(tmp_path, results, "0117")
    folder = tmp_path / "2024" / "0117-osteraker"
    files = (folder / "rapport.pdf", folder / "presentation.pptx", folder / "verktyg.html")
    assert package == Package("0117", folder, *files)
    assert package.files == (package.pdf, package.deck, package.tool)
    assert (PDF_NAME, DECK_NAME, TOOL_NAME) == ("rapport.pdf", "presentation.pptx", "verktyg.html")
    assert not folder.exists()  # planning writes nothing


def test_planned_package_of_an_unknown_municipality(
    results: EditionResults, tmp_path: Path
) -> None:
    with pytest.raises(KeyError):
        planned_package(tmp_path, results, "9999")


def test_an_unknown_part_is_refused(results: EditionResults, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown part of a package: 'xlsx'"):
        render_part(results, "0114", "xlsx", tmp_path)
    assert list(tmp_path.iterdir()) == []
