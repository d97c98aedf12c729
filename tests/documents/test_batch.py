"""Batch rendering: complete, identical whatever --jobs is, failures reported not fatal."""

from __future__ import annotations

import gc
import hashlib
import os
import signal
import weakref
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.documents import batch
from rapportpaket.documents.package import Package
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.score import score_edition

from editions import write_edition

runner = CliRunner()


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_jobs_2_writes_the_same_bytes_as_jobs_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733212800")
    folder = write_edition(tmp_path / "ed")
    for jobs in ("1", "2"):
        result = runner.invoke(
            app, ["render", str(folder), "--all", "--jobs", jobs, "--out", str(tmp_path / jobs)]
        )
        assert result.exit_code == 0, result.output
        assert result.stdout == f"Wrote 4 packages under {tmp_path / jobs}\n"
    one, two = digests(tmp_path / "1"), digests(tmp_path / "2")
    assert len(one) == 12  # 4 municipalities × (rapport.pdf, presentation.pptx, verktyg.html)
    assert sorted(one) == [
        f"2024/{code}-{slug}/{name}"
        for code, slug in (("0114", "upplands-vasby"), ("0115", "vallentuna"),
                           ("0117", "osteraker"), ("0120", "varmdo"))
        for name in ("presentation.pptx", "rapport.pdf", "verktyg.html")
    ]  # fmt: skip
    assert one == two


def fake_render(fail: str) -> object:
    def render(
        results: object, kommunkod: str, out: Path, *, templates: object = None, units: bool = False
    ) -> Package:
        if kommunkod == fail:
            raise ValueError("template exploded")
        folder = out / kommunkod
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "rapport.pdf").write_text("pdf")
        return Package(
            kommunkod, folder, folder / "rapport.pdf", folder / "presentation.pptx",
            folder / "verktyg.html",
        )  # fmt: skip

    return render


def test_one_failure_is_reported_and_the_rest_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "render_package", fake_render(fail="0115"))
    results = score_edition(load_edition(write_edition(tmp_path / "ed")))
    seen: list[str] = []
    outcomes = batch.render_many(
        results, ["0114", "0115", "0117"], tmp_path / "out", jobs=1,
        progress=lambda o: seen.append(o.kommunkod),
    )  # fmt: skip
    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1].error is not None
    assert outcomes[1].error.startswith("ValueError: template exploded (at test_batch.py:")
    assert seen == ["0114", "0115", "0117"]
    assert (tmp_path / "out" / "0117" / "rapport.pdf").exists()


