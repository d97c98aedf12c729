"""The `run` command: one pass doing whatever is due at `now`, then exit.

Stages, in order: load the edition → score it once → settle mails whose fate a crash left
unknown → send the due summaries → write the public release at `publish_at` → render and
deliver the due packages in queue order.

A `--now` later than the clock (or `--rehearsal`) is a rehearsal: it takes the orders of
the production state, but keeps its own state and outbox under `OUT/<year>/rehearsal/`
and never uses SMTP, so that nothing it does can be mistaken for production.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from rapportpaket.commands.release import write_release_when_due
from rapportpaket.delivery.run import (
    Renderer,
    Run,
    RunReport,
    deliver_due_packages,
    note_what_waits,
    send_due_summaries,
    settle_unknown_mails,
)
from rapportpaket.delivery.state import State, open_state, run_lock, state_path_for
from rapportpaket.delivery.transport import (
    SMTP_URL,
    OutboxTransport,
    Transport,
    transport_from_env,
)
from rapportpaket.documents.batch import render_many
from rapportpaket.documents.templating import check_template_folder
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.score import score_edition
from rapportpaket.support import clock
from rapportpaket.support.files import remove_stale_temporaries

Advance = Callable[[int, int, str], None]
# Only tests set this ("module:function"), to put a slow fake renderer into a real process.
RENDERER_HOOK = "RAPPORTPAKET_TEST_RENDERER"
# How far --now may be ahead of the clock and still count as now (clocks drift).
CLOCK_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True)
class Where:
    """Where one run keeps its state and sends its mails."""

    state: Path
    orders_from: Path  # the production state, whose orders a rehearsal takes
    rehearsal: bool

    @property
    def outbox(self) -> Path:
        """Return the outbox folder beside the state."""
        return self.state.parent / "outbox"


def run_production(
    edition_path: Path,
    *,
    out: Path = Path("output"),
    state_path: Path | None = None,
    now: datetime | None = None,
    rehearsal: bool = False,
    jobs: int | None = None,
    templates: Path | None = None,
    renderer: Renderer | None = None,
    transport: Transport | None = None,
    progress: Advance | None = None,
) -> RunReport:
    """Do everything that is due at `now` (default: the clock) and return what was done."""
    check_template_folder(templates)
    edition = load_edition(edition_path)
    now = now or clock.now()
    where = where_to_run(out, edition.year, state_path, now, rehearsal=rehearsal)
    if not where.orders_from.exists():
        return RunReport(now, notes=[f"No orders yet ({where.orders_from}): nothing to do."])
    results = score_edition(edition)
    report = RunReport(now, rehearsal=_banner(where, now) if where.rehearsal else "")
    transport = _transport(where, transport, report)
    renderer = renderer or renderer_from_env() or render_many
    with run_lock(where.state), _state(where, edition.year) as state:
        remove_stale_temporaries(out / str(edition.year))  # left by a killed earlier run
        run = Run(state, results, transport, now, report)
        settle_unknown_mails(run)
        send_due_summaries(run)
        write_release_when_due(run, out)
        deliver_due_packages(run, renderer, out, jobs, templates, progress)
    note_what_waits(run)
    return run.report


def where_to_run(
    out: Path, year: int, state_path: Path | None, now: datetime, *, rehearsal: bool = False
) -> Where:
    """Return the production state, or a rehearsal's when asked or when `now` is ahead."""
    production = state_path or state_path_for(out, year)
    if rehearsal or now > clock.now() + CLOCK_TOLERANCE:
        return Where(production.parent / "rehearsal" / production.name, production, True)
    return Where(production, production, False)


def _banner(where: Where, now: datetime) -> str:
    why = "--rehearsal" if now <= clock.now() + CLOCK_TOLERANCE else "--now is later than the clock"
    return (
        f"({why}): state and outbox under {where.state.parent}/; nothing is sent and the "
        "production state is not changed"
    )


def _transport(where: Where, given: Transport | None, report: RunReport) -> Transport:
    if not where.rehearsal:
        return given or transport_from_env(where.outbox)
    smtp_given = given is not None and not isinstance(given, OutboxTransport)
    if smtp_given or os.environ.get(SMTP_URL, "").strip():
        report.notes.append("SMTP is not used in a rehearsal: mails went to the outbox.")
    return OutboxTransport(where.outbox)


@contextmanager
def _state(where: Where, year: int) -> Iterator[State]:
    """Open the run's state; a rehearsal's is first given the production's orders."""
    with open_state(where.state, year, create=where.rehearsal) as state:
        if where.rehearsal:
            with open_state(where.orders_from, year) as production:
                state.mirror_orders(production)
        yield state


def renderer_from_env() -> Renderer | None:
    """Return the renderer named by the test hook, if set."""
    hook = os.environ.get(RENDERER_HOOK, "")
    if not hook:
        return None
    import importlib

    module, _, name = hook.partition(":")
    renderer: Renderer = getattr(importlib.import_module(module), name)
    return renderer
