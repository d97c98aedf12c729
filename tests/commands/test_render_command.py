"""The render job: which municipalities, the summary line, failures, stale temporaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportpaket.commands import render
from rapportpaket.commands.render import render_packages
from rapportpaket.errors import BatchError, EditionError, RenderError, UsageError

from editions import write_edition
from fakes import fake_renderer


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    return write_edition(tmp_path / "ed")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "render_many", fake_renderer)
    monkeypatch.delenv("FAKE_RENDER_FAIL", raising=False)
    monkeypatch.delenv("FAKE_RENDER_DELAY", raising=False)


def test_all_and_kommun_together_is_a_usage_error(edition: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="either --all or --kommun, not both"):
        render_packages(edition, ["0114"], all_municipalities=True, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_neither_all_nor_kommun_is_a_usage_error(edition: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="name a municipality with --kommun, or use --all"):
        render_packages(edition, [], out=tmp_path / "out")


def test_an_unknown_municipality_is_a_usage_error_with_a_suggestion(
    edition: Path, tmp_path: Path
) -> None:
    with pytest.raises(UsageError) as raised:
        render_packages(edition, ["0114", "Valentuna"], out=tmp_path / "out")
    assert str(raised.value) == "unknown municipality 'Valentuna' (did you mean Vallentuna?)"
    assert raised.value.exit_code == 2
    assert not (tmp_path / "out").exists()  # nothing rendered for the known one either


def test_a_bad_edition_is_an_edition_error(tmp_path: Path) -> None:
    with pytest.raises(EditionError):
        render_packages(tmp_path / "none", ["0114"], out=tmp_path / "out")


@pytest.mark.usefixtures("fake")
def test_one_package_by_name_or_code_gives_its_two_paths(edition: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen: list[tuple[int, int, str]] = []
    line = render_packages(
        edition, [" upplands väsby", "0114"], out=out, progress=lambda *a: seen.append(a)
    )
    folder = out / "2024" / "0114-upplands-vasby"
    assert line == (
        f"Wrote {folder / 'rapport.pdf'}, {folder / 'presentation.pptx'} and "
        f"{folder / 'verktyg.html'}"
    )
    assert seen == [(1, 1, "Upplands Väsby")]  # the same municipality named twice: once


@pytest.mark.usefixtures("fake")
def test_all_packages_give_a_count(edition: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen: list[tuple[int, int, str]] = []
    line = render_packages(
        edition, [], all_municipalities=True, out=out, progress=lambda *a: seen.append(a)
    )
    assert line == f"Wrote 4 packages under {out}"
    assert sorted(p.name for p in (out / "2024").iterdir()) == [
        "0114-upplands-vasby", "0115-vallentuna", "0117-osteraker", "0120-varmdo",
    ]  # fmt: skip
    assert [s[:2] for s in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert seen[-1][2] == "Värmdö"


@pytest.mark.usefixtures("fake")
def test_stale_temporaries_of_the_year_are_removed(edition: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    stale = out / "2024" / "0120-varmdo" / ".rapport.pdf.x1y2.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half")
    render_packages(edition, ["0114"], out=out)
    assert not stale.exists()


@pytest.mark.usefixtures("fake")
def test_one_failed_package_is_a_render_error(
    edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_RENDER_FAIL", "0115")
    with pytest.raises(RenderError, match=r"^0115: RenderError: boom$"):
        render_packages(edition, ["Vallentuna"], out=tmp_path / "out")


@pytest.mark.usefixtures("fake")
def test_a_failure_in_a_batch_names_it_after_the_others_are_done(
    edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_RENDER_FAIL", "0115")
    with pytest.raises(BatchError) as raised:
        render_packages(edition, [], all_municipalities=True, out=tmp_path / "out")
    assert str(raised.value) == "1 of 4 packages failed:\n0115: RenderError: boom"
    assert (tmp_path / "out" / "2024" / "0120-varmdo" / "rapport.pdf").exists()


def test_a_real_package(edition: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    line = render_packages(edition, ["Värmdö"], out=out, jobs=1)
    folder = out / "2024" / "0120-varmdo"
    assert line == (
        f"Wrote {folder / 'rapport.pdf'}, {folder / 'presentation.pptx'} and "
        f"{folder / 'verktyg.html'}"
    )
    assert (folder / "rapport.pdf").read_bytes()[:5] == b"%PDF-"
    assert (folder / "presentation.pptx").read_bytes()[:2] == b"PK"


def test_a_broken_user_template_fails_the_package(edition: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "pdf").mkdir(parents=True)
    (templates / "pdf" / "cover.html").write_text("{{ report.no_such_field }}", encoding="utf-8")
    with pytest.raises(RenderError, match=r"^0114: .*no_such_field"):
        render_packages(edition, ["0114"], out=tmp_path / "out", jobs=1, templates=templates)
    assert not (tmp_path / "out" / "2024" / "0114-upplands-vasby" / "rapport.pdf").exists()


@pytest.mark.usefixtures("fake")
def test_kommun_as_people_write_it(tmp_path: Path) -> None:
    """Issue 16: `render --kommun Vaxjo` renders Växjö (the bundled edition's names)."""
    from editions import BUNDLED

    summary = render_packages(BUNDLED, ["Vaxjo", "Kiruna kommun"], out=tmp_path / "out")
    assert summary == f"Wrote 2 packages under {tmp_path / 'out'}"
    assert sorted(p.name for p in (tmp_path / "out" / "2024").iterdir()) == [
        "0780-vaxjo", "2584-kiruna",
    ]  # fmt: skip
