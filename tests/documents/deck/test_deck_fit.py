"""Fitting slide text: Arial widths, wrapping, and splitting long lists into pages."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rapportpaket.documents.deck.fit import (
    CONTINUED,
    LevelStyle,
    Line,
    TextBox,
    count_rows,
    paginate,
    paginate_columns,
    text_width,
)

# The template's "Title and Content" box: 12.13 × 4.96 inches, 20/18/16 pt levels.
BOX = TextBox(
    width=873.6,
    height=356.4,
    levels=(LevelStyle(20, 0, 10), LevelStyle(18, 23.04, 4), LevelStyle(16, 46.08, 2)),
)


def item(text: str = "Indikator") -> Line:
    return Line(text, 1)


def heading(text: str = "Område") -> Line:
    return Line(text, 0, bold=True, heading=True)


def test_widths_are_arials() -> None:
    # Arial: H 0.722, e 0.556, m 0.833, t 0.278, j 0.222, ä 0.556, n 0.556, s 0.5
    assert text_width("Hemtjänst", 10) == 10 * (0.722 + 0.556 + 0.833 + 0.278 + 0.222 + 0.556
                                                + 0.556 + 0.5 + 0.278)  # fmt: skip


def test_rows_wrap_at_word_boundaries() -> None:
    assert count_rows("kort text", 18, 500) == 1
    words = " ".join(["hemtjänst"] * 12)  # 12 words of about 78 pt at 18 pt
    assert count_rows(words, 18, 500) == 2
    assert count_rows("x" * 200, 10, 100) == 10  # one word wider than the box breaks inside


def test_a_short_list_is_one_page_and_an_empty_one_too() -> None:
    lines = [heading(), item(), item("Annan")]
    assert paginate(lines, BOX) == [lines]
    assert paginate([], BOX) == [[]]


def test_a_long_list_continues_under_its_heading() -> None:
    lines = [heading("Område A"), *[item(f"Indikator {i}") for i in range(30)]]
    pages = paginate(lines, BOX)
    assert len(pages) == 3
    assert [page[0].text for page in pages] == ["Område A"] + [f"Område A{CONTINUED}"] * 2
    assert all(BOX.fits(page) for page in pages)
    # Balanced: ten items a page, not 12 + 12 + 6.
    assert [len(page) - 1 for page in pages] == [10, 10, 10]


def test_a_heading_is_never_last_on_a_page() -> None:
    lines: list[Line] = []
    for area in range(8):
        lines += [heading(f"Område {area}"), item(), item()]
    for page in paginate(lines, BOX):
        assert not page[-1].heading


def test_columns_are_paged_together() -> None:
    left = [item(f"Vänster {i}") for i in range(20)]
    right = [item("Höger")]
    pages = paginate_columns(left, right, BOX, BOX)
    assert len(pages) == 2
    assert pages[0][1] == right and pages[1][1] == []


def group(title: int, items: list[int]) -> list[Line]:
    """Return an area: a heading of `title` characters and items of `n` words each."""
    return [heading("Område " + "x" * title), *(item("ord " * n) for n in items)]


groups_strategy = st.lists(
    st.builds(
        group,
        st.integers(min_value=1, max_value=60),
        st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=8),
    ),
    max_size=12,
).map(lambda groups: [line for g in groups for line in g])


@settings(max_examples=150, deadline=None)
@given(groups_strategy)
def test_pages_keep_every_line_in_order_and_fit(lines: list[Line]) -> None:
    pages = paginate(lines, BOX)
    flat = [line for page in pages for line in page if not line.text.endswith(CONTINUED)]
    assert flat == lines
    for page in pages:
        assert BOX.fits(page) or len([x for x in page if not x.heading]) <= 1
        assert not page or not page[-1].heading
