"""Write the two bundled sample editions, ``reports/2023/`` and ``reports/2024/``.

The editions follow ``edition-format.md`` and are built from the files in
``data/reference/`` only:

* ``kommuner.csv``: the 290 municipalities (code, name, län).
* ``indicators-2024.csv``: the 64-indicator catalogue. Its calibration columns
  ``national_mean`` and ``national_sd`` steer the generator and are dropped from the
  edition's own ``indicators.csv``.
* ``hemtjanst-2022.csv`` / ``hemtjanst-2020.csv``: real Kolada values.

What is real
    The 2024 edition carries the real Kolada 2022 values, the 2023 edition the real
    Kolada 2020 values, relabelled, for the 14 survey questions Kolada publishes
    (Brukarundersökningen, with the real number of respondents ``U23592`` as ``n``),
    personalkontinuitet (``U21401``) and whether the municipality reports it
    (``D3_KKIK_DELTAR``). ``kommungrupp`` is SKR's 2023 classification from the same files.

What is generated, and how
    Every other value is drawn from a small latent-factor model, one standard-normal
    score per municipality for each factor:

    * ``S``, survey satisfaction: the standardised mean z-score of the municipality's
      real survey answers of that year (freedom of choice, ``U21473``, left out: it
      reflects whether the municipality has a choice system, not satisfaction).
    * ``O``, organisation/information: mostly its own factor, weakly tied to ``S`` and
      to whether the municipality reports continuity to Kolada, so web information,
      routines and e-health end up nearly uncorrelated with the survey (r ≈ 0–0.2).
    * one factor per source (web, Kommunenkäten, E-hälsoenkäten, Enhetsundersökningen,
      Senior Alert) loading on ``O``, and one idiosyncratic term per indicator.

    Which municipalities lack a source is decided by a participation propensity that
    loads on ``O``, keeping the source's coverage at a fixed count; so municipalities
    that answer everything tend to score higher. A municipality without a source has no
    rows for any of its indicators, except ``D4_SA_ANVANDS`` (1 with Senior Alert data,
    else 0) and ``D3_KKIK_DELTAR``, which are known for everyone.

    The three survey questions Kolada does not publish (``D2_BU_HJALP_BEHOV``,
    ``D3_BU_RESPEKTLOST``, ``D3_BU_NONCHALERAT``) are generated for the municipalities
    with real survey data, with the same ``n``, loading 0.65 on ``S`` (mirrored for the
    lower-is-better ones).

    An indicator's latent score ``L`` is standardised among the municipalities with data
    (so the calibration holds for them, not for a population that includes the
    non-participants) and becomes a value by kind:
    ``binary`` is 1 when ``L`` exceeds the normal quantile that makes the expected share
    of ones ``national_mean``; ``percent`` is ``mu + sd·L`` clipped to 0–100 and rounded
    to whole percent, with ``mu``/``sd`` solved so that the *clipped* distribution has
    the catalogue's mean and SD; ``number`` is ``national_mean + national_sd·L`` clipped
    to the catalogue's ``min``–``max``.

Year to year
    Every drawn component of 2024 is ``ρ·(its 2023 value) + √(1−ρ²)·(new noise)`` with
    ρ = 0.78, so the previous edition looks like last year's data rather than an
    independent draw. ``S`` comes from the real data of each year (r ≈ 0.79 between
    Kolada 2020 and 2022).

Units (the unit analysis add-on, 2024 only)
    ``units.csv`` and ``unit_values.csv`` hold illustrative home-care units, all generated:
    1–10 per municipality (more in larger ones, by population ``N01951``), the first one
    municipal, the others private with a probability that grows with size. Municipal units
    are named by district ("Hemtjänst Norr"), private ones after invented companies.
    Each unit has a quality ``q`` (standard normal). The municipality's real number of
    survey respondents is split over its units (Dirichlet shares, multinomial counts), so
    the units' ``n`` sum to the municipality's; a unit's answers to each survey question
    are binomial around the municipality's share shifted by ``q`` on the logit scale, then
    nudged so that the units' "yes" answers add up to the municipality's value. A unit
    with no respondents has no survey rows. Unit-survey items (Enhetsundersökningen,
    "share of units with a routine") are 0 or 100 per unit: the municipality's share of
    its units, rounded, have the routine, the better units first.

Determinism
    Each component has its own generator seeded from ``SEED`` and the component's name,
    so the output is byte-identical on every run and does not shift when a component is
    added. Files are UTF-8 with ``\\n`` line endings.

Usage: ``.venv/bin/python scripts/make_sample_edition.py [--out reports]``
"""

