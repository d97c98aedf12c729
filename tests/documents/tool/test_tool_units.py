"""The tool's unit view (issue 18): the unit analysis's facts and words, drawn in Chromium
only when the package includes the unit analysis."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from rapportpaket.documents.package import render_part
from rapportpaket.documents.tool.data import package_data, units_data
from rapportpaket.documents.tool.render import ToolRenderer
from rapportpaket.documents.units.build import build_units_context, build_units_summary
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from browser import chromium, needs_chromium, open_file
from editions import BUNDLED, UNIT_VALUES, UNITS, write_edition

VAXJO = "0780"


@pytest.fixture(scope="module")
def fixture_results(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    folder = write_edition(tmp_path_factory.mktemp("ed"), units=UNITS, unit_values=UNIT_VALUES)
    return score_edition(load_edition(folder))


def test_the_unit_data_is_the_unit_analysis_s(fixture_results: EditionResults) -> None:
    context = build_units_context(fixture_results, "0114")
    data = units_data(build_units_summary(fixture_results, "0114"))
    assert data["lead"] == context.overview_lead
    assert data["caption"] == context.overview_caption
    assert [row["name"] for row in data["overview"]] == [row.name for row in context.overview]
    assert [row["delindex"] for row in data["overview"]] == [
        list(row.delindex) for row in context.overview
    ]
    assert [m["name"] for m in data["means"]] == [s.name for s in context.sections]
    assert [m["alt"] for m in data["means"]] == [s.chart.alt for s in context.sections]
    assert [m["lead"] for m in data["means"]] == [s.lead for s in context.sections]
    assert [u["about"] for u in data["units"]] == [u.about for u in context.units]
    assert [u["improvements"] for u in data["units"]] == [
        [[f.name, f.detail] for f in u.improvements] for u in context.units
    ]
    assert [p["privat"] for p in data["providers"]] == [p.privat for p in context.providers]


def test_the_bars_are_the_units_means_highest_first(fixture_results: EditionResults) -> None:
    summary = build_units_summary(fixture_results, "0114")
    units = fixture_results.units
    assert units is not None
    for facts in summary.means:
        ranked = units.ranked("0114", facts.delindex_id)
        expected = [
            (u.unit.name, d.value, d.kommun_value)
            for u in ranked
            if (d := u.delindex_result(facts.delindex_id)).value is not None
        ]
        assert [(b.name, b.value, b.kommun) for b in facts.bars] == expected
        values = [b.value for b in facts.bars]
        assert values == sorted(values, reverse=True)


def test_only_a_package_with_the_unit_analysis_carries_it(fixture_results: EditionResults) -> None:
    assert package_data(fixture_results, "0114", {})["units"] is None
    assert package_data(fixture_results, "0114", {}, units=True)["units"]["count"] == 2


def embedded_package(html: bytes) -> dict[str, object]:
    found = re.search(rb'<script type="application/json" id="package-data">(.*?)</script>', html)
    assert found is not None
    loaded: dict[str, object] = json.loads(found.group(1))
    return loaded


def test_render_part_gives_the_tool_its_unit_view_with_the_unit_analysis(
    fixture_results: EditionResults, tmp_path: Path
) -> None:
    with_units = render_part(fixture_results, "0114", "tool", tmp_path / "a", units=True)
    without = render_part(fixture_results, "0114", "tool", tmp_path / "b")
    assert embedded_package(with_units.read_bytes())["units"] is not None
    assert embedded_package(without.read_bytes())["units"] is None


# --------------------------------------------------------------------------- in Chromium

browser_test = needs_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture(scope="module")
def bundled() -> EditionResults:
    return score_edition(load_edition(BUNDLED))


@pytest.fixture(scope="module")
def tools(bundled: EditionResults, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tools")
    renderer = ToolRenderer()
    paths = {}
    for name, units in (("units", True), ("plain", False)):
        paths[name] = folder / name / "verktyg.html"
        paths[name].parent.mkdir()
        paths[name].write_bytes(renderer.build(bundled, VAXJO, units=units))
    return paths


@browser_test
def test_the_unit_view_shows_every_unit_as_the_unit_analysis_does(
    browser: Browser, tools: dict[str, Path], bundled: EditionResults
) -> None:
    summary = build_units_summary(bundled, VAXJO)
    assert summary.unit_count > 1  # the bundled edition gives Växjö several units
    opened = open_file(browser, tools["units"], "vy=enheter")
    page = opened.page
    assert page.is_visible("#nav-enheter")
    assert page.is_visible("#vy-enheter") and not page.is_visible("#vy-oversikt")
    assert page.inner_text("#units-lead").startswith(summary.overview_lead)
    rows = page.eval_on_selector_all(
        "#units-table tbody tr", "trs => trs.map(tr => [...tr.cells].map(c => c.innerText))"
    )
    assert [r[0].splitlines() for r in rows] == [[o.name, o.provider] for o in summary.overview]
    assert [r[1:-2] for r in rows] == [list(o.delindex) for o in summary.overview]
    charts = page.eval_on_selector_all(
        "#units-delindex svg title", "ts => ts.map(t => t.textContent)"
    )
    assert charts == [facts.alt for facts in summary.means]
    bars = page.eval_on_selector_all(
        "#units-delindex svg", "ss => ss.map(s => s.querySelectorAll('rect').length)"
    )
    assert bars == [len(facts.bars) for facts in summary.means]
    names = page.eval_on_selector_all("#each-unit summary", "ss => ss.map(s => s.innerText)")
    assert [n.split(" · ")[0] for n in names] == [u.name for u in summary.units]
    page.click("#each-unit details:first-child summary")
    shown = page.inner_text("#each-unit details:first-child")
    first = summary.units[0]
    for finding in first.strengths + first.improvements + first.below:
        assert f"{finding.name}: {finding.detail}" in shown
    if summary.providers:
        cells = page.eval_on_selector_all(
            "#providers tbody tr", "trs => trs.map(tr => [...tr.cells].map(c => c.innerText))"
        )
        assert cells == [[p.name, p.kommunal, p.privat, p.national] for p in summary.providers]
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    assert opened.errors == [] and opened.remote_requests == []


@browser_test
def test_without_the_unit_analysis_there_is_no_unit_view(
    browser: Browser, tools: dict[str, Path]
) -> None:
    opened = open_file(browser, tools["plain"], "vy=enheter")
    page = opened.page
    assert not page.is_visible("#nav-enheter")
    assert page.is_visible("#vy-oversikt") and not page.is_visible("#vy-enheter")
    assert opened.errors == []


@browser_test
def test_a_municipality_without_units_is_told_so_without_an_empty_table(
    browser: Browser, fixture_results: EditionResults, tmp_path: Path
) -> None:
    path = render_part(fixture_results, "0120", "tool", tmp_path, units=True)
    summary = build_units_summary(fixture_results, "0120")
    opened = open_file(browser, path, "vy=enheter")
    page = opened.page
    assert page.inner_text("#units-lead").startswith(summary.overview_lead)
    assert not page.is_visible("#units-table") and not page.is_visible("#units-note")
    assert page.eval_on_selector_all("#each-unit details", "ds => ds.length") == 0
    assert opened.errors == []
