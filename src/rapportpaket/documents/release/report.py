"""The national report (`riket.pdf`): its context from the results and lists, then WeasyPrint.

The same design as the municipal report: the packaged stylesheet `pdf/report.css` (filled
from the palette) plus the few rules of `release/riket.css`, tagged PDF/UA-1.
"""

from __future__ import annotations

from pathlib import Path

from rapportpaket.documents import palette
from rapportpaket.documents.release import narrative
from rapportpaket.documents.release.context import (
    ClimberRow,
    CoverageRow,
    GroupRow,
    KeyFigure,
    MissingRow,
    PlacingRow,
    Ranking,
    ReleaseContext,
)
from rapportpaket.documents.release.figures import ranking_chart
from rapportpaket.documents.templating import make_environment
from rapportpaket.errors import RenderError
from rapportpaket.scoring.lists import TOP_RANK, Climber, NationalLists, Placing, TopList
from rapportpaket.scoring.results import GROUP_HIGH, GROUPS, EditionResults
from rapportpaket.support.clock import build_time
from rapportpaket.support.swedish import sv_date, sv_list, sv_number, sv_percent, sv_signed

TEMPLATE = "release/riket.html"
STYLESHEETS = ("pdf/report.css", "release/riket.css")
TOTAL = "Totalindex"


def build_context(results: EditionResults, lists: NationalLists) -> ReleaseContext:
    """Return the national report's template context."""
    edition = results.edition
    return ReleaseContext(
        title=f"Hemtjänstindex {edition.year} – resultat för riket",
        year=edition.year,
        edition_name=edition.name,
        edition_date=sv_date(edition.publish_at),
        generated=build_time().strftime("%Y-%m-%dT%H:%M:%SZ"),
        count=results.count,
        keyfigures=_keyfigures(results),
        brief=narrative.brief(results, lists),
        total=_ranking(results, lists.top, TOTAL, "totalindex"),
        delindex=tuple(
            _ranking(results, top, top.delindex.name, f"delindex-{top.delindex.id}")
            for top in lists.top_by_delindex
            if top.delindex is not None
        ),
        climbers=tuple(_climber_row(c) for c in lists.climbers),
        climbers_words=narrative.climbers_sentence(lists),
        climbers_note=narrative.climbers_note(results),
        previous_year="" if lists.previous_year is None else str(lists.previous_year),
        groups=tuple(GroupRow(g, str(results.national.group_count(g))) for g in GROUPS),
        groups_words=_groups_words(results),
        coverage=_coverage(lists),
        coverage_words=narrative.coverage_sentence(lists),
        missing=tuple(
            MissingRow(m.municipality.kommun, str(m.rank), sv_list(list(m.sources)))
            for m in lists.missing
        ),
        missing_words=narrative.missing_sentence(results, lists),
        notes=narrative.about_results(results, lists),
    )


def _keyfigures(results: EditionResults) -> tuple[KeyFigure, ...]:
    spread = results.national.total
    return (
        KeyFigure(sv_number(spread.median), "Rikets median, totalindex (0–100)"),
        KeyFigure(
            f"{sv_number(spread.minimum)}–{sv_number(spread.maximum)}", "Lägst och högst totalindex"
        ),
        KeyFigure(
            str(results.national.group_count(GROUP_HIGH)), f"kommuner i {GROUP_HIGH.lower()}"
        ),
    )


def _ranking(results: EditionResults, top: TopList, name: str, anchor: str) -> Ranking:
    spread = (
        results.national.total if top.delindex is None
        else results.national.delindex_spread(top.delindex.id)
    )  # fmt: skip
    return Ranking(
        anchor=anchor,
        name=name,
        words=narrative.spread_words(name, spread),
        chart=ranking_chart(results, top, name),
        rows=tuple(_placing_row(p) for p in top.placings),
        ties=narrative.ties_note(top, TOP_RANK),
        trend=narrative.trend_note(results),
    )


def _placing_row(placing: Placing) -> PlacingRow:
    where = placing.municipality
    change = narrative.change_text(placing.change)
    return PlacingRow(str(placing.rank), where.kommun, where.lan, sv_number(placing.value), change)


def _climber_row(climber: Climber) -> ClimberRow:
    where = climber.municipality
    return ClimberRow(
        kommun=where.kommun,
        lan=where.lan,
        change=sv_signed(climber.total_change),
        rank_change=sv_signed(climber.rank_change, 0),
        rank=str(climber.rank),
    )


def _groups_words(results: EditionResults) -> str:
    cuts = " / ".join(sv_number(q) for q in results.national.cut_points)
    confidence = sv_percent(results.edition.groups.confidence * 100)
    return (
        "Gränserna mellan grupperna är 20:e, 40:e, 60:e och 80:e percentilen av alla kommuners "
        f"totalindex ({cuts}). En kommun placeras i {GROUP_HIGH} eller Lågt resultat, och "
        f"därefter Över eller Under medel, bara när hela dess {confidence}-intervall ligger där."
    )


def _coverage(lists: NationalLists) -> tuple[CoverageRow, ...]:
    compared = lists.previous_year is not None
    return tuple(
        CoverageRow(c.source, str(c.municipalities), sv_percent(100 * c.share, 1),
                    narrative.count_change_text(c.change, compared=compared))
        for c in lists.coverage
    )  # fmt: skip


def render_html(context: ReleaseContext) -> str:
    """Return the national report's HTML (also used to test the templates)."""
    return make_environment().get_template(TEMPLATE).render(release=context)


def build_pdf(results: EditionResults, lists: NationalLists) -> bytes:
    """Return the national report as PDF bytes (tagged PDF/UA-1)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    environment = make_environment()
    fonts = FontConfiguration()
    styles = [
        CSS(string=environment.get_template(name).render(palette=palette.CSS), font_config=fonts)
        for name in STYLESHEETS
    ]
    html = render_html(build_context(results, lists))
    pdf = HTML(string=html, base_url=str(Path.cwd())).write_pdf(
        stylesheets=styles, font_config=fonts, pdf_variant="pdf/ua-1"
    )
    if pdf is None:  # pragma: no cover - write_pdf returns bytes without a target
        raise RenderError("WeasyPrint produced no PDF for the national report")
    return bytes(pdf)