from __future__ import annotations

import argparse
import csv
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
SEED = 20241203

FIRST_YEAR = 2023
YEAR_TO_YEAR = 0.78  # correlation of every drawn component between consecutive editions
ORG_ON_SURVEY = 0.15  # loading of the organisation factor O on survey satisfaction S
ORG_ON_KOLADA = 0.20  # ... and on reporting continuity to Kolada
SOURCE_ON_ORG = 0.75  # loading of a source factor on O
INDICATOR_ON_SOURCE = 0.60  # loading of a generated indicator on its source factor
GENERATED_SURVEY_ON_S = 0.65  # loading of a generated survey question on S
PARTICIPATION_ON_ORG = 0.60  # loading of a source's participation propensity on O

SURVEY = "Brukarundersökningen"
KOLADA = "Kolada"
SENIOR_ALERT = "Senior Alert"
RESPONDENTS = "U23592"
CONTINUITY = "U21401"
CHOICE = "U21473"  # freedom of choice: real, but not part of the satisfaction factor S
KOLADA_PARTICIPATES = "D3_KKIK_DELTAR"
SENIOR_ALERT_USED = "D4_SA_ANVANDS"
CALIBRATION = ("national_mean", "national_sd")

# Catalogue indicator -> Kolada KPI (../shared/data/kolada/README.md).
KPI_OF = {
    "D1_BU_VET_VART": "U21464",
    "D2_BU_VALJA_UTFORARE": "U21473",
    "D2_BU_TILLRACKLIG_TID": "U21461",
    "D2_BU_BESLUT_BEHOV": "U21472",
    "D3_BU_BEMOTANDE": "U21504",
    "D3_BU_HANSYN": "U21463",
    "D3_BU_PAVERKA_TIDER": "U21462",
    "D3_BU_UTFOR_BRA": "U21474",
    "D3_BU_NOJD": "U21468",
    "D3_BU_PASSAR_TIDER": "U21475",
    "D3_BU_MEDDELAR": "U21465",
    "D3_BU_KONTAKT": "U21481",
    "D3_BU_FORTROENDE": "U21477",
    "D3_BU_TRYGG": "U21505",
    "D3_KOLADA_KONTINUITET": CONTINUITY,
}
SURVEY_KPIS = [kpi for kpi in KPI_OF.values() if kpi != CONTINUITY]


@dataclass(frozen=True)
class EditionSpec:
    """One sample edition: its year, the Kolada year it carries, and its settings."""

    year: int
    kolada_year: int
    publish_at: str
    previous: str | None
    coverage: dict[str, int]  # municipalities with data, for the generated sources
    fallback: tuple[str, ...] = ()  # sources whose missing values last year's stand in for
    not_yet: tuple[str, ...] = ()  # catalogue indicators this edition does not have yet
    retired: tuple[dict[str, str], ...] = ()  # indicators only this edition has
    units: bool = False  # write illustrative units.csv and unit_values.csv


# An indicator the 2023 edition had and 2024 dropped, so that the two catalogues differ
# (method.md §8); generated like the other web indicators.
RETIRED_WEB_BROCHURE = {
    "id": "D1_WEB_BROSCHYR",
    "delindex": "1",
    "area": "Insatser och prisinformation",
    "name": "Informationsbroschyr om hemtjänsten att ladda ner från webbplatsen",
    "source": "Kommunernas webbplatser",
    "kind": "binary",
    "higher_is_better": "true",
    "weight": "1",
    "min": "",
    "max": "",
    "national_mean": "0.48",
    "national_sd": "",
}


