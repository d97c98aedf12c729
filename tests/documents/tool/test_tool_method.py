"""The tool, in Chromium, shows what the method computes and prints it as the report does.

The simulator (method.md §11) is checked against `tests/reference_method.py`, a literal
reading of the method sharing no code with the program, on editions generated here that
no one has looked at; and against `EditionResults.projected_total`/`projected_rank`, to
the last bit. Swedish number formatting in the script is checked against support.swedish.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from rapportpaket.documents.package import Package, render_package
from rapportpaket.documents.tool.render import render_tool
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition
from rapportpaket.support.swedish import sv_number, sv_percent, sv_signed, sv_value

from browser import chromium, needs_chromium, open_file
from editions import BUNDLED
from reference_method import projection, reference

pytestmark = needs_chromium

SOURCES = ("Brukarundersökningen", "Kolada", "Kommunernas webbplatser")
LAN = ("Norrlands län", "Mellersta län", "Södra län")
GROUPS = ("Storstad", "Landsbygd", "Pendlingskommun")
# A name that must be escaped in HTML and in the JSON inside <script>.
AWKWARD = 'Å</script><b>"&amp;'


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def write_unseen_edition(folder: Path, seed: int) -> Path:
    """Write a random edition (and its previous one, for trends and stand-ins)."""
    rng = random.Random(seed)
    count = rng.randint(25, 45)
    municipalities = ["kommunkod,kommun,lan,kommungrupp"] + [
        f"{1000 + k:04d},{AWKWARD if k == 3 else f'Ort {k} Ö'},{rng.choice(LAN)},"
        f"{rng.choice(GROUPS)}"
        for k in range(count)
    ]
    indicators = ["id,delindex,area,name,source,kind,higher_is_better,weight,min,max"]
    for j in range(rng.randint(10, 18)):
        kind = rng.choice(("binary", "percent", "percent", "number"))
        bounds = "0,30" if kind == "number" else ","
        indicators.append(
            f"I{j},{1 + j % 3},Område {j % 4},Indikator {j} (%),{rng.choice(SOURCES)},{kind},"
            f"{rng.choice(('true', 'true', 'false'))},{rng.choice((1, 1, 2, 0.5))},{bounds}"
        )
    root = folder / f"seed{seed}"
    for year, name in ((2024, "now"), (2023, "before")):
        values = ["kommunkod,indicator,value,n"]
        for line in indicators[1:]:
            ident, kind = line.split(",")[0], line.split(",")[5]
            for k in range(count):
                if rng.random() < 0.08:
                    continue  # missing
                values.append(f"{1000 + k:04d},{ident},{_value(rng, kind)}")
        extra = (
            'previous = "../before"\n[fallback]\nsources = ["Kolada"]\n' if name == "now" else ""
        )
        toml = (
            f'name = "Slumpindex {year}"\nyear = {year}\n'
            f'publish_at = "{year}-12-03T08:00:00+01:00"\nembargo_hours = 24\n{extra}'
            + "".join(
                f'[[delindex]]\nid = {d}\nname = "Delindex {d}"\nweight = {w}\n'
                for d, w in ((1, 1.0), (2, 2.0), (3, 1.5))
            )
        )
        target = root / name
        target.mkdir(parents=True)
        (target / "edition.toml").write_text(toml, encoding="utf-8")
        (target / "municipalities.csv").write_text("\n".join(municipalities) + "\n")
        (target / "indicators.csv").write_text("\n".join(indicators) + "\n")
        (target / "values.csv").write_text("\n".join(values) + "\n")
    return root / "now"


def _value(rng: random.Random, kind: str) -> str:
    if kind == "binary":
        return f"{rng.choice((0, 1))},"
    if kind == "number":
        return f"{rng.uniform(0, 30):.2f},"
    n = rng.choice(("", str(rng.randint(15, 900))))
    return f"{rng.randint(20, 100) if rng.random() < 0.5 else round(rng.uniform(20, 100), 1)},{n}"


@pytest.fixture(scope="module", params=[11, 29])
def unseen(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[EditionResults, Package]:
    folder = write_unseen_edition(tmp_path_factory.mktemp("unseen"), request.param)
    results = score_edition(load_edition(folder))
    # The one with the most improvement areas: its simulator has the most to do.
    chosen = max(results.municipalities, key=lambda r: (len(r.improvements), r.kommunkod))
    package = render_package(results, chosen.kommunkod, tmp_path_factory.mktemp("package"))
    return results, package


def test_a_package_of_an_unseen_edition_shows_the_method_s_projection(
    browser: Browser, unseen: tuple[EditionResults, Package]
) -> None:
    results, package = unseen
    edition, code = results.edition, package.kommunkod
    own = reference(edition)[code]
    ids = own.forbattra  # the method's Förbättra, computed independently
    total, projected, rank = projection(edition, code, ids)
    opened = open_file(browser, package.tool, "forbattra=" + ",".join(ids))
    page = opened.page
    count = len(edition.municipalities)
    name = next(m.kommun for m in edition.municipalities if m.kommunkod == code)
    assert page.inner_text("#kommun") == name
    assert page.inner_text("#sim-total-now") == sv_number(total)
    assert page.inner_text("#sim-rank-now") == f"{own.rank} av {count}"
    assert page.inner_text("#sim-total") == sv_number(projected)
    assert page.inner_text("#sim-rank") == f"{rank} av {count}"
    assert page.inner_text("#sim-delta") == sv_signed(projected - total)
    assert page.is_visible("#vy-prioritera") and not page.is_visible("#vy-oversikt")
    checked = page.eval_on_selector_all(
        "#sim-table input:checked", "boxes => boxes.map(b => b.value)"
    )
    assert sorted(checked) == sorted(ids)
    assert opened.errors == []
    assert opened.remote_requests == []
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_an_awkward_name_is_text_everywhere(
    browser: Browser, unseen: tuple[EditionResults, Package], tmp_path: Path
) -> None:
    results, _ = unseen
    awkward = next(r for r in results.municipalities if r.municipality.kommun == AWKWARD)
    target = tmp_path / "verktyg.html"
    render_tool(results, awkward.kommunkod, target)
    opened = open_file(browser, target)
    assert opened.page.inner_text("#kommun") == AWKWARD
    assert opened.page.title().endswith(AWKWARD)
    assert opened.page.locator("b").count() == 0  # the name's markup stayed text
    assert opened.errors == []


def test_the_simulator_is_python_s_to_the_last_bit(
    browser: Browser, unseen: tuple[EditionResults, Package]
) -> None:
    results, package = unseen
    code = package.kommunkod
    page = open_file(browser, package.tool).page
    ids = [i.id for i in results.edition.indicators]
    rng = random.Random(7)
    for size in (0, 1, 2, 3, 5, len(ids)):
        chosen = rng.sample(ids, size)
        got = page.evaluate("ids => verktyg.simulate(ids)", chosen)
        expected = results.projected_total(code, chosen)
        assert got["total"] == expected  # the same doubles, summed in the same order
        assert got["rank"] == results.projected_rank(expected)
        _, projected, rank = projection(results.edition, code, chosen)
        assert got["total"] == pytest.approx(projected, abs=1e-9)
        assert got["rank"] == rank


def test_ranks_compare_totals_at_nine_decimals(
    browser: Browser, unseen: tuple[EditionResults, Package]
) -> None:
    results, package = unseen
    page = open_file(browser, package.tool).page
    own = next(i for i, r in enumerate(results.municipalities) if r.kommunkod == package.kommunkod)
    others = [r.total for r in results.municipalities if r.kommunkod != package.kommunkod]
    cases = [t + offset for t in others[:12] for offset in (-1e-7, -1e-11, 0.0, 1e-11, 1e-7)]
    got = page.evaluate(
        "([own, totals]) => totals.map(t => verktyg.projectedRank(own, t))", [own, cases]
    )
    expected = [1 + sum(1 for t in others if round(t, 9) > round(case, 9)) for case in cases]
    assert got == expected
    # A total within 1e-11 of another shares its rank; 1e-7 below does not.
    assert got[1:4] == [got[2]] * 3 and got[0] > got[2]


@pytest.fixture(scope="module")
def bundled_tool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    results = score_edition(load_edition(BUNDLED))
    target = tmp_path_factory.mktemp("bundled") / "verktyg.html"
    render_tool(results, "0780", target)
    return target


TRICKY = [
    0.0, -0.0, 0.04, -0.04, 0.05, -0.05, 0.25, 0.35, 0.45, 0.5, 1.005, 1.45, 2.5, 3.5,
    12.5, 72.5, 99.95, 99.99, 1234.55, -1234.5, 1e-20, 123456.789, 0.125, 0.375, 2.675,
]  # fmt: skip


def test_numbers_are_formatted_as_support_swedish_formats_them(
    browser: Browser, bundled_tool: Path
) -> None:
    page = open_file(browser, bundled_tool).page
    rng = random.Random(3)
    values = TRICKY + [rng.uniform(-200, 200) for _ in range(300)]
    values += [round(rng.uniform(0, 100), 2) for _ in range(300)]  # ties at fewer decimals
    for decimals in (0, 1, 2):
        got = page.evaluate(
            "([xs, d]) => xs.map(x => [verktyg.svNumber(x, d), verktyg.svSigned(x, d),"
            " verktyg.svPercent(x, d)])",
            [values, decimals],
        )
        expected = [[sv_number(x, decimals), sv_signed(x, decimals), sv_percent(x, decimals)]
                    for x in values]  # fmt: skip
        assert got == expected
    for kind in ("binary", "percent", "number"):
        shown = page.evaluate(
            "([xs, kind]) => xs.map(x => verktyg.svValue(x, kind))", [[None, *values], kind]
        )
        assert shown == [sv_value(x, kind) for x in [None, *values]]


def test_rounding_to_nine_decimals_is_python_s(browser: Browser, bundled_tool: Path) -> None:
    page = open_file(browser, bundled_tool).page
    rng = random.Random(5)
    values = [rng.uniform(-100, 100) for _ in range(500)]
    values += [round(rng.uniform(0, 100), 9) + 5e-10 for _ in range(200)]  # near the tie
    got = page.evaluate("xs => xs.map(x => verktyg.roundTo(x, 9))", values)
    assert got == [round(x, 9) for x in values]
