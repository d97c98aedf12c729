"""`orders import|list|resolve` and `run`: exit codes, exact lines, and kill -9 safety."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.delivery.state import open_state

from editions import ORDERS, write_edition

runner = CliRunner()
TESTS = Path(__file__).resolve().parents[1]  # where the helper modules are
HOOK = "fakes:fake_renderer"


def prepare(tmp_path: Path) -> tuple[Path, Path, Path]:
    edition = write_edition(tmp_path / "ed")
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    return edition, orders, tmp_path / "out"


def test_help_lists_the_new_commands() -> None:
    assert "run" in runner.invoke(app, ["--help"]).output
    orders_help = runner.invoke(app, ["orders", "--help"]).output
    assert all(word in orders_help for word in ("import", "list", "resolve"))


def test_import_then_again_adds_nothing(tmp_path: Path) -> None:
    edition, orders, out = prepare(tmp_path)
    first = runner.invoke(app, ["orders", "import", str(edition), str(orders), "--out", str(out)])
    assert first.exit_code == 0
    assert first.output.splitlines()[-1] == "4 added, 0 updated"
    again = runner.invoke(app, ["orders", "import", str(edition), str(orders), "--out", str(out)])
    assert again.output.splitlines() == [
        "4 order(s) already imported, nothing added",
        "0 added, 0 updated",
    ]


def test_bad_orders_exit_2_with_every_problem_and_store_nothing(tmp_path: Path) -> None:
    edition, orders, out = prepare(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ordered_at,kommun,email\n"
        "2024-10-01T09:00:00+02:00,Valentuna,a@vallentuna.example.se\n"
        "2024-10-01T09:00:00+02:00,Värmdö,a@varmdo\n",
        encoding="utf-8",
    )
    args = ["orders", "import", str(edition), str(orders), str(bad), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: 2 problem(s) in the order files; nothing stored",
        f"{bad}:2: kommun: unknown municipality 'Valentuna' (did you mean Vallentuna?)",
        f"{bad}:3: email: 'a@varmdo': the part after the @-sign is not valid. It should have "
        "a period",
    ]
    assert not out.exists()  # not even an empty state file

    runner.invoke(app, ["orders", "import", str(edition), str(orders), "--out", str(out)])
    state = out / "2024" / "state.sqlite3"
    before = hashlib.sha256(state.read_bytes()).hexdigest()
    assert runner.invoke(app, args).exit_code == 2
    assert hashlib.sha256(state.read_bytes()).hexdigest() == before


def test_list_shows_the_queue(tmp_path: Path) -> None:
    edition, orders, out = prepare(tmp_path)
    runner.invoke(app, ["orders", "import", str(edition), str(orders), "--out", str(out)])
    result = runner.invoke(app, ["orders", "list", str(edition), "--out", str(out)])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "#   kommun          ordered           summary                    package",
        "1   Vallentuna      2024-09-15 09:00  waiting (due 12-02 08:00)  "
        "waiting (due 12-03 08:00)",
        "    to b@vallentuna.example.se, c@vallentuna.example.se",
        "2   Värmdö          2024-10-02 09:00  waiting (due 12-02 08:00)  "
        "waiting (due 12-03 08:00)",
        "    to a@varmdo.example.se",
        "    contact Vera",
        "3   Upplands Väsby  2024-10-02 09:00  waiting (due 12-02 08:00)  "
        "waiting (due 12-03 08:00)",
        "    to d@upplands-vasby.example.se",
        "4   Österåker       2024-12-03 09:30  none (ordered late)        "
        "waiting (due 12-03 09:30)",
        "    to e@osteraker.example.se",
    ]


def test_list_before_any_import_says_so(tmp_path: Path) -> None:
    edition, _, out = prepare(tmp_path)
    result = runner.invoke(app, ["orders", "list", str(edition), "--out", str(out)])
    assert result.exit_code == 0
    assert result.output == "No orders yet (import them with `rapportpaket orders import`).\n"
    assert not out.exists()


@pytest.mark.parametrize("content", [b"", b"not a database\n"])
def test_a_state_file_that_is_not_a_state_is_refused(tmp_path: Path, content: bytes) -> None:
    """Issue 17 #7: never re-created (re-importing would send every summary again)."""
    edition, orders, out = prepare(tmp_path)
    state = out / "2024" / "state.sqlite3"
    state.parent.mkdir(parents=True)
    state.write_bytes(content)
    for args in (["orders", "import", str(edition), str(orders)], ["orders", "list", str(edition)],
                 ["run", str(edition), "--now", "2024-12-02T08:00:00+01:00"]):  # fmt: skip
        result = runner.invoke(app, [*args, "--out", str(out)])
        assert result.exit_code == 5, (args, result.output)
        assert "is not a production state" in result.stderr or "not a usable" in result.stderr
    assert state.read_bytes() == content


