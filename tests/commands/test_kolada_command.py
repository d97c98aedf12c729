"""`rapportpaket kolada` against a loopback stand-in of Kolada's API, and offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.commands.kolada import import_kolada
from rapportpaket.commands.scores import indicators_csv, scores_csv
from rapportpaket.edition.kolada.client import FetchSettings
from rapportpaket.edition.load import load_edition
from rapportpaket.errors import SourceError, UsageError
from rapportpaket.scoring.score import score_edition

from editions import BUNDLED, KOLADA_INDICATORS, write_edition
from kolada_api import StandIn, items_from_values, kolada_item, kolada_stand_in

FIXTURES = Path(__file__).parents[1] / "edition" / "kolada" / "fixtures"
FAST = FetchSettings(timeout=5.0, attempts=3, backoff=0.01, interval=0.0)
runner = CliRunner()

# The fixture edition after importing Kolada 2022 (the recorded responses).
IMPORTED = (
    "kommunkod,indicator,value,n\n"
    "0114,WEB,1,\n0114,NOJD,77,283\n0114,VANTE,12,\n0114,FEL,10,\n"
    "0115,WEB,0,\n0115,NOJD,90,197\n0115,VANTE,14,\n0115,FEL,20,\n"
    "0117,WEB,1,\n0117,NOJD,83,307\n0117,VANTE,16,\n0117,FEL,\n"
    "0120,WEB,0,\n0120,NOJD,83,236\n0120,VANTE,12,\n"
)
CHANGES = (
    "  NOJD   U21468 (n U23592): 1 added, 3 changed, 0 removed, 0 unchanged; coverage 3 → 4 of 4\n"
    "  VANTE  U21401: 1 added, 3 changed, 0 removed, 0 unchanged; coverage 3 → 4 of 4\n"
    "Kolada has values for municipalities the edition does not have (not added): 1381, 2584\n"
)


def recorded() -> StandIn:
    stand_in = StandIn()
    stand_in.record_fixtures(FIXTURES)
    return stand_in


def test_an_edition_is_filled_from_kolada(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    cache = tmp_path / "cache"
    with kolada_stand_in(recorded()) as api:
        report = import_kolada(folder, year=2022, base_url=api.base_url, cache=cache, settings=FAST)
    assert report == (
        f"Kolada 2022 from {api.base_url} (5 requests): 3 KPIs for 2 indicators\n"
        + CHANGES
        + f"Wrote {folder}/values.csv. Cached 5 responses in {cache}."
    )
    assert (folder / "values.csv").read_text(encoding="utf-8") == IMPORTED
    assert len(list(cache.glob("127-0-0-1-*-v2-data-kpi-*.json"))) == 5
    # The cache now rebuilds the same edition without the network.
    shutil.copy(tmp_path / "e" / "values.csv", tmp_path / "imported.csv")
    write_edition(folder, indicators=KOLADA_INDICATORS)
    offline = import_kolada(folder, year=2022, base_url=api.base_url, cache=cache, offline=True)
    assert offline.splitlines()[1:4] == CHANGES.splitlines()
    assert (folder / "values.csv").read_bytes() == (tmp_path / "imported.csv").read_bytes()


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    before = (folder / "values.csv").read_bytes()
    with kolada_stand_in(recorded()) as api:
        report = import_kolada(
            folder, year=2022, base_url=api.base_url, cache=tmp_path / "cache", dry_run=True,
            settings=FAST,
        )  # fmt: skip
    assert report.endswith(CHANGES + "Dry run: nothing written.")
    assert (folder / "values.csv").read_bytes() == before
    assert not (tmp_path / "cache").exists()
    assert sorted(p.name for p in folder.iterdir()) == [
        "edition.toml", "indicators.csv", "municipalities.csv", "values.csv",
    ]  # fmt: skip


def test_offline_from_the_recorded_responses(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    fixtures_before = sorted((p.name, p.stat().st_mtime_ns) for p in FIXTURES.iterdir())
    report = import_kolada(folder, year=2022, cache=FIXTURES, offline=True)
    assert report == (
        f"Kolada 2022 from the cache {FIXTURES} (retrieved 2024-08-30 00:00 UTC): "
        "3 KPIs for 2 indicators\n" + CHANGES + f"Wrote {folder}/values.csv."
    )
    assert (folder / "values.csv").read_text(encoding="utf-8") == IMPORTED
    assert sorted((p.name, p.stat().st_mtime_ns) for p in FIXTURES.iterdir()) == fixtures_before


def test_offline_without_the_responses_names_each(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    with pytest.raises(SourceError) as raised:
        import_kolada(folder, cache=FIXTURES, offline=True)  # the edition's year, 2024
    kolada = "https://api.kolada.se/v2/data/kpi"
    assert str(raised.value).splitlines() == [
        "Kolada 2024: 3 problems; nothing was written",
        *(
            f"{kpi}: {kolada}/{kpi}/year/2024: not in the cache {FIXTURES} "
            "(fetch it once without --offline, with the same --base-url)"
            for kpi in ("U21468", "U23592", "U21401")
        ),
    ]
    assert raised.value.exit_code == 7


def test_every_failing_kpi_is_reported_and_nothing_written(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    before = (folder / "values.csv").read_bytes()
    stand_in = StandIn(
        [kolada_item("U21468", "0114", 2022, 70.0), kolada_item("U21401", "0114", 2021, 12.0)],
        statuses={"U21468": [404]},
        garbled={"U23592"},
    )
    with kolada_stand_in(stand_in) as api, pytest.raises(SourceError) as raised:
        import_kolada(
            folder, year=2022, base_url=api.base_url, cache=tmp_path / "cache", settings=FAST
        )
    url = f"{api.base_url}/data/kpi"
    assert str(raised.value).splitlines() == [
        "Kolada 2022: 3 problems; nothing was written",
        f"U21468: {url}/U21468/year/2022: Kolada answered 404 Not Found",
        f"U23592: {url}/U23592/year/2022: not valid JSON (Unterminated string starting at: "
        "line 1 column 43 (char 42))",
        "U21401 (VANTE): Kolada has no values for 2022 (an unknown KPI, or one not yet "
        "published for that year)",
    ]
    assert (folder / "values.csv").read_bytes() == before
    assert not (tmp_path / "cache").exists()


def test_a_cache_that_cannot_be_written_stops_before_the_values(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    before = (folder / "values.csv").read_bytes()
    (tmp_path / "cache").write_text("a file, not a folder", encoding="utf-8")
    with kolada_stand_in(recorded()) as api, pytest.raises(UsageError) as raised:
        import_kolada(
            folder, year=2022, base_url=api.base_url, cache=tmp_path / "cache", settings=FAST
        )
    message = str(raised.value)
    assert message.startswith(f"cannot write {tmp_path / 'cache'}"), message
    assert message.endswith((": File exists", ": Not a directory")), message
    assert (folder / "values.csv").read_bytes() == before


def test_the_command_line(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    arguments = ["kolada", str(folder), "--year", "2022", "--cache", str(tmp_path / "c")]
    with kolada_stand_in(recorded()) as api:
        environment = {"RAPPORTPAKET_KOLADA_URL": api.base_url}
        result = runner.invoke(app, arguments, env=environment)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"Kolada 2022 from {api.base_url} (5 requests)")
        failed = runner.invoke(app, [*arguments[:3], "2021"], env=environment)
    assert failed.exit_code == 7
    assert failed.stderr.splitlines()[:2] == [
        "Error: Kolada 2021: 3 problems; nothing was written",
        "U21468 (NOJD): Kolada has no values for 2021 (an unknown KPI, or one not yet "
        "published for that year)",
    ]


def test_an_edition_without_kolada_indicators_is_a_usage_error(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e")
    result = runner.invoke(app, ["kolada", str(folder), "--offline"])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {folder}/indicators.csv: no indicator names a kolada_kpi\n"


def test_the_bundled_edition_round_trips_through_kolada(tmp_path: Path) -> None:
    """Remove the Kolada rows, serve them back from the stand-in: the same scores, the same file.

    The stand-in misbehaves as the issue asks: pages of 50 items, a first 503, a null, and
    last year's values mixed in.
    """
    for year in ("2023", "2024"):
        shutil.copytree(BUNDLED.parent / year, tmp_path / year)
    folder = tmp_path / "2024"
    original = (folder / "values.csv").read_bytes()
    edition = load_edition(folder, with_previous=False)
    kpis = {i.id: (i.kolada_kpi, i.kolada_n_kpi) for i in edition.indicators if i.kolada_kpi}
    assert len(kpis) == 15
    items = items_from_values(folder / "values.csv", kpis, 2024)
    items += items_from_values(tmp_path / "2023" / "values.csv", kpis, 2023)  # another year
    items.append(kolada_item("U21464", "1381", 2024, None))  # Laholm: no 2022 survey
    lines = original.decode("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if line.split(",")[1] not in kpis]
    (folder / "values.csv").write_text("".join(kept), encoding="utf-8")
    stand_in = StandIn(items, page_size=50, statuses={"U21464": [503]}, every_year=True)
    with kolada_stand_in(stand_in) as api:
        report = import_kolada(
            folder, base_url=api.base_url, cache=tmp_path / "cache", settings=FAST
        )
    assert stand_in.requests[:2] == ["/v2/data/kpi/U21464/year/2024"] * 2  # the 503, again
    assert (
        "  D1_BU_VET_VART         U21464 (n U23592): 286 added, 0 changed, 0 removed, "
        "0 unchanged; coverage 0 → 286 of 290"
    ) in report.splitlines()
    assert (folder / "values.csv").read_bytes() == original
    again = score_edition(load_edition(folder))
    before = score_edition(load_edition(BUNDLED))
    assert scores_csv(again) == scores_csv(before)
    assert indicators_csv(again) == indicators_csv(before)