def test_cli_exits_1_when_a_package_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "render_package", fake_render(fail="0117"))
    folder = write_edition(tmp_path / "ed")
    result = runner.invoke(
        app, ["render", str(folder), "--all", "--jobs", "1", "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 1 of 4 packages failed:"
    assert lines[1].startswith("0117: ValueError: template exploded")


def test_all_and_kommun_together_is_a_usage_error(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    result = runner.invoke(app, ["render", str(folder), "--all", "--kommun", "Värmdö"])
    assert result.exit_code == 2
    assert result.stderr == "Error: give either --all or --kommun, not both\n"


def test_a_failing_document_in_a_worker_fails_only_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733212800")
    templates = tmp_path / "templates" / "pdf"
    templates.mkdir(parents=True)
    (templates / "cover.html").write_text(
        '{% if report.kommun == "Vallentuna" %}{{ report.no_such_field }}{% endif %}'
        '{% include "default:pdf/cover.html" %}'
    )
    results = score_edition(load_edition(write_edition(tmp_path / "ed")))
    seen: list[str] = []
    outcomes = batch.render_many(
        results, ["0114", "0115", "0117"], tmp_path / "out", jobs=2,
        templates=tmp_path / "templates", progress=lambda o: seen.append(o.kommunkod),
    )  # fmt: skip
    assert [o.kommunkod for o in outcomes] == ["0114", "0115", "0117"]
    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1].package is None
    assert outcomes[1].error is not None and outcomes[1].error.startswith("pdf: UndefinedError")
    assert sorted(seen) == ["0114", "0115", "0117"]
    for outcome in (outcomes[0], outcomes[2]):
        assert outcome.package is not None
        assert outcome.package.pdf.read_bytes().startswith(b"%PDF")
        assert outcome.package.deck.stat().st_size > 0
        assert [part for part, _ in outcome.part_seconds] == ["pdf", "deck", "tool"]
        assert all(seconds > 0 for _, seconds in outcome.part_seconds)
    assert not (tmp_path / "out" / "2024" / "0115-vallentuna" / "rapport.pdf").exists()


class Node:
    """An object that can take part in a reference cycle."""

    partner: object = None


def test_a_render_pauses_the_collector_and_collects_its_garbage_after() -> None:
    assert gc.isenabled()
    with batch._collected_once():
        assert not gc.isenabled()
        node = Node()
        node.partner = node  # a cycle: only the collector frees it
        probe = weakref.ref(node)
        del node
        assert probe() is not None  # garbage now, freed only by a collection
    assert probe() is None
    assert gc.isenabled()


def descendants(pid: int) -> set[int]:
    """Return the processes below `pid` (children, grandchildren, …), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def test_workers_and_forkserver_end_when_render_is_killed(tmp_path: Path) -> None:
    """Issue 17 #8: kill -9 of the parent left ~420 MB of processes running for good."""
    import signal
    import subprocess
    import sys
    import time

    folder = write_edition(tmp_path / "ed")
    command = [sys.executable, "-m", "rapportpaket", "render", str(folder), "--all", "--jobs",
               "2", "--out", str(tmp_path / "out")]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    below: set[int] = set()
    # Killed in the middle of the batch: workers running, the first package written.
    while not list((tmp_path / "out").rglob("*.pdf")) and process.poll() is None:
        assert time.monotonic() < deadline, "no package was written"
        below |= descendants(process.pid)
        time.sleep(0.05)
    below |= descendants(process.pid)
    assert len(below) >= 4  # the resource tracker, the forkserver, two workers
    assert process.poll() is None, "rendering ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while alive(below) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive(below) == set()


# Jobs for a child are pickled: they are functions of this module, not closures.
def _write(target: Path, data: bytes) -> None:
    target.write_bytes(data)


def _fail() -> None:
    raise KeyError("kommunkod 9999")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _note_pid(notes: Path) -> None:
    with notes.open("a") as file:
        file.write(f"{os.getpid()}\n")


@pytest.fixture
def no_child_left() -> Iterator[None]:
    """This test process forks children as a worker does; end the last one after the test."""
    yield
    batch._retire_child()


@pytest.mark.usefixtures("no_child_left")
def test_a_render_in_a_child_writes_its_file_and_reports_success(tmp_path: Path) -> None:
    target = tmp_path / "rapport.pdf"
    assert batch._in_child(partial(_write, target, b"%PDF-1.7")) is None
    assert target.read_bytes() == b"%PDF-1.7"


@pytest.mark.usefixtures("no_child_left")
def test_a_failure_in_a_child_is_described_to_the_worker() -> None:
    message = batch._in_child(_fail)
    assert message is not None
    assert message.startswith("KeyError: 'kommunkod 9999' (at test_batch.py:")


@pytest.mark.usefixtures("no_child_left")
def test_a_child_that_dies_is_a_failure_with_its_signal_and_the_next_job_gets_a_new_one(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "pids"
    assert batch._in_child(partial(_note_pid, notes)) is None
    assert batch._in_child(_die) == "the rendering process ended with signal 9"
    assert batch._in_child(partial(_note_pid, notes)) is None
    first, second = notes.read_text().split()
    assert first != second


@pytest.mark.usefixtures("no_child_left")
def test_one_child_renders_jobs_until_it_has_grown_to_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = tmp_path / "pids"
    own = batch._own_peak_rss_mb()  # this test process may be larger than a worker
    batch._retire_child()
    monkeypatch.setattr(batch, "CHILD_RETIRES_AT_MB", own + 1000)
    for _ in range(3):
        assert batch._in_child(partial(_note_pid, notes)) is None
    assert len(set(notes.read_text().split())) == 1  # forked once, not per job
    assert batch._children_peak_mb >= 0.5 * own  # the child reports its memory
    assert batch._peak_rss_mb() >= batch._children_peak_mb

    batch._retire_child()
    monkeypatch.setattr(batch, "CHILD_RETIRES_AT_MB", 0.0)  # children forked now are full
    notes.unlink()
    for _ in range(3):
        assert batch._in_child(partial(_note_pid, notes)) is None
    pids = notes.read_text().split()
    assert len(set(pids)) == 3
    assert batch._child is None  # the last one has ended and was waited for
    with pytest.raises(ProcessLookupError):
        os.kill(int(pids[-1]), 0)


def test_the_first_pdf_is_rendered_by_the_worker_the_rest_by_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = score_edition(load_edition(write_edition(tmp_path / "ed")))
    monkeypatch.setattr(batch, "_worker_results", results)
    monkeypatch.setattr(batch, "_warmed", set())
    where: list[str] = []
    in_this = batch._in_this_process

    def in_child(render: Callable[[], None]) -> str | None:
        where.append("child")
        return in_this(render)

    def in_worker(render: Callable[[], None]) -> str | None:
        where.append("worker")
        return in_this(render)

    monkeypatch.setattr(batch, "_in_child", in_child)
    monkeypatch.setattr(batch, "_in_this_process", in_worker)
    for kommunkod in ("0114", "0115"):
        for part in ("pdf", "deck"):
            out = tmp_path / "out" / kommunkod
            outcome = batch._render_part_in_worker(kommunkod, part, out, None, False)
            assert outcome.error is None
    assert where == ["worker", "worker", "child", "worker"]