def test_resolve_needs_exactly_one_flag(tmp_path: Path) -> None:
    edition, _, _ = prepare(tmp_path)
    result = runner.invoke(app, ["orders", "resolve", str(edition), "Vallentuna"])
    assert result.exit_code == 2
    assert result.stderr == "Error: give exactly one of --sent and --resend\n"


def test_run_exit_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edition, orders, out = prepare(tmp_path)
    runner.invoke(app, ["orders", "import", str(edition), str(orders), "--out", str(out)])
    monkeypatch.setenv("RAPPORTPAKET_TEST_RENDERER", HOOK)
    monkeypatch.setenv("FAKE_RENDER_FAIL", "0120")
    args = ["run", str(edition), "--out", str(out), "--now", "2024-12-03T08:00:00+01:00"]
    failed = runner.invoke(app, args)
    assert failed.exit_code == 1
    assert "package Värmdö: RenderError: boom" in failed.output
    assert failed.stderr == "Error: 1 package(s) or mail(s) failed\n"
    monkeypatch.delenv("FAKE_RENDER_FAIL")
    fixed = runner.invoke(app, [*args[:-1], "2024-12-03T09:00"])  # no offset: Swedish time
    assert fixed.exit_code == 0
    assert "packages delivered: 1" in fixed.output


# --------------------------------------------------------------------------- kill -9


def cli(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "rapportpaket", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def inodes(outbox: Path) -> dict[str, int]:
    if not outbox.exists():
        return {}
    return {p.name: p.stat().st_ino for p in outbox.glob("*.eml")}


def wait_for_files(outbox: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while len(inodes(outbox)) < count and process.poll() is None:
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.005)


@pytest.mark.parametrize("seed", [0, 1])
def test_kill_9_at_any_moment_then_rerun_delivers_each_mail_once(tmp_path: Path, seed: int) -> None:
    edition, orders, out = prepare(tmp_path)
    runner.invoke(app, ["orders", "import", str(edition), str(orders), "--out", str(out)])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
        "RAPPORTPAKET_TEST_RENDERER": HOOK,
        "FAKE_RENDER_DELAY": "0.15",
    }
    outbox = out / "2024" / "outbox"
    args = ["run", str(edition), "--out", str(out), "--now", "2024-12-03T12:00:00+01:00"]
    seen: dict[str, int] = {}
    killed_alive = 0
    # Kill once files have appeared (between mails, in the middle of rendering), and at
    # fixed delays that land anywhere, including while a mail is recorded but not written.
    kill_points = [("files", 1 + seed), ("delay", 0.9 + 0.13 * seed), ("files", 2 + seed),
                   ("delay", 1.1 + 0.07 * seed), ("files", 3)]  # fmt: skip
    for kind, value in kill_points:
        process = cli(*args, env=env)
        if kind == "files":
            wait_for_files(outbox, int(value), process)
        else:
            time.sleep(float(value))
        killed_alive += process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen = check_never_rewritten(outbox, seen)
    assert killed_alive >= 3  # the kills landed in running passes, not after them
    final = cli(*args, env=env)
    assert final.wait(timeout=60) == 0, final.stderr.read().decode() if final.stderr else ""
    check_never_rewritten(outbox, seen)

    # The first run is after publication: packages only, the summaries are missed.
    expected = {f"hti2024-{k}-package-1.eml" for k in ("0114", "0115", "0117", "0120")}
    assert set(inodes(outbox)) == expected
    assert list(out.rglob("*.tmp")) == []
    with open_state(out / "2024" / "state.sqlite3", 2024) as state:
        statuses = sorted((m.kind, m.status) for m in state.mails())
    assert statuses == [("package", "sent")] * 4 + [("summary", "missed")] * 3


def check_never_rewritten(outbox: Path, seen: dict[str, int]) -> dict[str, int]:
    """Fail if a mail file seen earlier was written again (a mail sent twice)."""
    now = inodes(outbox)
    for name, inode in seen.items():
        assert now.get(name) == inode, f"{name} was sent again"
    return now


# --------------------------------------------------------------------------- issue 16


def imported(tmp_path: Path) -> tuple[Path, Path]:
    edition, orders, out = prepare(tmp_path)
    result = runner.invoke(app, ["orders", "import", str(edition), str(orders), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return edition, out


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, "rapportpaket 0.1.0\n")


@pytest.mark.parametrize(
    "command",
    [[], ["validate"], ["scores"], ["render"], ["run"], ["orders"], ["orders", "import"],
     ["orders", "list"], ["orders", "edit"], ["orders", "cancel"], ["orders", "restore"],
     ["orders", "history"], ["orders", "resolve"]],
)  # fmt: skip
def test_help_has_no_type_placeholders(command: list[str]) -> None:
    import re

    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert re.findall(r"<[^>]*>", result.output) == []


def test_an_order_file_in_place_of_the_edition_says_the_edition_comes_first(
    tmp_path: Path,
) -> None:
    _, orders, _ = prepare(tmp_path)
    result = runner.invoke(app, ["orders", "import", str(orders)])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: the edition folder comes first, then the order files: rapportpaket orders "
        "import EDITION FILE... (e.g. reports/2024 orders.csv)\n"
    )


