"""The template deck: layouts found by name, placeholders measured, stable package bytes."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pptx import Presentation

from rapportpaket.documents.deck.template import (
    LAYOUTS,
    layouts_by_name,
    measure_placeholder,
    normalise_package,
    read_template,
)
from rapportpaket.documents.templating import packaged_template
from rapportpaket.errors import RenderError

CORE = (
    '<?xml version="1.0"?><cp:coreProperties xmlns:cp="c" xmlns:dcterms="d">'
    '<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
    "</cp:coreProperties>"
)
ZipTime = tuple[int, int, int, int, int, int]
STAMP = datetime(2024, 12, 3, 8, 0, 0, tzinfo=timezone(timedelta(hours=1)))


def package(written: ZipTime, when: str) -> bytes:
    """Return a small OOXML-like zip written at `written` with core dates `when`."""
    inner = BytesIO()
    with zipfile.ZipFile(inner, "w") as workbook:
        workbook.writestr(zipfile.ZipInfo("docProps/core.xml", written), CORE.format(when=when))
    entries = (
        ("docProps/core.xml", CORE.format(when=when).encode()),
        ("ppt/slides/slide1.xml", b"<p:sld/>"),
        ("ppt/embeddings/Microsoft_Excel_Worksheet.xlsx", inner.getvalue()),
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, written), data)
    return out.getvalue()


def core_dates(xml: bytes) -> list[str]:
    return re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", xml.decode())


def test_equal_content_gives_equal_bytes() -> None:
    first = package((2025, 1, 2, 3, 4, 6), "2025-01-02T03:04:05Z")
    second = package((2026, 6, 7, 8, 9, 10), "2026-06-07T08:09:10Z")
    assert first != second
    assert normalise_package(first, STAMP) == normalise_package(second, STAMP)
    assert normalise_package(first, STAMP) != normalise_package(first, STAMP + timedelta(days=1))


def test_zip_times_and_core_dates_are_stamped_also_inside_workbooks() -> None:
    data = normalise_package(package((2025, 1, 2, 3, 4, 6), "2025-01-02T03:04:05Z"), STAMP)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == [
            "docProps/core.xml", "ppt/slides/slide1.xml",
            "ppt/embeddings/Microsoft_Excel_Worksheet.xlsx",
        ]  # fmt: skip
        assert {i.date_time for i in infos} == {(2024, 12, 3, 7, 0, 0)}  # in UTC
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert {i.create_system for i in infos} == {0}
        assert core_dates(archive.read("docProps/core.xml")) == ["2024-12-03T07:00:00Z"] * 2
        assert archive.read("ppt/slides/slide1.xml") == b"<p:sld/>"
        embedded = archive.read("ppt/embeddings/Microsoft_Excel_Worksheet.xlsx")
    with zipfile.ZipFile(BytesIO(embedded)) as workbook:
        assert workbook.infolist()[0].date_time == (2024, 12, 3, 7, 0, 0)
        assert core_dates(workbook.read("docProps/core.xml")) == ["2024-12-03T07:00:00Z"] * 2


def test_a_stamp_before_1980_becomes_zips_epoch() -> None:
    data = normalise_package(package((2025, 1, 2, 3, 4, 6), "x"), datetime(1970, 1, 1, tzinfo=UTC))
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert archive.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)
        assert core_dates(archive.read("docProps/core.xml")) == ["1980-01-01T00:00:00Z"] * 2


def test_the_packaged_template_has_every_layout() -> None:
    prs = Presentation(BytesIO(read_template(None)))
    layouts = layouts_by_name(prs, None)
    assert set(LAYOUTS) <= set(layouts)
    assert all(layouts[name].name == name for name in LAYOUTS)


def fake_presentation(*names: str) -> Any:
    return SimpleNamespace(slide_layouts=[SimpleNamespace(name=name) for name in names])


def test_missing_layouts_are_named() -> None:
    prs = fake_presentation("Title Slide", "Section Header", "Title and Content", "Two Content")
    with pytest.raises(RenderError) as raised:
        layouts_by_name(prs, Path("/staff/mall.pptx"))
    assert str(raised.value) == (
        "/staff/mall.pptx: the template deck lacks the layouts Title and Chart, Closing"
    )
    with pytest.raises(RenderError, match=r"^the packaged template deck: .* Title Slide, "):
        layouts_by_name(fake_presentation("Closing"), None)


def test_read_template(tmp_path: Path) -> None:
    assert read_template(None) == packaged_template("deck/template.pptx").read_bytes()
    own = tmp_path / "mall.pptx"
    own.write_bytes(b"PK own")
    assert read_template(own) == b"PK own"
    with pytest.raises(RenderError, match=r"cannot read the template deck .*none\.pptx"):
        read_template(tmp_path / "none.pptx")


def test_measurement_follows_a_restyled_placeholder() -> None:
    prs = Presentation(BytesIO(read_template(None)))
    layout = layouts_by_name(prs, None)["Title and Content"]
    before = measure_placeholder(layout, 1)
    placeholder = layout.placeholders.get(idx=1)
    assert placeholder is not None
    width, height = placeholder.width, placeholder.height  # maybe inherited from the master
    placeholder.width, placeholder.height = width - 127000, height + 254000  # −10 pt, +20 pt
    after = measure_placeholder(layout, 1)
    assert after.width == pytest.approx(before.width - 10)
    assert after.height == pytest.approx(before.height + 20)
    assert after.levels == before.levels
    assert [level.size for level in before.levels] == sorted(
        (level.size for level in before.levels), reverse=True
    )


def test_a_missing_placeholder_is_a_render_error() -> None:
    prs = Presentation(BytesIO(read_template(None)))
    layout = layouts_by_name(prs, None)["Title and Content"]
    with pytest.raises(RenderError, match="'Title and Content' has no placeholder 7"):
        measure_placeholder(layout, 7)


def test_quick_part_names_and_cloned_notes_make_python_pptxs_own_deck(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shortcuts of open_presentation and SpeakerNotes change no byte of a deck."""
    from rapportpaket.documents.deck import slides
    from rapportpaket.documents.deck import template as deck_template
    from rapportpaket.edition.load import load_edition
    from rapportpaket.scoring.score import score_edition

    from editions import PROJECT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733212800")
    results = score_edition(load_edition(PROJECT / "reports" / "2024"))
    quick = slides.DeckRenderer().build(results, "0780", units=True)

    def plain_notes(self: object, slide: Any) -> Any:
        return slide.notes_slide.notes_text_frame

    monkeypatch.setattr(slides, "open_presentation", lambda t: Presentation(BytesIO(t)))
    monkeypatch.setattr(deck_template.SpeakerNotes, "text_frame", plain_notes)
    assert slides.DeckRenderer().build(results, "0780", units=True) == quick
