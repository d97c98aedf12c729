"""Writing verktyg.html: rendered once per edition, the municipality filled in per package."""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

import pytest

from rapportpaket.documents import palette
from rapportpaket.documents.package import render_part
from rapportpaket.documents.tool.data import edition_data, script_json
from rapportpaket.documents.tool.render import SLOT_MARK, ToolPage, ToolRenderer
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import BUNDLED, write_edition


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path_factory.mktemp("tool") / "ed")))


def script(html: str, ident: str) -> object:
    found = re.search(f'<script type="application/json" id="{ident}">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_a_page_splits_at_its_slots_and_fills_them(tiny: EditionResults) -> None:
    mark = SLOT_MARK
    page = ToolPage.split(tiny, f"<title>{mark}kommun{mark}</title>x{mark}json{mark}é")
    assert page.slots == ("kommun", "json")
    assert page.pieces == (b"<title>", b"</title>x", "é".encode())
    assert page.fill({"kommun": "Växjö", "json": "{}"}) == "<title>Växjö</title>x{}é".encode()
    with pytest.raises(KeyError):
        page.fill({"kommun": "Växjö"})


def test_the_tool_carries_the_edition_and_the_municipality(tiny: EditionResults) -> None:
    html = ToolRenderer().build(tiny, "0115").decode("utf-8")
    assert SLOT_MARK not in html
    assert "<title>Testindex 2024 – digitalt verktyg för Vallentuna</title>" in html
    assert '<h1 id="kommun">Vallentuna</h1>' in html
    assert script(html, "edition-data") == json.loads(script_json(edition_data(tiny)))
    own = script(html, "package-data")
    assert isinstance(own, dict) and own["code"] == "0115"
    assert palette.MUNICIPALITY in html and "{{" not in html  # the stylesheet was rendered
    # Three scripts, each closed once: nothing inside them closes one early.
    assert html.count("</script>") == 3
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in html


def test_packages_differ_only_in_the_municipality_s_part(tiny: EditionResults) -> None:
    renderer = ToolRenderer()
    one, other = renderer.build(tiny, "0114"), renderer.build(tiny, "0120")
    assert renderer.build(tiny, "0114") == one  # deterministic
    page = renderer.page(tiny)
    assert renderer.page(tiny) is page  # rendered once per edition
    for piece in page.pieces:
        assert piece in one and piece in other


def test_a_name_with_markup_is_escaped(tmp_path: Path) -> None:
    municipalities = "kommunkod,kommun,lan\n0114,<b>Å & Ö</b>,Län\n0115,Vallentuna,Län\n"
    values = "kommunkod,indicator,value,n\n0114,WEB,1,\n0115,WEB,0,\n"
    folder = write_edition(tmp_path / "ed", municipalities=municipalities, values=values)
    html = ToolRenderer().build(score_edition(load_edition(folder)), "0114").decode()
    assert '<h1 id="kommun">&lt;b&gt;Å &amp; Ö&lt;/b&gt;</h1>' in html
    assert "<b>Å" not in html


def test_a_user_template_folder_overrides_the_stylesheet(
    tiny: EditionResults, tmp_path: Path
) -> None:
    ours = tmp_path / "templates" / "tool"
    ours.mkdir(parents=True)
    (ours / "tool.css").write_text(
        '{% include "default:tool/tool.css" %}\nbody { font-family: "Our Font"; }\n'
    )
    target = render_part(tiny, "0114", "tool", tmp_path / "out", templates=tmp_path / "templates")
    html = target.read_text(encoding="utf-8")
    assert target.name == "verktyg.html"
    assert 'body { font-family: "Our Font"; }' in html and palette.BRAND in html


def test_a_package_costs_little_and_the_file_is_small(tmp_path: Path) -> None:
    results = score_edition(load_edition(BUNDLED))
    render_part(results, "0780", "tool", tmp_path)  # the edition's page, once per process
    seconds = []
    for result in results.municipalities[:25]:
        started = time.perf_counter()
        target = render_part(results, result.kommunkod, "tool", tmp_path)
        seconds.append(time.perf_counter() - started)
        assert target.stat().st_size <= 2_500_000
    assert statistics.median(seconds) < 0.05, seconds
