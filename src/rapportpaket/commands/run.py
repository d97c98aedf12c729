"""The `run` command: one pass doing whatever is due at `now`, then exit.

Stages, in order: load the edition → score it once → settle mails whose fate a crash left
unknown → send the due summaries → write the public release at `publish_at` → render and
deliver the due packages in queue order.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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
from rapportpaket.delivery.state import open_state, run_lock, state_path_for
from rapportpaket.delivery.transport import OutboxTransport, Transport, transport_from_env
from rapportpaket.documents.batch import render_many
from rapportpaket.edition.load import load_edition
from rapportpaket.errors import UsageError
from rapportpaket.scoring.score import score_edition
from rapportpaket.support import clock
from rapportpaket.support.files import remove_stale_temporaries

Advance = Callable[[int, int, str], None]
# Only tests set this ("module:function"), to put a slow fake renderer into a real process.
RENDERER_HOOK = "RAPPORTPAKET_TEST_RENDERER"


def run_production(
    edition_path: Path,
    *,
    out: Path = Path("output"),
    state_path: Path | None = None,
    now: datetime | None = None,
    jobs: int | None = None,
    templates: Path | None = None,
    renderer: Renderer | None = None,
    transport: Transport | None = None,
    progress: Advance | None = None,
) -> RunReport:
    """Do everything that is due at `now` (default: the clock) and return what was done."""
    edition = load_edition(edition_path)
    results = score_edition(edition)
    now = now or clock.now()
    year_folder = out / str(edition.year)
    state_path = state_path or state_path_for(out, edition.year)
    transport = transport or transport_from_env(year_folder / "outbox")
    renderer = renderer or renderer_from_env() or render_many
    _refuse_simulated_future(now, transport)
    with run_lock(state_path), open_state(state_path, edition.year) as state:
        remove_stale_temporaries(year_folder)  # left by a killed earlier run
        run = Run(state, results, transport, now, RunReport(now))
        settle_unknown_mails(run)
        send_due_summaries(run)
        write_release_when_due(run, out)
        deliver_due_packages(run, renderer, out, jobs, templates, progress)
    note_what_waits(run)
    return run.report


def _refuse_simulated_future(now: datetime, transport: Transport) -> None:
    # A --now in the future is a rehearsal: fine into the outbox, but through a real server
    # it would send summaries before the embargo.
    if now > clock.now() + timedelta(minutes=1) and not isinstance(transport, OutboxTransport):
        raise UsageError(f"--now {now.isoformat()} is in the future; rehearse with the outbox")


def renderer_from_env() -> Renderer | None:
    """Return the renderer named by the test hook, if set."""
    hook = os.environ.get(RENDERER_HOOK, "")
    if not hook:
        return None
    import importlib

    module, _, name = hook.partition(":")
    renderer: Renderer = getattr(importlib.import_module(module), name)
    return renderer