EDITIONS = (
    EditionSpec(
        year=2023,
        kolada_year=2020,
        publish_at="2023-12-05T08:00:00+01:00",
        previous=None,
        coverage={
            "Kommunernas webbplatser": 290,
            "Enhetsundersökningen": 272,
            "Kommunenkäten": 279,
            "E-hälsoenkäten": 256,
            SENIOR_ALERT: 176,
        },
        not_yet=("D4_EH_DIGITAL_SIP", "D4_EH_DIGITAL_KOMMUNIKATION"),
        retired=(RETIRED_WEB_BROCHURE,),
    ),
    EditionSpec(
        year=2024,
        kolada_year=2022,
        publish_at="2024-12-03T08:00:00+01:00",
        previous="../2023",
        coverage={
            "Kommunernas webbplatser": 290,
            "Enhetsundersökningen": 277,
            "Kommunenkäten": 282,
            "E-hälsoenkäten": 263,
            SENIOR_ALERT: 184,
        },
        fallback=(KOLADA, SENIOR_ALERT),
        units=True,
    ),
)

# --------------------------------------------------------------------------- inputs


def read_text_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with every column as text, empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def read_catalogue(path: Path) -> list[dict[str, str]]:
    """The indicator catalogue, one dict of text cells per indicator, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_statements(path: Path) -> dict[str, str]:
    """How a recommendation names each indicator, as a sentence (``statements.csv``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["statement"] for row in csv.DictReader(handle)}


def with_statements(
    catalogue: list[dict[str, str]], statements: dict[str, str]
) -> list[dict[str, str]]:
    """Add the optional ``statement`` column (edition-format.md) after the other columns."""
    return [
        {**indicator, "statement": statements.get(indicator["id"], "")} for indicator in catalogue
    ]


def read_kolada(year: int, codes: Sequence[str]) -> pd.DataFrame:
    """Real Kolada values of `year`, indexed by kommunkod in the order of `codes`."""
    frame = pd.read_csv(REFERENCE / f"hemtjanst-{year}.csv", dtype={"kommunkod": str})
    frame = frame.set_index("kommunkod")
    missing = set(codes) - set(frame.index)
    if missing:
        raise SystemExit(f"hemtjanst-{year}.csv lacks kommunkod {sorted(missing)}")
    return frame.loc[list(codes)]


# --------------------------------------------------------------------------- latent factors


def standardise(values: np.ndarray) -> np.ndarray:
    """Return `values` with mean 0 and SD 1 (population SD)."""
    result: np.ndarray = (values - values.mean()) / values.std()
    return result


