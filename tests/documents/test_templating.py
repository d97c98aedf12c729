"""The Jinja2 environment: autoescape by extension, StrictUndefined, user folders first."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from rapportpaket.documents.pdf.build import build_context
from rapportpaket.documents.pdf.figures import EditionCharts
from rapportpaket.documents.templating import make_environment, packaged_template
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.score import score_edition
from rapportpaket.support.swedish import NBSP

from editions import PROJECT, write_edition

PACKAGED = PROJECT / "src" / "rapportpaket" / "templates"


def user_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "templates"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_html_is_escaped_and_text_is_not(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, {"probe.html": "{{ v }}", "probe.txt": "{{ v }}"})
    environment = make_environment(folder)
    value = "<b>Väsby & co</b>"
    assert environment.get_template("probe.html").render(v=value) == (
        "&lt;b&gt;Väsby &amp; co&lt;/b&gt;"
    )
    assert environment.get_template("probe.txt").render(v=value) == value


@pytest.mark.parametrize(
    ("name", "escaped"),
    [("mail/summary.txt", False), ("mail/summary.html", True), ("pdf/report.html", True),
     ("chart.svg", True), ("feed.xml", True)],
)  # fmt: skip
def test_autoescape_is_chosen_by_extension(name: str, escaped: bool) -> None:
    choose = make_environment().autoescape
    assert callable(choose)
    assert choose(name) is escaped


def test_undefined_variables_fail(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, {"probe.txt": "Hej {{ contact }}"})
    template = make_environment(folder).get_template("probe.txt")
    with pytest.raises(jinja2.UndefinedError, match="contact"):
        template.render()
    assert template.render(contact="Vera") == "Hej Vera"


def test_swedish_filters() -> None:
    template = make_environment().from_string(
        "{{ 1234.5|sv_number }} {{ -0.04|sv_signed }} {{ 81.4|sv_percent }} {{ 3|sv_rank(290) }}"
    )
    assert template.render() == f"1{NBSP}234,5 ±0,0 81{NBSP}% plats 3 av 290"


def test_a_user_template_overrides_the_packaged_one(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, {"pdf/cover.html": "<p>EGEN FÖRSTASIDA {{ report.kommun }}</p>"})
    results = score_edition(load_edition(write_edition(tmp_path / "ed")))
    context = build_context(EditionCharts.of(results), "0115")
    html = make_environment(folder).get_template("pdf/report.html").render(report=context)
    assert "<p>EGEN FÖRSTASIDA Vallentuna</p>" in html
    assert "cover-kicker" not in html
    packaged = make_environment().get_template("pdf/report.html").render(report=context)
    assert "EGEN FÖRSTASIDA" not in packaged and "cover-kicker" in packaged


def test_a_user_template_can_extend_the_packaged_one_by_prefix(tmp_path: Path) -> None:
    folder = user_folder(
        tmp_path,
        {
            "pdf/cover.html": '{% extends "default:pdf/cover.html" %}',
            "wrapped.html": '<div class="mine">{% include "default:pdf/cover.html" %}</div>',
        },
    )
    results = score_edition(load_edition(write_edition(tmp_path / "ed")))
    context = build_context(EditionCharts.of(results), "0115")
    environment = make_environment(folder)
    cover = environment.get_template("pdf/cover.html").render(report=context)
    # The same name does not recurse into itself: `default:` is the packaged file.
    assert cover == make_environment().get_template("pdf/cover.html").render(report=context)
    assert "Analys för Vallentuna kommun" in cover
    wrapped = environment.get_template("wrapped.html").render(report=context)
    assert wrapped.startswith('<div class="mine"><section class="cover">')


def test_packaged_template_reads_the_deck_bytes() -> None:
    data = packaged_template("deck/template.pptx").read_bytes()
    assert data == (PACKAGED / "deck" / "template.pptx").read_bytes()
    assert data[:2] == b"PK"
    assert (
        packaged_template("pdf/report.html")
        .read_text(encoding="utf-8")
        .startswith("<!DOCTYPE html>")
    )
    assert not packaged_template("pdf/none.html").is_file()
