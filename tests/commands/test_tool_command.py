"""`rapportpaket tool`: writes just the tool, into the package's folder; exact errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rapportpaket.cli import app

from editions import DEFAULT_TOML, write_edition

runner = CliRunner()


def test_writes_only_the_tool(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    out = tmp_path / "out"
    result = runner.invoke(app, ["tool", str(folder), "--kommun", "Vallentuna", "--out", str(out)])
    assert result.exit_code == 0, result.output
    target = out / "2024" / "0115-vallentuna" / "verktyg.html"
    assert result.stdout == f"Wrote {target}\n"
    assert [p.name for p in target.parent.iterdir()] == ["verktyg.html"]
    assert '<h1 id="kommun">Vallentuna</h1>' in target.read_text(encoding="utf-8")


def test_several_municipalities_by_name_or_code(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    out = tmp_path / "out"
    args = ["tool", str(folder), "--kommun", "0114", "--kommun", "värmdö", "--kommun", "0114"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Wrote {out / '2024' / '0114-upplands-vasby' / 'verktyg.html'}",
        f"Wrote {out / '2024' / '0120-varmdo' / 'verktyg.html'}",
    ]


def test_without_a_municipality_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tool", str(write_edition(tmp_path / "ed"))])
    assert result.exit_code == 2
    assert result.stderr == "Error: name a municipality with --kommun\n"


def test_an_unknown_municipality_exits_2_with_a_suggestion(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    result = runner.invoke(
        app, ["tool", str(folder), "--kommun", "Valentuna", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown municipality 'Valentuna' (did you mean Vallentuna?)\n"
    assert not (tmp_path / "2024").exists()


def test_before_publication_it_warns_and_strict_makes_that_fatal(tmp_path: Path) -> None:
    toml = DEFAULT_TOML.format(extra="", w1=1.0, w2=1.0).replace("2024-12-03", "2199-12-03")
    folder = write_edition(tmp_path / "ed", toml=toml)
    args = ["tool", str(folder), "--kommun", "0114", "--out", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: the tool holds every municipality's results, unpublished until "
        "2199-12-03T08:00:00+01:00\n"
    )
    strict = runner.invoke(app, ["--strict", *args])
    assert strict.exit_code == 2  # warnings made fatal are bad input (issue 16)
    assert strict.stderr.splitlines()[-1] == "Error: 1 warning(s) with --strict"


def test_a_broken_template_exits_3(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    ours = tmp_path / "templates" / "tool"
    ours.mkdir(parents=True)
    (ours / "verktyg.html").write_text("{{ tool.no_such_field }}")
    args = ["tool", str(folder), "--kommun", "0114", "--templates", str(tmp_path / "templates")]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: 0114: the tool could not be written: ")
    assert "no_such_field" in result.stderr
    assert not (tmp_path / "out" / "2024").exists()
