"""The tool's page in Chromium: the report's figures, views, filters, sorting, the URL
fragment, keyboard use, search, CSV export and accessibility (on the bundled edition)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from rapportpaket.documents import narrative, palette
from rapportpaket.documents.phrases import STATUS_WORDS
from rapportpaket.documents.tool.render import render_tool
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults, IndicatorResult
from rapportpaket.scoring.score import score_edition
from rapportpaket.support.swedish import sv_number, sv_rank, sv_signed, sv_value

from browser import chromium, needs_chromium, open_file
from editions import BUNDLED, VALUES, write_edition

pytestmark = needs_chromium

VAXJO, ALVESTA = "0780", "0764"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture(scope="module")
def bundled() -> EditionResults:
    return score_edition(load_edition(BUNDLED))


@pytest.fixture(scope="module")
def tools(bundled: EditionResults, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tools")
    for code in (VAXJO, ALVESTA):
        render_tool(bundled, code, folder / code / "verktyg.html")
    return {code: folder / code / "verktyg.html" for code in (VAXJO, ALVESTA)}


def rows(page: Page, table: str) -> list[list[str]]:
    found: list[list[str]] = page.eval_on_selector_all(
        f"#{table} tbody tr", "trs => trs.map(tr => [...tr.cells].map(c => c.innerText))"
    )
    return found


def fragment(page: Page) -> str:
    return str(page.evaluate("location.hash"))


def status_word(item: IndicatorResult) -> str:
    return STATUS_WORDS["missing" if item.missing else item.status]


def test_opens_offline_with_the_report_s_overview(
    browser: Browser, tools: dict[str, Path], bundled: EditionResults
) -> None:
    opened = open_file(browser, tools[VAXJO])
    page, result = opened.page, bundled.result_for(VAXJO)
    assert page.title() == "Hemtjänstindex 2024 (exempelutgåva) – digitalt verktyg för Växjö"
    assert page.inner_text("h1") == "Växjö"
    figures = page.inner_text("#keyfigures")
    assert sv_number(result.total) in figures and sv_rank(result.rank, 290) in figures
    assert result.group in figures
    assert page.inner_text("#summary") == narrative.summary_paragraph(bundled, result)
    cards = page.eval_on_selector_all("#delindex-cards .card", "cs => cs.map(c => c.innerText)")
    for card, part in zip(cards, result.delindex, strict=True):
        lines = [line for line in card.splitlines() if line]
        assert lines[:2] == [part.spec.name, f"{sv_number(part.value)} plats {part.rank} av 290"
                             f" · förändring {sv_signed(part.change or 0)}"]  # fmt: skip
        assert f"plats {part.rank} av 290" in card
    # One chart for the total and one per delindex, each with this municipality's bar.
    assert page.locator("svg[role=img]").count() == 1 + len(result.delindex)
    highlighted = f"svg rect[fill='{palette.MUNICIPALITY}']"
    assert page.locator(highlighted).count() == 1 + len(result.delindex)
    assert opened.requests == [tools[VAXJO].as_uri()]  # the file itself, nothing else
    assert opened.errors == []


def test_every_indicator_row_is_the_report_s(
    browser: Browser, tools: dict[str, Path], bundled: EditionResults
) -> None:
    page = open_file(browser, tools[VAXJO], "vy=indikatorer").page
    result = bundled.result_for(VAXJO)
    shown = rows(page, "indicator-table")
    assert len(shown) == len(result.indicators)
    for row, item in zip(shown, result.indicators, strict=True):
        name, value, previous, median, q3, percentile, n, interval, status = row
        stats, kind = bundled.stats_for(item.indicator.id), item.indicator.kind
        assert name.split("\n")[0] == item.indicator.name
        assert value == narrative.value_text(item, 2023)
        last_year = item.previous_value
        assert previous == ("–" if last_year is None else sv_value(last_year, kind))
        assert median == narrative.national_text(stats)
        assert q3 == sv_value(stats.q3_value, kind)
        expected = "–" if item.percentile is None else sv_number(item.percentile, 0)
        assert percentile == expected
        assert n == ("–" if item.n is None else sv_number(item.n, 0))
        assert (interval == "–") == (item.interval is None)
        assert status == status_word(item)


def test_filters_narrow_the_table_and_live_in_the_fragment(
    browser: Browser, tools: dict[str, Path], bundled: EditionResults
) -> None:
    page = open_file(browser, tools[VAXJO], "vy=indikatorer").page
    page.select_option("#f-delindex", "2")
    page.select_option("#f-status", "forbattring")
    expected = [
        i.indicator.name
        for i in bundled.result_for(VAXJO).indicators_in(2)
        if i.status == "improvement" and not i.missing
    ]
    assert [r[0].split("\n")[0] for r in rows(page, "indicator-table")] == expected
    assert page.inner_text("#indicator-count") == f"Visar {len(expected)} av 64 indikatorer."
    assert fragment(page) == "#vy=indikatorer&delindex=2&status=forbattring"
    # The same address opens the same view: a bookmark or a shared link.
    again = open_file(browser, tools[VAXJO], fragment(page)[1:]).page
    assert again.input_value("#f-delindex") == "2"
    assert again.input_value("#f-status") == "forbattring"
    assert rows(again, "indicator-table") == rows(page, "indicator-table")
    again.click("#f-clear")
    assert len(rows(again, "indicator-table")) == 64


def test_sorting_by_a_column_both_ways(browser: Browser, tools: dict[str, Path]) -> None:
    page = open_file(browser, tools[VAXJO], "vy=indikatorer").page
    header = page.locator("#indicator-table th[data-sort=percentil]")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    numbers = [int(r[5]) for r in rows(page, "indicator-table") if r[5] != "–"]
    assert numbers == sorted(numbers) and len(numbers) > 50
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    numbers = [int(r[5]) for r in rows(page, "indicator-table") if r[5] != "–"]
    assert numbers == sorted(numbers, reverse=True)
    assert fragment(page) == "#vy=indikatorer&sortera=percentil&ordning=fallande"
    names = page.locator("#indicator-table th[data-sort=indikator] button")
    names.click()
    shown = [r[0].split("\n")[0] for r in rows(page, "indicator-table")]
    assert shown[0] < shown[-1]


def test_the_keyboard_reaches_every_view_and_the_simulator(
    browser: Browser, tools: dict[str, Path], bundled: EditionResults
) -> None:
    page = open_file(browser, tools[VAXJO]).page
    page.keyboard.press("Tab")  # the first link: Översikt
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Prioritera"
    page.keyboard.press("Enter")
    assert page.is_visible("#vy-prioritera")
    assert page.evaluate("document.activeElement.id") == "h-prioritera"
    before = page.inner_text("#sim-result")
    first = page.locator("#sim-table input[type=checkbox]").first
    first.focus()
    page.keyboard.press("Space")
    assert page.inner_text("#sim-result") != before
    ticked = first.get_attribute("value")
    assert ticked is not None and ticked in fragment(page)
    assert page.get_attribute("#sim-result", "aria-live") == "polite"
    # The ticked set is what Python projects.
    ids = [r.result.indicator.id for r in bundled.result_for(VAXJO).forbattra]
    ids = [i.id for i in bundled.edition.indicators if i.id in {*ids, ticked}]
    total = bundled.projected_total(VAXJO, ids)
    assert page.inner_text("#sim-total") == sv_number(total)
    assert page.inner_text("#sim-rank") == f"{bundled.projected_rank(total)} av 290"


def test_search_is_forgiving_and_enter_adds_the_first_hit(
    browser: Browser, tools: dict[str, Path]
) -> None:
    page = open_file(browser, tools[ALVESTA], "vy=jamfor").page
    found = page.evaluate(
        "qs => qs.map(q => verktyg.search(q)[0])",
        ["Vaxjo", "VÄXJÖ", "malmo", "upplands vasby", "goteborg", "Stokholm", "1280"],
    )
    assert found == ["Växjö", "Växjö", "Malmö", "Upplands Väsby", "Göteborg", "Stockholm", "Malmö"]
    page.focus("#search")
    page.keyboard.type("Vaxjo")
    assert "Lägg till Växjö" in page.inner_text("#search-results")
    page.keyboard.press("Enter")
    assert page.inner_text("#chosen").startswith("Växjö")
    assert fragment(page) == "#vy=jamfor&jamfor=0780"
    assert page.evaluate("document.activeElement.id") == "search"
    names = [r[0] for r in rows(page, "compare-table")]
    assert names == ["Alvesta", "Växjö", "Rikets median"]  # by rank, then the country


def test_groups_compare_the_kommungrupp_and_the_lan(
    browser: Browser, tools: dict[str, Path], bundled: EditionResults
) -> None:
    page = open_file(browser, tools[VAXJO], "vy=jamfor").page
    me = bundled.result_for(VAXJO).municipality
    page.click("#add-group")
    group = {
        r.municipality.kommun
        for r in bundled.municipalities
        if r.municipality.kommungrupp == me.kommungrupp
    }
    assert {r[0] for r in rows(page, "compare-table")[:-1]} == group
    page.click("#clear-compare")
    page.click("#add-lan")
    lan = {r.municipality.kommun for r in bundled.municipalities if r.municipality.lan == me.lan}
    assert {r[0] for r in rows(page, "compare-table")[:-1]} == lan
    header = page.eval_on_selector_all(
        "#compare-indicators thead th", "ths => ths.map(t => t.innerText)"
    )
    assert len(header) == 1 + len(lan) + 1  # indicator, the municipalities, the country


def test_csv_export_opens_right_in_excel(
    browser: Browser, tools: dict[str, Path], bundled: EditionResults
) -> None:
    page = open_file(browser, tools[VAXJO], "vy=indikatorer&delindex=3").page
    with page.expect_download() as download:
        page.click("#export-indicators")
    assert download.value.suggested_filename == "hemtjanstindex-2024-0780-indikatorer.csv"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    table = list(csv.reader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))
    header, body = table[0], table[1:]
    items = bundled.result_for(VAXJO).indicators_in(3)
    assert header[:5] == ["Indikator", "Område", "Delindex", "Källa", "Värde"]
    assert [r[0] for r in body] == [i.indicator.name for i in items]
    column = header.index("Percentil")
    assert [r[column] for r in body] == [sv_number(i.percentile or 0, 0) for i in items]
    kontinuitet = next(r for r in body if r[0].startswith("Antal personal"))
    assert kontinuitet[4] == "13,5"  # a decimal comma, no unit
    assert not any("." in cell or "\u00a0" in cell for row in body for cell in row[4:12])


def test_views_and_their_state_open_from_the_fragment(
    browser: Browser, tools: dict[str, Path], bundled: EditionResults
) -> None:
    page = open_file(browser, tools[VAXJO], "vy=jamfor&jamfor=1280,0180,9999").page
    assert page.inner_text("#chosen").replace("×", "").split() == ["Malmö", "Stockholm"]
    assert "9999" in page.inner_text("#notice")
    page = open_file(browser, tools[VAXJO], "vy=exempel").page
    result = bundled.result_for(VAXJO)
    cards = page.eval_on_selector_all("#examples .example", "cs => cs.map(c => c.innerText)")
    assert len(cards) == len(result.forbattra)
    for card, recommendation in zip(cards, result.forbattra, strict=True):
        assert card.startswith(recommendation.result.indicator.name)
        for example in recommendation.examples:
            assert example.municipality.kommun in card
    page.select_option("#f-examples", "alla")
    assert page.locator("#examples .example").count() == 64
    assert fragment(page) == "#vy=exempel&exempel=alla"


@pytest.mark.parametrize(
    "view", ["", "vy=indikatorer", "vy=jamfor&jamfor=1280,0764", "vy=prioritera", "vy=exempel"]
)
@pytest.mark.parametrize("width", [1280, 420])
def test_no_serious_accessibility_violation(
    browser: Browser, tools: dict[str, Path], view: str, width: int
) -> None:
    opened = open_file(browser, tools[VAXJO], view, width=width)
    violations = Axe().run(opened.page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    # Narrow, the page does not scroll sideways; wide tables scroll in their own region.
    assert opened.page.evaluate("document.documentElement.scrollWidth") <= width
    assert opened.errors == []


def test_an_edition_without_trends_or_kommungrupp(browser: Browser, tmp_path: Path) -> None:
    municipalities = "kommunkod,kommun,lan\n0114,Upplands Väsby,A län\n0115,Vallentuna,A län\n"
    values = "".join(line + "\n" for line in VALUES.splitlines() if not line.startswith("012"))
    values = "".join(line + "\n" for line in values.splitlines() if not line.startswith("0117"))
    folder = write_edition(tmp_path / "ed", municipalities=municipalities, values=values)
    target = tmp_path / "verktyg.html"
    render_tool(score_edition(load_edition(folder)), "0115", target)
    for view in ("", "vy=indikatorer", "vy=jamfor&jamfor=0114", "vy=prioritera", "vy=exempel"):
        opened = open_file(browser, target, view)
        assert opened.errors == [], view
    page = opened.page
    page.click("nav a[data-view=indikatorer]")
    headers = page.eval_on_selector_all(
        "#indicator-table th", "ths => ths.map(t => t.dataset.sort)"
    )
    assert "forra" not in headers  # no previous edition, no last year's column
    page.click("nav a[data-view=jamfor]")
    assert page.is_hidden("#add-group")  # no kommungrupp to add
    header = page.eval_on_selector_all(
        "#compare-table th[scope=col]", "ths => ths.map(t => t.innerText)"
    )
    assert header[-1] == "Utförande"  # the last delindex: no change since a previous year
