"""edition.toml: defaults from the schema's keys, overrides, and problems with their lines."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rapportpaket.edition.model import DelindexSpec
from rapportpaket.edition.schema import SECTIONS, TOP, EditionConfig, load_config
from rapportpaket.errors import Problem

HEAD = """\
name = " Testindex 2024 "
year = 2024
publish_at = 2024-12-03T08:00:00+01:00

[[delindex]]
id = 2
name = "Utförande"
weight = 1

[[delindex]]
id = 1
name = "Information"
weight = 3
"""  # 13 lines


def load(tmp_path: Path, text: str) -> tuple[EditionConfig, list[Problem]]:
    path = tmp_path / "edition.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def messages(problems: list[Problem]) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.column, p.message) for p in problems]


def declared(keys: tuple[Any, ...]) -> dict[str, Any]:
    return {key.name: key.default for key in keys}


def test_the_required_keys_are_read(tmp_path: Path) -> None:
    config, problems = load(tmp_path, HEAD)
    assert problems == []
    assert config.name == "Testindex 2024"  # stripped
    assert config.year == 2024
    assert config.publish_at == datetime(2024, 12, 3, 7, tzinfo=UTC)
    assert config.previous is None
    # Sorted by id, whatever the order in the file.
    assert config.delindex == (
        DelindexSpec(1, "Information", 3.0),
        DelindexSpec(2, "Utförande", 1.0),
    )


def test_absent_sections_take_the_defaults_declared_on_the_keys(tmp_path: Path) -> None:
    config, problems = load(tmp_path, HEAD)
    assert problems == []
    assert config.embargo_hours == declared(TOP)["embargo_hours"]
    for section in ("selection", "groups", "mail"):
        built = dataclasses.asdict(getattr(config, section))
        assert built == declared(SECTIONS[section]), section
    # The declared defaults are what method.md and the mails expect.
    assert dataclasses.asdict(config.selection) == {
        "strength_percentile": 75.0, "improvement_percentile": 25.0, "recommendations": 3,
    }  # fmt: skip
    assert config.groups.confidence == 0.95
    assert config.mail.reply_to is None


def test_an_empty_section_also_takes_the_defaults(tmp_path: Path) -> None:
    config, problems = load(tmp_path, HEAD + "\n[selection]\n[groups]\n[mail]\n")
    assert problems == []
    assert dataclasses.asdict(config.selection) == declared(SECTIONS["selection"])
    assert dataclasses.asdict(config.mail) == declared(SECTIONS["mail"])


def test_given_values_override_the_defaults(tmp_path: Path) -> None:
    text = HEAD.replace("year = 2024\n", "year = 2024\nembargo_hours = 48\nprevious = '../2023'\n")
    text += "\n[selection]\nstrength_percentile = 80\nrecommendations = 5\n"
    text += "\n[groups]\nconfidence = 0.9\n"
    config, problems = load(tmp_path, text)
    assert problems == []
    assert config.embargo_hours == 48.0
    assert config.previous == tmp_path / "../2023"
    assert config.selection.strength_percentile == 80.0
    assert config.selection.recommendations == 5
    assert (
        config.selection.improvement_percentile
        == declared(SECTIONS["selection"])["improvement_percentile"]
    )
    assert config.groups.confidence == 0.9


def test_mail_sender_and_reply_to(tmp_path: Path) -> None:
    text = (
        HEAD + '\n[mail]\nsender = " Index <index@example.se> "\nreply_to = " svar@example.se "\n'
    )
    config, problems = load(tmp_path, text)
    assert problems == []
    assert config.mail.sender == "Index <index@example.se>"
    assert config.mail.reply_to == "svar@example.se"


def test_mail_reply_to_alone_keeps_the_default_sender(tmp_path: Path) -> None:
    config, problems = load(tmp_path, HEAD + '\n[mail]\nreply_to = "svar@example.se"\n')
    assert problems == []
    assert config.mail.sender == declared(SECTIONS["mail"])["sender"]
    assert config.mail.reply_to == "svar@example.se"


def test_unknown_keys_are_reported_with_their_lines(tmp_path: Path) -> None:
    text = HEAD.replace("year = 2024\n", "year = 2024\nembargo_houres = 12\n")  # line 3
    text += "colour = 'red'\n"  # line 15, inside the second [[delindex]]
    text += "\n[mail]\nsender = 'a@b.se'\nreplyto = 'c@d.se'\n"  # line 19
    _, problems = load(tmp_path, text)
    assert sorted(messages(problems), key=lambda m: m[0] or 0) == [
        (3, "embargo_houres", "unknown key (did you mean embargo_hours?)"),
        (15, "colour", "unknown key"),
        (19, "replyto", "unknown key (did you mean reply_to?)"),
    ]
    assert str(problems[0]).startswith(f"{tmp_path / 'edition.toml'}:3: embargo_houres:")


@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        ("\n[groups]\nconfidence = 1.5\n", (16, "confidence", "must be in (0, 1)")),
        ("\n[selection]\nrecommendations = 0\n",
         (16, "recommendations", "must be a whole number ≥ 1")),
        ("\n[mail]\nsender = '  '\n", (16, "sender", "must be a non-empty text")),
        ("\n[selection]\nstrength_percentile = 20\n",
         (15, "improvement_percentile", "must be below strength_percentile")),
    ],
)  # fmt: skip
def test_bad_section_values_are_reported_with_their_lines(
    tmp_path: Path, addition: str, expected: tuple[int, str, str]
) -> None:
    _, problems = load(tmp_path, HEAD + addition)
    assert messages(problems) == [expected]


def test_a_section_that_is_not_a_table(tmp_path: Path) -> None:
    _, problems = load(tmp_path, HEAD.replace("year = 2024\n", "year = 2024\nselection = 3\n"))
    assert messages(problems) == [(3, "selection", "must be a table")]


def test_missing_required_keys_and_delindex(tmp_path: Path) -> None:
    _, problems = load(tmp_path, 'name = "X"\n')
    assert messages(problems) == [
        (1, "year", "missing"),
        (1, "publish_at", "missing"),
        (1, "delindex", "at least one [[delindex]] table is needed"),
    ]


def test_publish_at_needs_an_offset(tmp_path: Path) -> None:
    text = HEAD.replace("2024-12-03T08:00:00+01:00", '"2024-12-03T08:00:00"')
    _, problems = load(tmp_path, text)
    assert [(p.line, p.column) for p in problems] == [(3, "publish_at")]


def test_a_delindex_id_defined_twice(tmp_path: Path) -> None:
    _, problems = load(tmp_path, HEAD.replace("id = 1", "id = 2"))
    assert messages(problems) == [(11, "id", "delindex 2 is defined twice")]


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path / "none.toml")
    assert messages(problems) == [(None, "file", "file not found")]
    assert config == EditionConfig()
    _, problems = load(tmp_path, 'name = "X"\nyear = = 2024\n')
    assert [(p.line, p.column) for p in problems] == [(2, "toml")]
