"""The command line: parse arguments, call one library function, map errors to exit codes.

Heavy libraries (pandas, WeasyPrint, python-pptx, matplotlib) are imported inside the
commands, so that `rapportpaket --help` answers at once.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from rapportpaket.errors import RapportpaketError

app = typer.Typer(
    name="rapportpaket",
    help="Report packages (PDF analysis, slide deck, embargoed summary) from Hemtjänstindex.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
orders_app = typer.Typer(help="Import and list the orders of an edition.", no_args_is_help=True)
app.add_typer(orders_app, name="orders")

T = TypeVar("T")

EditionArg = Annotated[
    Path, typer.Argument(help="Edition folder, e.g. reports/2024.", show_default=False)
]
OutDirOpt = Annotated[Path, typer.Option("--out", help="Output folder.")]


class _Options:
    debug = False
    strict = False


class _CountingHandler(logging.Handler):
    """Print warnings to stderr and count them, so that --strict can make them fatal."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        print(f"Warning: {record.getMessage()}", file=sys.stderr)


_warnings = _CountingHandler()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Produce Hemtjänstindex report packages."""
    _Options.debug = debug
    _Options.strict = strict
    _warnings.count = 0
    root = logging.getLogger("rapportpaket")
    root.setLevel(logging.INFO if debug else logging.WARNING)
    if _warnings not in root.handlers:
        root.addHandler(_warnings)
    root.propagate = False


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Map every RapportpaketError to `Error: …` on stderr and its exit code: the one place."""
    try:
        yield
    except RapportpaketError as error:
        if _Options.debug:
            raise
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    if _Options.strict and _warnings.count:
        typer.echo(f"Error: {_warnings.count} warning(s) with --strict", err=True)
        raise typer.Exit(1)


def _run(action: Callable[[], T]) -> T:
    with _reported_errors():
        return action()
    raise AssertionError("unreachable")  # pragma: no cover


@app.command()
def validate(edition: EditionArg) -> None:
    """Check an edition folder and report every problem at once."""
    from rapportpaket.commands.validate import validate_edition

    typer.echo(_run(lambda: validate_edition(edition)))


@app.command()
def scores(
    edition: EditionArg,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the scores CSV here (default: stdout).")
    ] = None,
    indicators: Annotated[
        Path | None, typer.Option("--indicators", help="Also write per-indicator results here.")
    ] = None,
    units: Annotated[
        Path | None,
        typer.Option("--units", help="Also write every unit's per-indicator results here."),
    ] = None,
    unit_index: Annotated[
        Path | None,
        typer.Option("--unit-index", help="Also write every unit's delindex means here."),
    ] = None,
) -> None:
    """Compute every municipality's results and write them as CSV."""
    from rapportpaket.commands.scores import export_scores

    def action() -> str | None:
        return export_scores(
            edition, out=out, indicators_out=indicators, units_out=units, unit_index_out=unit_index
        )

    text = _run(action)
    if text is not None:
        sys.stdout.write(text)


@app.command()
def render(
    edition: EditionArg,
    kommun: Annotated[
        list[str] | None,
        typer.Option("--kommun", help="Municipality name or kommunkod (repeatable)."),
    ] = None,
    all_municipalities: Annotated[
        bool, typer.Option("--all", help="Render every municipality of the edition.")
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", min=1, help="Parallel processes (default: cores).")
    ] = None,
    out: OutDirOpt = Path("output"),
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Folder of templates overriding ours.")
    ] = None,
    enheter: Annotated[
        bool,
        typer.Option(
            "--enheter", help="Include the unit analysis: enheter.pdf and the deck's unit slides."
        ),
    ] = False,
) -> None:
    """Write packages (rapport.pdf and presentation.pptx) for one, several or all municipalities."""
    from rapportpaket.documents.batch import start_workers_early

    # Before anything else (even importing the rendering job, which imports pandas): the
    # workers' imports then overlap loading and scoring the edition.
    start_workers_early(jobs)
    from rapportpaket.commands.render import render_packages

    def action() -> None:
        with _progress_bar("Rendering packages") as advance:
            summary = render_packages(
                edition, kommun or [], all_municipalities=all_municipalities, jobs=jobs,
                out=out, templates=templates, progress=advance, units=enheter,
            )  # fmt: skip
        typer.echo(summary)

    _run(action)


@contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[int, int, str], None]]:
    """Yield `advance(done, total, text)`, drawn as a bar on a terminal, silent otherwise."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int, text: str) -> None:
            bar.update(task, completed=done, total=total, description=text)

        yield advance


# --------------------------------------------------------------------------- orders and run

StateOpt = Annotated[
    Path | None,
    typer.Option("--state", help="State database (default: OUT/<year>/state.sqlite3)."),
]


def _parse_now(text: str | None) -> datetime:
    """Return `--now` as a moment (no offset means Swedish local time), else the clock."""
    from rapportpaket.errors import UsageError
    from rapportpaket.support import clock

    if text is None:
        return clock.now()
    moment = clock.parse_local_moment(text)
    if moment is None:
        raise UsageError(f"--now {text!r} is not an ISO 8601 time")
    return moment


@orders_app.command("import")
def orders_import(
    edition: EditionArg,
    files: Annotated[list[Path], typer.Argument(help="Order files (CSV or XLSX).")],
    out: OutDirOpt = Path("output"),
    state: StateOpt = None,
) -> None:
    """Validate order files and add their orders to the queue (all or nothing)."""
    from rapportpaket.commands.orders import import_order_files

    now = _run(lambda: _parse_now(None))
    typer.echo(_run(lambda: import_order_files(edition, files, out=out, state_path=state, now=now)))


@orders_app.command("list")
def orders_list(
    edition: EditionArg, out: OutDirOpt = Path("output"), state: StateOpt = None
) -> None:
    """Show the queue: position, municipality, when ordered, summary and package status."""
    from rich.console import Console
    from rich.table import Table

    from rapportpaket.commands.orders import list_queue

    lines = _run(lambda: list_queue(edition, out=out, state_path=state))
    table = Table("#", "kommun", "ordered_at", "enheter", "summary", "package", "error")
    for line in lines:
        table.add_row(
            str(line.position), line.kommun, line.ordered_at, line.enheter, line.summary,
            line.package, line.error,
        )  # fmt: skip
    Console(width=200 if not sys.stdout.isatty() else None).print(table)


@orders_app.command("resolve")
def orders_resolve(
    edition: EditionArg,
    kommun: Annotated[str, typer.Argument(help="Municipality name or kommunkod.")],
    sent: Annotated[bool, typer.Option("--sent", help="The mail reached its recipients.")] = False,
    resend: Annotated[bool, typer.Option("--resend", help="Send the mail again.")] = False,
    out: OutDirOpt = Path("output"),
    state: StateOpt = None,
    now: Annotated[str | None, typer.Option("--now", help="Replace the clock.")] = None,
) -> None:
    """Settle a mail whose fate is unknown: it was --sent, or --resend it."""
    from rapportpaket.commands.orders import resolve_order
    from rapportpaket.errors import UsageError

    def action() -> str:
        if sent == resend:
            raise UsageError("give exactly one of --sent and --resend")
        return resolve_order(
            edition, kommun, sent=sent, out=out, state_path=state, now=_parse_now(now)
        )

    typer.echo(_run(action))


@app.command("run")
def run_command(
    edition: EditionArg,
    now: Annotated[str | None, typer.Option("--now", help="Replace the clock (ISO 8601).")] = None,
    out: OutDirOpt = Path("output"),
    state: StateOpt = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", min=1, help="Parallel processes (default: cores).")
    ] = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Folder of templates overriding ours.")
    ] = None,
) -> None:
    """Do what is due once, then exit: summaries at the embargo, packages at publication."""
    from rapportpaket.commands.run import run_production

    def action() -> None:
        with _progress_bar("Delivering packages") as advance:
            report = run_production(
                edition, out=out, state_path=state, now=_parse_now(now), jobs=jobs,
                templates=templates, progress=advance,
            )  # fmt: skip
        typer.echo(str(report))
        report.raise_for_failures()

    _run(action)
