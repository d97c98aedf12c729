"""Build small edition folders for tests, where every number can be checked by hand."""

from __future__ import annotations

from pathlib import Path

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