def standardise_within(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Standardise `values` over the municipalities in `mask`; NaN elsewhere."""
    result = np.full(len(values), np.nan)
    result[mask] = standardise(values[mask])
    return result


def blend(loading: float, main: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """`loading·main + √(1−loading²)·rest`: unit variance if both inputs have it."""
    return loading * main + math.sqrt(1 - loading**2) * rest


class Draws:
    """Standard-normal draws per municipality, one persistent series per named component.

    A component's first-year draw is fresh noise; each later year is `ρ·previous + √(1−ρ²)·new`.
    """

    def __init__(self, size: int) -> None:
        self.size = size

    def __call__(self, name: str, year: int) -> np.ndarray:
        rng = np.random.default_rng([SEED, zlib.crc32(name.encode("utf-8"))])
        series = rng.standard_normal(self.size)
        for _ in range(FIRST_YEAR, year):
            series = blend(YEAR_TO_YEAR, series, rng.standard_normal(self.size))
        return series


def survey_factor(kolada: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """S from the real survey answers, and which municipalities have survey data."""
    kpis = [kpi for kpi in SURVEY_KPIS if kpi != CHOICE]
    answers = kolada[kpis]
    z_scores = (answers - answers.mean()) / answers.std()
    has_survey = answers.notna().any(axis=1).to_numpy()
    level = z_scores.mean(axis=1).to_numpy()
    factor = np.zeros(len(kolada))
    factor[has_survey] = standardise(level[has_survey])
    return factor, has_survey


@dataclass(frozen=True)
class Factors:
    """The latent scores of one year."""

    survey: np.ndarray  # S (0 where there is no survey data)
    organisation: np.ndarray  # O


def year_factors(kolada: pd.DataFrame, draws: Draws, year: int) -> Factors:
    """S from the real data; O mostly its own, weakly tied to S and Kolada reporting."""
    survey, has_survey = survey_factor(kolada)
    survey_or_noise = np.where(has_survey, survey, draws("survey-fill", year))
    reports = standardise(kolada[CONTINUITY].notna().to_numpy(dtype=float))
    own = math.sqrt(1 - ORG_ON_SURVEY**2 - ORG_ON_KOLADA**2)
    organisation = (
        ORG_ON_SURVEY * survey_or_noise
        + ORG_ON_KOLADA * reports
        + own * draws("organisation", year)
    )
    return Factors(survey=survey, organisation=organisation)


def covered(source: str, count: int, factors: Factors, draws: Draws, year: int) -> np.ndarray:
    """The `count` municipalities with the highest participation propensity for `source`."""
    propensity = blend(
        PARTICIPATION_ON_ORG, factors.organisation, draws(f"participation:{source}", year)
    )
    order = np.argsort(-propensity, kind="stable")
    mask = np.zeros(len(propensity), dtype=bool)
    mask[order[:count]] = True
    return mask


# --------------------------------------------------------------------------- latent -> value


def censored_moments(mu: float, sigma: float, low: float, high: float) -> tuple[float, float]:
    """Mean and SD of N(mu, sigma) clipped to [low, high]."""
    unit = NormalDist()
    a, b = (low - mu) / sigma, (high - mu) / sigma
    pa, pb = unit.cdf(a), unit.cdf(b)
    da, db = unit.pdf(a), unit.pdf(b)
    # E[Z; a<Z<b] and E[Z²; a<Z<b] for standard normal Z
    inside_1 = da - db
    inside_2 = (pb - pa) + a * da - b * db
    mean_z = a * pa + inside_1 + b * (1 - pb)
    square_z = a * a * pa + inside_2 + b * b * (1 - pb)
    variance = max(square_z - mean_z**2, 0.0)
    return mu + sigma * mean_z, sigma * math.sqrt(variance)


def calibrate(mean: float, sd: float, low: float = 0, high: float = 100) -> tuple[float, float]:
    """Pre-clip mu and sigma whose clipped distribution has the given mean and SD."""
    mu, sigma = mean, sd
    for _ in range(200):
        got_mean, got_sd = censored_moments(mu, sigma, low, high)
        mu += mean - got_mean
        sigma *= sd / got_sd
    return mu, sigma


def to_values(latent: np.ndarray, indicator: dict[str, str]) -> np.ndarray:
    """Turn standard-normal latent scores into values of the indicator's kind (NaN stays NaN)."""
    mean = float(indicator["national_mean"])
    if indicator["kind"] == "binary":
        threshold = NormalDist().inv_cdf(1 - mean)
        return np.where(np.isnan(latent), np.nan, latent > threshold)
    sd = float(indicator["national_sd"])
    if indicator["kind"] == "percent":
        mu, sigma = calibrate(mean, sd)
        return np.rint(np.clip(mu + sigma * latent, 0, 100))
    low, high = float(indicator["min"]), float(indicator["max"])
    return np.rint(np.clip(mean + sd * latent, low, high))


# --------------------------------------------------------------------------- one edition


@dataclass
class Column:
    """One indicator's values for all municipalities (NaN = no data) and optional n."""

    values: np.ndarray
    n: np.ndarray | None = None


def real_columns(kolada: pd.DataFrame) -> dict[str, Column]:
    """The indicators taken as they are from Kolada."""
    respondents = kolada[RESPONDENTS].to_numpy(dtype=float)
    columns = {
        indicator: Column(kolada[kpi].to_numpy(dtype=float), respondents)
        for indicator, kpi in KPI_OF.items()
        if kpi != CONTINUITY
    }
    continuity = kolada[CONTINUITY].to_numpy(dtype=float)
    columns["D3_KOLADA_KONTINUITET"] = Column(continuity)
    columns[KOLADA_PARTICIPATES] = Column((~np.isnan(continuity)).astype(float))
    return columns


def generated_survey(
    indicator: dict[str, str], kolada: pd.DataFrame, factors: Factors, draws: Draws, year: int
) -> Column:
    """A survey question Kolada lacks: tied to S, for the municipalities with survey data."""
    sign = 1.0 if indicator["higher_is_better"] == "true" else -1.0
    latent = blend(GENERATED_SURVEY_ON_S, sign * factors.survey, draws(indicator["id"], year))
    _, has_survey = survey_factor(kolada)
    values = to_values(standardise_within(latent, has_survey), indicator)
    return Column(values, kolada[RESPONDENTS].to_numpy(dtype=float))


def generated_other(
    indicator: dict[str, str], mask: np.ndarray, factors: Factors, draws: Draws, year: int
) -> Column:
    """An indicator of a generated source: source factor on O, plus its own term."""
    source = indicator["source"]
    source_factor = blend(SOURCE_ON_ORG, factors.organisation, draws(f"source:{source}", year))
    latent = blend(INDICATOR_ON_SOURCE, source_factor, draws(indicator["id"], year))
    return Column(to_values(standardise_within(latent, mask), indicator))


def edition_columns(
    spec: EditionSpec, catalogue: list[dict[str, str]], kolada: pd.DataFrame, draws: Draws
) -> dict[str, Column]:
    """Every indicator's column for one edition."""
    factors = year_factors(kolada, draws, spec.year)
    masks = {
        source: covered(source, count, factors, draws, spec.year)
        for source, count in spec.coverage.items()
    }
    columns = real_columns(kolada)
    for indicator in catalogue:
        ident, source = indicator["id"], indicator["source"]
        if ident in columns:
            continue
        if ident == SENIOR_ALERT_USED:
            columns[ident] = Column(masks[SENIOR_ALERT].astype(float))
        elif source == SURVEY:
            columns[ident] = generated_survey(indicator, kolada, factors, draws, spec.year)
        elif source in masks:
            columns[ident] = generated_other(indicator, masks[source], factors, draws, spec.year)
        else:
            raise SystemExit(f"no rule to generate {ident} (source {source!r})")
    return columns


# --------------------------------------------------------------------------- writing


def number_text(value: float) -> str:
    """`12` rather than `12.0`; real decimals kept (`13.48`)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def kolada_kpis(indicator: dict[str, str]) -> list[str]:
    """The indicator's `kolada_kpi` and `kolada_n_kpi` (`rapportpaket kolada` fills them)."""
    kpi = KPI_OF.get(indicator["id"], "")
    return [kpi, RESPONDENTS if kpi in SURVEY_KPIS else ""]


def value_rows(
    codes: Sequence[str], catalogue: list[dict[str, str]], columns: dict[str, Column]
) -> list[list[str]]:
    """Long-format rows, by kommunkod then catalogue order; no row where there is no data."""
    rows: list[list[str]] = []
    for position, code in enumerate(codes):
        for indicator in catalogue:
            column = columns[indicator["id"]]
            value = column.values[position]
            if np.isnan(value):
                continue
            n = np.nan if column.n is None else column.n[position]
            rows.append(
                [code, indicator["id"], number_text(value), "" if np.isnan(n) else str(int(n))]
            )
    return rows


EDITION_TOML = """\
# Sample edition: the values are illustrative, not a published Hemtjänstindex.
# Real Kolada {kolada_year} survey answers (Brukarundersökningen, with real respondents n) and
# personalkontinuitet are relabelled as {year}; every other value is generated by
# scripts/make_sample_edition.py (see reports/README.md).

name = "Hemtjänstindex {year} (exempelutgåva)"  # shown on covers and in mails
year = {year}  # the edition's year
publish_at = "{publish_at}"  # when ranking lists become public (ISO 8601, with offset)
embargo_hours = 24  # summaries go out this many hours before publish_at
{previous}{fallback}
# One table per delindex: id (1-4), name shown in reports, weight in the total index.
[[delindex]]
id = 1
name = "Information"
weight = 1.0

[[delindex]]
id = 2
name = "Biståndshandläggning"
weight = 1.0

[[delindex]]
id = 3
name = "Utförande"
weight = 1.0

[[delindex]]
id = 4
name = "Stöd och utveckling"
weight = 1.0

[selection]
strength_percentile = 75  # an indicator at or above this percentile is a strength
improvement_percentile = 25  # at or below this (or missing): an improvement area
recommendations = 3  # improvement areas recommended per municipality

[groups]
confidence = 0.95  # confidence level of the survey intervals behind result groups

[mail]
sender = "Hemtjänstindex <rapport@hemtjanstindex.example>"  # From: of every mail
reply_to = "Hemtjänstindex analysteam <analys@hemtjanstindex.example>"  # Reply-To: of every mail
"""


def edition_toml(spec: EditionSpec) -> str:
    previous = (
        f'previous = "{spec.previous}"  # previous edition folder, for trends\n'
        if spec.previous
        else ""
    )
    fallback = (
        "\n# Where a municipality lacks this year's value from these sources, last year's\n"
        "# value stands in (method.md §1b), as the published index does.\n"
        "[fallback]\nsources = [" + ", ".join(f'"{s}"' for s in spec.fallback) + "]\n"
        if spec.fallback
        else ""
    )
    return EDITION_TOML.format(
        year=spec.year,
        kolada_year=spec.kolada_year,
        publish_at=spec.publish_at,
        previous=previous,
        fallback=fallback,
    )


def write_edition(
    folder: Path,
    spec: EditionSpec,
    municipalities: pd.DataFrame,
    catalogue: list[dict[str, str]],
    kolada: pd.DataFrame,
    columns: dict[str, Column],
) -> int:
    """Write the four files of one edition; return the number of value rows."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edition.toml").write_text(edition_toml(spec), encoding="utf-8", newline="\n")
    codes = list(municipalities["kommunkod"])
    groups = kolada["kommungrupp"].astype(str).to_numpy()
    write_csv(
        folder / "municipalities.csv",
        ("kommunkod", "kommun", "lan", "kommungrupp"),
        (
            [code, kommun, lan, group]
            for code, kommun, lan, group in zip(
                codes, municipalities["kommun"], municipalities["lan"], groups, strict=True
            )
        ),
    )
    header = [name for name in catalogue[0] if name not in CALIBRATION]
    write_csv(
        folder / "indicators.csv",
        [*header, "kolada_kpi", "kolada_n_kpi"],
        ([indicator[name] for name in header] + kolada_kpis(indicator) for indicator in catalogue),
    )
    rows = value_rows(codes, catalogue, columns)
    write_csv(folder / "values.csv", ("kommunkod", "indicator", "value", "n"), rows)
    return len(rows)


# --------------------------------------------------------------------------- units

POPULATION = "N01951"
UNIT_SURVEY = "Enhetsundersökningen"
UNIT_EFFECT = 0.35  # SD of a unit's quality on the logit scale of a survey share
UNIT_ITEM_NOISE = 0.15  # a unit's own deviation per survey question, same scale
RESPONDENT_SPREAD = 2.0  # Dirichlet concentration: how evenly respondents split over units
DISTRICTS = (
    "Centrum", "Norr", "Söder", "Öster", "Väster", "Nordost", "Sydväst", "Landsbygd",
    "Kvällspatrullen", "Skärgården",
)  # fmt: skip
COMPANIES = (  # invented names
    "Solgläntan Hemtjänst", "Björkdal Omsorg", "Ekdungen Hemtjänst", "Stjärnvik Omsorg",
    "Granhöjden Hemtjänst", "Lindblom Omsorg", "Vintergatan Hemtjänst", "Havsbrisen Omsorg",
    "Fjällsippan Hemtjänst", "Ängsgården Omsorg", "Klövervallen Hemtjänst",
)  # fmt: skip


@dataclass(frozen=True)
class SampleUnit:
    """One generated unit and its quality."""

    enhet: str
    kommunkod: str
    name: str
    provider: str
    provider_name: str
    quality: float


def unit_rng(kommunkod: str) -> np.random.Generator:
    """Return the generator of one municipality's units, independent of every other draw."""
    return np.random.default_rng([SEED, zlib.crc32(f"units:{kommunkod}".encode())])


def municipality_units(
    code: str, kommun: str, size: float, rng: np.random.Generator
) -> list[SampleUnit]:
    """Draw the units of one municipality; `size` is its population percentile (0–1)."""
    count = int(np.clip(round(1 + 9 * size**1.2 + rng.normal(0, 1.2)), 1, 10))
    private = [i > 0 and rng.random() < 0.15 + 0.55 * size for i in range(count)]
    companies = rng.permutation(len(COMPANIES))
    municipal = count - sum(private)
    units = []
    for i in range(count):
        if private[i]:
            company = COMPANIES[companies[i]]
            name, provider, firm = f"{company} {kommun}", "privat", f"{company} AB"
        else:
            district = DISTRICTS[i - sum(private[:i])]
            name = f"Hemtjänst {district}" if municipal > 1 else f"Hemtjänst {kommun}"
            provider, firm = "kommunal", ""
        quality = float(rng.standard_normal())
        units.append(SampleUnit(f"{code}-{i + 1:02d}", code, name, provider, firm, quality))
    return units


def split_respondents(total: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """Split a municipality's respondents over its units; the parts sum to `total`."""
    shares = rng.dirichlet([RESPONDENT_SPREAD] * count)
    parts: np.ndarray = rng.multinomial(total, shares)
    return parts


def survey_answers(
    value: float, n: np.ndarray, quality: np.ndarray, sign: float, rng: np.random.Generator
) -> np.ndarray:
    """Return each unit's "yes" answers to one question; they add up to the municipality's."""
    share = min(max(value / 100, 0.005), 0.995)
    logit = math.log(share / (1 - share))
    effect = sign * (UNIT_EFFECT * quality + UNIT_ITEM_NOISE * rng.standard_normal(len(n)))
    p = 1 / (1 + np.exp(-(logit + effect)))
    yes = rng.binomial(n, p)
    target = round(value / 100 * int(n.sum()))
    while (gap := target - int(yes.sum())) != 0:
        room = (yes < n) if gap > 0 else (yes > 0)
        weights = n * room
        unit = rng.choice(len(n), p=weights / weights.sum())
        yes[unit] += 1 if gap > 0 else -1
    result: np.ndarray = yes
    return result


def routines(value: float, quality: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return 100 for the units with a routine (the municipality's share of them), else 0."""
    having = round(value / 100 * len(quality))
    order = np.argsort(-(0.5 * quality + rng.standard_normal(len(quality))), kind="stable")
    result = np.zeros(len(quality))
    result[order[:having]] = 100.0
    return result


def unit_value_rows(
    units: list[SampleUnit],
    position: int,
    catalogue: list[dict[str, str]],
    columns: dict[str, Column],
    rng: np.random.Generator,
) -> list[list[str]]:
    """Return the unit_values rows of one municipality's units, unit by unit."""
    quality = np.array([u.quality for u in units])
    cells: dict[tuple[int, str], list[str]] = {}
    respondents: np.ndarray | None = None
    for indicator in catalogue:
        ident, column = indicator["id"], columns[indicator["id"]]
        value = column.values[position]
        if np.isnan(value):
            continue
        if indicator["source"] == SURVEY and column.n is not None:
            if respondents is None:
                respondents = split_respondents(int(column.n[position]), len(units), rng)
            sign = 1.0 if indicator["higher_is_better"] == "true" else -1.0
            yes = survey_answers(value, respondents, quality, sign, rng)
            for u, (answers, count) in enumerate(zip(yes, respondents, strict=True)):
                if count:
                    cells[u, ident] = [str(round(100 * answers / count)), str(count)]
        elif indicator["source"] == UNIT_SURVEY:
            for u, having in enumerate(routines(value, quality, rng)):
                cells[u, ident] = [number_text(having), ""]
    return [
        [unit.enhet, indicator["id"], *cells[u, indicator["id"]]]
        for u, unit in enumerate(units)
        for indicator in catalogue
        if (u, indicator["id"]) in cells
    ]


def write_units(
    folder: Path,
    municipalities: pd.DataFrame,
    catalogue: list[dict[str, str]],
    kolada: pd.DataFrame,
    columns: dict[str, Column],
) -> tuple[int, int]:
    """Write units.csv and unit_values.csv; return the number of units and of value rows."""
    population = kolada[POPULATION].to_numpy(dtype=float)
    size = (np.argsort(np.argsort(population, kind="stable"), kind="stable") + 0.5) / len(
        population
    )
    units: list[SampleUnit] = []
    rows: list[list[str]] = []
    codes, names = list(municipalities["kommunkod"]), list(municipalities["kommun"])
    for position, (code, kommun) in enumerate(zip(codes, names, strict=True)):
        rng = unit_rng(code)
        own = municipality_units(code, kommun, float(size[position]), rng)
        units += own
        rows += unit_value_rows(own, position, catalogue, columns, rng)
    write_csv(
        folder / "units.csv",
        ("enhet", "kommunkod", "name", "provider", "provider_name"),
        ([u.enhet, u.kommunkod, u.name, u.provider, u.provider_name] for u in units),
    )
    write_csv(folder / "unit_values.csv", ("enhet", "indicator", "value", "n"), rows)
    return len(units), len(rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "reports", help="folder for the editions"
    )
    args = parser.parse_args(argv)
    municipalities = read_text_csv(REFERENCE / "kommuner.csv").sort_values("kommunkod")
    catalogue = read_catalogue(REFERENCE / "indicators-2024.csv")
    statements = read_statements(REFERENCE / "statements.csv")
    codes = list(municipalities["kommunkod"])
    draws = Draws(len(codes))
    for spec in EDITIONS:
        kolada = read_kolada(spec.kolada_year, codes)
        own = with_statements(catalogue_of(spec, catalogue), statements)
        columns = edition_columns(spec, own, kolada, draws)
        folder = args.out / str(spec.year)
        count = write_edition(folder, spec, municipalities, own, kolada, columns)
        print(f"{folder}: {len(codes)} municipalities, {len(own)} indicators, {count} values")
        if spec.units:
            units, rows = write_units(folder, municipalities, own, kolada, columns)
            print(f"{folder}: {units} units, {rows} unit values")


def catalogue_of(spec: EditionSpec, catalogue: list[dict[str, str]]) -> list[dict[str, str]]:
    """Return the edition's own catalogue: without what it does not have yet, with what it
    had and later editions dropped (placed after the last indicator of its area)."""
    own = [dict(i) for i in catalogue if i["id"] not in spec.not_yet]
    for extra in spec.retired:
        last = max(k for k, i in enumerate(own) if i["area"] == extra["area"])
        own.insert(last + 1, dict(extra))
    return own


if __name__ == "__main__":
    main()
