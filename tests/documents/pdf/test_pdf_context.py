"""Every PDF template renders with a real context: an undeclared variable fails here."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from rapportpaket.documents.pdf.render import PdfRenderer
from rapportpaket.documents.templating import make_environment, packaged_template
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.score import score_edition

from editions import write_edition


def test_every_pdf_template_renders_with_a_sample_context(tmp_path: Path) -> None:
    results = score_edition(load_edition(write_edition(tmp_path / "ed")))
    context = PdfRenderer().context(results, "0120")
    environment = make_environment()
    names = sorted(p.name for p in packaged_template("pdf").iterdir() if p.name.endswith(".html"))
    assert "report.html" in names and len(names) >= 8
    for name in names:
        chapter = context.chapters[0]
        html = environment.get_template(f"pdf/{name}").render(report=context, chapter=chapter)
        assert html.strip()


def test_an_undeclared_variable_fails(tmp_path: Path) -> None:
    environment = make_environment()
    template = environment.from_string("{{ report.no_such_field }}")
    results = score_edition(load_edition(write_edition(tmp_path / "ed")))
    with pytest.raises(jinja2.UndefinedError):
        template.render(report=PdfRenderer().context(results, "0114"))


def test_values_are_escaped(tmp_path: Path) -> None:
    municipalities = "kommunkod,kommun,lan\n0114,<b>Väsby</b>,Län\n0115,Vallentuna,Län\n"
    values = "kommunkod,indicator,value\n0114,WEB,1\n"
    folder = write_edition(tmp_path / "ed", municipalities=municipalities, values=values)
    results = score_edition(load_edition(folder))
    html = PdfRenderer().html(PdfRenderer().context(results, "0114"))
    assert "<b>Väsby</b>" not in html and "&lt;b&gt;Väsby&lt;/b&gt;" in html
