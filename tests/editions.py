"""Build small edition folders for tests, where every number can be checked by hand."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rapportpaket.edition.model import Edition

PROJECT = Path(__file__).resolve().parents[1]  # the project root
BUNDLED = PROJECT / "reports" / "2024"  # the bundled edition

DEFAULT_TOML = """\
name = "Testindex 2024"
year = 2024
publish_at = "2024-12-03T08:00:00+01:00"
embargo_hours = 24
{extra}
[[delindex]]
id = 1
name = "Information"
weight = {w1}

[[delindex]]
id = 2
name = "Utförande"
weight = {w2}
"""

MUNICIPALITIES = """\
kommunkod,kommun,lan,kommungrupp
0114,Upplands Väsby,Stockholms län,A
0115,Vallentuna,Stockholms län,A
0117,Österåker,Stockholms län,B
0120,Värmdö,Stockholms län,B
"""

INDICATORS = """\
id,delindex,area,name,source,kind,higher_is_better,weight,min,max
WEB,1,Webb,Information på webben,Kommunernas webbplatser,binary,true,1,,
NOJD,1,Nöjdhet,Nöjda brukare (%),Brukarundersökningen,percent,true,1,,
VANTE,2,Väntan,Väntetid (dagar),Kolada,number,false,2,0,20
FEL,2,Väntan,Andel fel (%),Kolada,percent,false,1,,
"""

# The same catalogue naming Kolada KPIs (tests/edition/kolada/fixtures has them for 2022).
KOLADA_INDICATORS = """\
id,delindex,area,name,source,kind,higher_is_better,weight,min,max,kolada_kpi,kolada_n_kpi
WEB,1,Webb,Information på webben,Kommunernas webbplatser,binary,true,1,,,,
NOJD,1,Nöjdhet,Nöjda brukare (%),Brukarundersökningen,percent,true,1,,,U21468,U23592
VANTE,2,Väntan,Väntetid (dagar),Kolada,number,false,2,0,20,U21401,
FEL,2,Väntan,Andel fel (%),Kolada,percent,false,1,,,,
"""

VALUES = """\
kommunkod,indicator,value,n
0114,WEB,1,
0114,NOJD,90,
0114,VANTE,5,
0114,FEL,10,
0115,WEB,0,
0115,NOJD,80,
0115,VANTE,10,
0115,FEL,20,
0117,WEB,1,
0117,NOJD,70,
0117,VANTE,25,
0117,FEL,
0120,WEB,0,
"""

# Units of the fixture edition (method.md §12), numbers checked by hand in
# tests/scoring/test_unit_scores.py. VANTE is measured for no unit.
UNITS = """\
enhet,kommunkod,name,provider,provider_name
VB-1,0114,Hemtjänst Norr,kommunal,
VB-2,0114,Omsorg Söder,privat,Söder Omsorg AB
VT-1,0115,Hemtjänst Vallentuna,kommunal,
OS-1,0117,Hemtjänst Österåker,kommunal,
OS-2,0117,Trygg Omsorg,privat,Trygg AB
"""

UNIT_VALUES = """\
enhet,indicator,value,n
VB-1,WEB,1,
VB-1,NOJD,95,400
VB-1,FEL,10,
VB-2,WEB,0,
VB-2,NOJD,60,5
VT-1,WEB,0,
VT-1,NOJD,80,300
OS-1,WEB,0,
OS-1,NOJD,70,300
OS-2,NOJD,85,2
OS-2,FEL,30,
"""


# Four orders of the fixture edition: out of order in the file, one after publication.
ORDERS = """\
ordered_at,kommun,email,contact
2024-10-02T09:00:00+02:00,Värmdö,a@varmdo.example.se,Vera
2024-09-15T09:00:00+02:00,Vallentuna,b@vallentuna.example.se;c@vallentuna.example.se,
2024-10-02T09:00:00+02:00,Upplands Väsby,d@upplands-vasby.example.se,
2024-12-03T09:30:00+01:00,Österåker,e@osteraker.example.se,
"""


def write_edition(
    folder: Path,
    *,
    toml: str | None = None,
    municipalities: str = MUNICIPALITIES,
    indicators: str = INDICATORS,
    values: str = VALUES,
    extra_toml: str = "",
    weights: tuple[float, float] = (1.0, 1.0),
    values_name: str = "values.csv",
    units: str | None = None,
    unit_values: str | None = None,
) -> Path:
    """Write an edition folder and return it; with `units`/`unit_values`, the unit files."""
    folder.mkdir(parents=True, exist_ok=True)
    text = toml or DEFAULT_TOML.format(extra=extra_toml, w1=weights[0], w2=weights[1])
    (folder / "edition.toml").write_text(text, encoding="utf-8")
    (folder / "municipalities.csv").write_text(municipalities, encoding="utf-8")
    (folder / "indicators.csv").write_text(indicators, encoding="utf-8")
    (folder / values_name).write_text(values, encoding="utf-8")
    for name, content in (("units.csv", units), ("unit_values.csv", unit_values)):
        if content is not None:
            (folder / name).write_text(content, encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- the release

PUBLISH_AT = "2024-12-03T08:00:00+01:00"
# An edition refuses a name Excel would read as a formula (issue 17): TRICKY_NAME is what an
# edition may hold that markup must escape; FORMULA_NAME is put into loaded results by
# `with_formula_name`, to check that the Excel-facing files stay safe even so.
TRICKY_NAME = 'Kommun "A" & <B>'
FORMULA_NAME = '=HYPERLINK("https://example.se","Klicka")'  # must never become a formula


def with_formula_name(edition: Edition) -> Edition:
    """Return `edition` with municipality 0122 named like a formula (validation refuses it)."""
    municipalities = tuple(
        dataclasses.replace(m, kommun=FORMULA_NAME) if m.kommunkod == "0122" else m
        for m in edition.municipalities
    )
    return dataclasses.replace(edition, municipalities=municipalities)


RELEASE_INDICATORS = """\
id,delindex,area,name,source,kind,higher_is_better,weight,min,max
ENK,1,Nöjdhet,Nöjda brukare (%),Enkät,percent,true,1,,
WEB,1,Webb,Information på webben,Webb,binary,true,1,,
REG,2,Väntan,Andel väntande (%),Register,percent,false,1,,
"""
# Last year: the same survey, and an indicator since removed; the Register is new this year.
RELEASE_PREVIOUS_INDICATORS = """\
id,delindex,area,name,source,kind,higher_is_better,weight,min,max
ENK,1,Nöjdhet,Nöjda brukare (%),Enkät,percent,true,1,,
WEB,1,Webb,Information på webben,Webb,binary,true,1,,
OLD,2,Väntan,Gammal indikator,Webb,binary,true,1,,
"""
# Totals (delindex 1 = (ENK + 100·WEB)/2, delindex 2 = 100 − REG; total their mean):
# 0119 and 0120 share rank 10; 0123 has no survey answers at all (Enkät missing).
RELEASE_ROWS = {
    "0110": (96, 1, 4), "0111": (94, 1, 6), "0112": (92, 1, 8), "0113": (90, 1, 10),
    "0114": (88, 1, 12), "0115": (86, 1, 14), "0116": (84, 1, 16), "0117": (82, 1, 18),
    "0118": (80, 1, 20), "0119": (78, 1, 22), "0120": (78, 1, 22), "0121": (60, 0, 40),
    "0122": (50, 0, 50), "0123": (None, 1, 30),
}  # fmt: skip


def write_release_edition(
    folder: Path, *, previous: bool = True, publish_at: str = PUBLISH_AT
) -> Path:
    """Write a 14-municipality edition for the national lists: two share rank 10, one is
    named like an Excel formula, one lacks all survey data; with a previous edition unless
    `previous` is False. Its catalogue lacks the source Register (new this year); 0121 and
    0122 rose most since (+32,5 and +27,5), the others changed by (5 − REG)/2."""
    names = {code: f"Kommun {code}" for code in RELEASE_ROWS}
    names["0122"] = TRICKY_NAME
    municipalities = "kommunkod,kommun,lan,kommungrupp\n" + "".join(
        f'{code},"{name.replace(chr(34), chr(34) * 2)}",Län {int(code) % 3},\n'
        for code, name in names.items()
    )
    values = ["kommunkod,indicator,value,n"]
    for code, (enk, web, reg) in RELEASE_ROWS.items():
        if enk is not None:
            values.append(f"{code},ENK,{enk},40")
        values += [f"{code},WEB,{web},", f"{code},REG,{reg},"]
    extra = ""
    if previous:
        before = ["kommunkod,indicator,value,n"]
        for code, (enk, web, _) in RELEASE_ROWS.items():
            if enk is not None:
                before.append(f"{code},ENK,{enk - 10},40")
            old = 0 if code in ("0121", "0122") else 1
            before += [f"{code},WEB,{web},", f"{code},OLD,{old},"]
        last_year = DEFAULT_TOML.format(extra="", w1=1.0, w2=1.0).replace("2024", "2023")
        write_edition(folder / "prev", toml=last_year, municipalities=municipalities,
                      indicators=RELEASE_PREVIOUS_INDICATORS,
                      values="\n".join(before) + "\n")  # fmt: skip
        extra = 'previous = "../prev"\n'
    toml = DEFAULT_TOML.format(extra=extra, w1=1.0, w2=1.0).replace(PUBLISH_AT, publish_at)
    return write_edition(
        folder / "ed", toml=toml, municipalities=municipalities, indicators=RELEASE_INDICATORS,
        values="\n".join(values) + "\n",
    )  # fmt: skip