def test_global_options_after_the_subcommand(tmp_path: Path) -> None:
    edition, orders, out = prepare(tmp_path)
    args = ["orders", "import", str(edition), str(orders), "--out", str(out), "--strict"]
    assert runner.invoke(app, args).exit_code == 0


def test_a_run_holding_the_lock_makes_another_exit_6(tmp_path: Path) -> None:
    from rapportpaket.delivery.state import run_lock

    edition, out = imported(tmp_path)
    with run_lock(out / "2024" / "state.sqlite3"):
        result = runner.invoke(app, ["run", str(edition), "--out", str(out), "--now",
                                     "2024-12-02T08:00:00+01:00"])  # fmt: skip
        edit = runner.invoke(app, ["orders", "cancel", str(edition), "Värmdö", "--out", str(out)])
    assert (result.exit_code, edit.exit_code) == (6, 6)
    assert "another run (or order command) is in progress" in result.stderr


def test_nothing_to_resolve_is_not_an_error(tmp_path: Path) -> None:
    edition, out = imported(tmp_path)
    args = ["orders", "resolve", str(edition), "Vallentuna", "--sent", "--out", str(out)]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.output) == (
        0, "Vallentuna: nothing to resolve (no mail of unknown fate)\n",
    )  # fmt: skip


def test_templates_that_do_not_exist_are_an_error(tmp_path: Path) -> None:
    edition, out = imported(tmp_path)
    missing = tmp_path / "mallar"
    for args in (["render", str(edition), "--kommun", "Värmdö"], ["run", str(edition)]):
        result = runner.invoke(app, [*args, "--templates", str(missing), "--out", str(out)])
        assert (result.exit_code, result.stderr) == (
            2, f"Error: --templates {missing}: no such folder\n",
        )  # fmt: skip


def test_edit_cancel_restore_and_history_from_the_command_line(tmp_path: Path) -> None:
    edition, out = imported(tmp_path)
    base = ["--out", str(out)]
    edit = runner.invoke(app, ["orders", "edit", str(edition), "Varmdo", "--email",
                               "vera@varmdo.example.se", *base])  # fmt: skip
    assert edit.exit_code == 0, edit.output
    assert edit.output.splitlines()[0] == (
        "Värmdö: email a@varmdo.example.se → vera@varmdo.example.se"
    )
    bad = runner.invoke(app, ["orders", "edit", str(edition), "Värmdö", "--email", "vera@", *base])
    assert bad.exit_code == 2
    assert "--email: email: 'vera@'" in bad.stderr
    for option in ("--email", "--contact"):
        broken = runner.invoke(app, ["orders", "edit", str(edition), "Värmdö", option,
                                     "x@v.example.se\nBcc: y@evil.example", *base])  # fmt: skip
        assert (broken.exit_code, broken.stderr) == (
            2, f"Error: {option}: contains a control character (a line break, a tab, …)\n",
        )  # fmt: skip
    assert runner.invoke(app, ["orders", "cancel", str(edition), "0115", *base]).exit_code == 0
    restore = runner.invoke(app, ["orders", "restore", str(edition), "Vallentuna", *base])
    assert restore.output == "Vallentuna: restored; what is due goes on the next run\n"
    history = runner.invoke(app, ["orders", "history", str(edition), "Vallentuna", *base])
    assert [row.split("  ", 1)[1] for row in history.output.splitlines()] == [
        f"Vallentuna: imported ({tmp_path}/orders.csv:3)",
        "Vallentuna: cancelled",
        "Vallentuna: restored",
    ]


def test_list_as_csv_for_excel(tmp_path: Path) -> None:
    edition, out = imported(tmp_path)
    result = runner.invoke(app, ["orders", "list", str(edition), "--format", "csv", "--out",
                                 str(out)])  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfposition;kommunkod;kommun;")
    assert "b@vallentuna.example.se, c@vallentuna.example.se" in result.stdout


def test_a_run_in_a_log_writes_a_line_per_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edition, out = imported(tmp_path)
    monkeypatch.setenv("RAPPORTPAKET_TEST_RENDERER", HOOK)
    args = ["run", str(edition), "--out", str(out), "--now", "2024-12-03T08:00:00+01:00"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert [row for row in result.output.splitlines() if row.startswith("Delivering")] == [
        "Delivering packages: 1/3 Vallentuna",
        "Delivering packages: 2/3 Värmdö",
        "Delivering packages: 3/3 Upplands Väsby",
    ]
