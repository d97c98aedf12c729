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
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from rapportpaket import __version__
from rapportpaket.edition.kolada import BASE_URL_VARIABLE, DEFAULT_BASE_URL
from rapportpaket.errors import RapportpaketError

GLOBAL_OPTIONS = ("--debug", "--strict", "--version")


class _Command(TyperCommand):
    """A command whose help shows no type placeholders (`<list[Path]>`, `<bool>`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _without_type_placeholders(super().get_params(ctx))


class _Group(TyperGroup):
    """A group like _Command, whose root also accepts the global options after a
    subcommand (`orders import … --strict`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if ctx.parent is None:
            args = hoist_global_options(args)
        return super().parse_args(ctx, args)

    def get_params(self, ctx: Any) -> list[Any]:
        return _without_type_placeholders(super().get_params(ctx))


def hoist_global_options(args: list[str]) -> list[str]:
    """Return `args` with the global options moved before the subcommand."""
    end = args.index("--") if "--" in args else len(args)
    found = [a for a in args[:end] if a in GLOBAL_OPTIONS]
    rest = [a for a in args[:end] if a not in GLOBAL_OPTIONS]
    return found + rest + args[end:]


def _without_type_placeholders(params: list[Any]) -> list[Any]:
    # An option shows its metavar (`--out DIR`); a flag and an argument nothing more.
    for param in params:
        shown = getattr(param, "metavar", None) if isinstance(param, TyperOption) else None
        param.display_type_rich = lambda ctx, shown=shown: shown
    return params


app = typer.Typer(
    name="rapportpaket",
    cls=_Group,
    help="Report packages (PDF analysis, slide deck, embargoed summary) from Hemtjänstindex.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
orders_app = typer.Typer(
    cls=_Group, help="Import, list and correct the orders of an edition.", no_args_is_help=True
)
app.add_typer(orders_app, name="orders")
command = partial(app.command, cls=_Command)
orders_command = partial(orders_app.command, cls=_Command)

T = TypeVar("T")

EditionArg = Annotated[
    Path,
    typer.Argument(
        help="Edition folder, e.g. reports/2024.", show_default=False, metavar="EDITION"
    ),
]
KommunArg = Annotated[str, typer.Argument(help="Municipality name or kommunkod.", metavar="KOMMUN")]
OutDirOpt = Annotated[Path, typer.Option("--out", help="Output folder.", metavar="DIR")]
StateOpt = Annotated[
    Path | None,
    typer.Option("--state", help="State database (default: OUT/YEAR/state.sqlite3).",
                 metavar="FILE"),
]  # fmt: skip
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", min=1, help="Parallel processes (default: cores).", metavar="N"),
]
TemplatesOpt = Annotated[
    Path | None,
    typer.Option("--templates", help="Folder of templates overriding ours.", metavar="DIR"),
]
NowOpt = Annotated[
    str | None, typer.Option("--now", help="Replace the clock (ISO 8601).", metavar="TIME")
]


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


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"rapportpaket {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors (exit 2).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="Show the version.", callback=_show_version, is_eager=True),
    ] = False,
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
        raise typer.Exit(2)


def _run(action: Callable[[], T]) -> T:
    with _reported_errors():
        return action()
    raise AssertionError("unreachable")  # pragma: no cover


@command()
def validate(edition: EditionArg) -> None:
    """Check an edition folder and report every problem at once."""
    from rapportpaket.commands.validate import validate_edition

    typer.echo(_run(lambda: validate_edition(edition)))


@command()
def scores(
    edition: EditionArg,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the scores CSV here (default or -: stdout).",
                     metavar="FILE"),
    ] = None,
    indicators: Annotated[
        Path | None,
        typer.Option("--indicators", help="Also write per-indicator results here.",
                     metavar="FILE"),
    ] = None,
    units: Annotated[
        Path | None,
        typer.Option("--units", help="Also write every unit's per-indicator results here.",
                     metavar="FILE"),
    ] = None,
    unit_index: Annotated[
        Path | None,
        typer.Option("--unit-index", help="Also write every unit's delindex means here.",
                     metavar="FILE"),
    ] = None,
) -> None:  # fmt: skip
    """Compute every municipality's results and write them as CSV."""
    from rapportpaket.commands.scores import export_scores

    def action() -> str | None:
        return export_scores(
            edition, out=out, indicators_out=indicators, units_out=units, unit_index_out=unit_index
        )

    text = _run(action)
    if text is not None:
        sys.stdout.write(text)


@command()
def render(
    edition: EditionArg,
    kommun: Annotated[
        list[str] | None,
        typer.Option("--kommun", help="Municipality name or kommunkod (repeatable).",
                     metavar="KOMMUN"),
    ] = None,
    all_municipalities: Annotated[
        bool, typer.Option("--all", help="Render every municipality of the edition.")
    ] = False,
    jobs: JobsOpt = None,
    out: OutDirOpt = Path("output"),
    templates: TemplatesOpt = None,
    enheter: Annotated[
        bool,
        typer.Option(
            "--enheter",
            help="Include the unit analysis: enheter.pdf, the deck's unit slides and the tool's "
            "unit view.",
        ),
    ] = False,
) -> None:  # fmt: skip
    """Write packages (rapport.pdf, presentation.pptx, verktyg.html) for one, several or all;
    with --enheter also enheter.pdf."""
    from rapportpaket.documents.batch import start_workers_early

    # Before anything else (even importing the rendering job, which imports pandas): the
    # workers' imports then overlap loading and scoring the edition.
    start_workers_early(jobs)
    from rapportpaket.commands.render import render_packages

    def action() -> None:
        with _progress("Rendering packages") as advance:
            summary = render_packages(
                edition, kommun or [], all_municipalities=all_municipalities, jobs=jobs,
                out=out, templates=templates, progress=advance, units=enheter,
            )  # fmt: skip
        typer.echo(summary)

    _run(action)


@app.command()
def tool(
    edition: EditionArg,
    kommun: Annotated[
        list[str] | None,
        typer.Option("--kommun", help="Municipality name or kommunkod (repeatable)."),
    ] = None,
    out: OutDirOpt = Path("output"),
    templates: TemplatesOpt = None,
    enheter: Annotated[
        bool, typer.Option("--enheter", help="Include the unit view of the unit analysis.")
    ] = False,
) -> None:
    """Write the digital tool (verktyg.html) of one or more municipalities' packages."""
    from rapportpaket.commands.tool import write_tools

    typer.echo(
        _run(
            lambda: write_tools(edition, kommun or [], out=out, templates=templates, units=enheter)
        )
    )


@app.command()
def kolada(
    edition: EditionArg,
    year: Annotated[
        int | None, typer.Option("--year", min=1, help="Year to fetch (default: the edition's).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar=BASE_URL_VARIABLE,
            help=f"Kolada's API (default: {DEFAULT_BASE_URL}).",
        ),
    ] = None,
    cache: Annotated[
        Path, typer.Option("--cache", help="Folder of raw responses, for offline rebuilds.")
    ] = Path("output/kolada"),
    offline: Annotated[
        bool, typer.Option("--offline", help="Read the responses from --cache, not the network.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
) -> None:
    """Fill the indicators that name a kolada_kpi with Kolada's values (values.csv/.xlsx)."""
    from rapportpaket.commands.kolada import import_kolada

    report = _run(
        lambda: import_kolada(
            edition, year=year, base_url=base_url, cache=cache, offline=offline, dry_run=dry_run
        )
    )
    typer.echo(report)


@contextmanager
def _progress(label: str, *, log: bool = False) -> Iterator[Callable[[int, int, str], None]]:
    """Yield `advance(done, total, text)`: a bar on a terminal; with `log`, one line each
    when the output is a log (cron), where a bar would be nothing."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    terminal = sys.stderr.isatty()
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True, disable=not terminal) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int, text: str) -> None:
            bar.update(task, completed=done, total=total, description=text)
            if log and not terminal:
                print(f"{label}: {done}/{total} {text}", flush=True)

        yield advance


@app.command()
def release(edition: EditionArg, out: OutDirOpt = Path("output")) -> None:
    """Write the public release: national lists (CSV), spreadsheet, national report and deck."""
    from rapportpaket.commands.release import release_edition

    report = _run(lambda: release_edition(edition, out=out))
    typer.echo(report.summary())
    notice = report.embargo_notice()
    if notice is not None:
        typer.echo(notice, err=True)  # stderr: a warning, not the command's output


# --------------------------------------------------------------------------- orders and run


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


@orders_command("import")
def orders_import(
    edition: EditionArg,
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Order files (CSV or XLSX), after the edition.", metavar="FILE..."),
    ] = None,
    out: OutDirOpt = Path("output"),
    state: StateOpt = None,
) -> None:
    """Validate order files and add their orders to the queue (all or nothing)."""
    from rapportpaket.commands.orders import import_order_files

    now = _run(lambda: _parse_now(None))
    typer.echo(
        _run(lambda: import_order_files(edition, files or [], out=out, state_path=state, now=now))
    )


@orders_command("list")
def orders_list(
    edition: EditionArg,
    out: OutDirOpt = Path("output"),
    state: StateOpt = None,
    rehearsal: Annotated[
        bool, typer.Option("--rehearsal", help="Show the queue as the rehearsals left it.")
    ] = False,
    output_format: Annotated[
        Literal["text", "csv"],
        typer.Option("--format", help="text, or csv for Excel (UTF-8, ;).", metavar="FORMAT"),
    ] = "text",
) -> None:
    """Show the queue: each order's mails and package, recipients, contacts and errors."""
    from rapportpaket.commands.orders import list_queue
    from rapportpaket.commands.queue_view import queue_csv, queue_text

    lines = _run(lambda: list_queue(edition, out=out, state_path=state, rehearsal=rehearsal))
    if output_format == "csv":
        sys.stdout.buffer.write(queue_csv(lines))
        sys.stdout.flush()
    elif not lines:
        typer.echo("No orders yet (import them with `rapportpaket orders import`).")
    else:
        typer.echo(queue_text(lines))


@orders_command("edit")
def orders_edit(
    edition: EditionArg,
    kommun: KommunArg,
    email: Annotated[
        str | None,
        typer.Option("--email", help="The new recipients, separated by , or ;.", metavar="A[,B]"),
    ] = None,
    contact: Annotated[
        str | None, typer.Option("--contact", help="The new contact person.", metavar="NAME")
    ] = None,
    out: OutDirOpt = Path("output"),
    state: StateOpt = None,
) -> None:
    """Replace an order's recipients and/or contact (a mail already sent is not resent)."""
    from rapportpaket.commands.orders import edit

    typer.echo(_run(lambda: edit(edition, kommun, emails=email, contact=contact, out=out,
                                 state_path=state, now=_parse_now(None))))  # fmt: skip


@orders_command("cancel")
def orders_cancel(
    edition: EditionArg, kommun: KommunArg, out: OutDirOpt = Path("output"), state: StateOpt = None
) -> None:
    """Cancel an order: no more mails go to it (undo with `orders restore`)."""
    from rapportpaket.commands.orders import cancel

    typer.echo(_run(lambda: cancel(edition, kommun, restore=False, out=out, state_path=state,
                                   now=_parse_now(None))))  # fmt: skip


@orders_command("restore")
def orders_restore(
    edition: EditionArg, kommun: KommunArg, out: OutDirOpt = Path("output"), state: StateOpt = None
) -> None:
    """Undo the cancellation of an order."""
    from rapportpaket.commands.orders import cancel

    typer.echo(_run(lambda: cancel(edition, kommun, restore=True, out=out, state_path=state,
                                   now=_parse_now(None))))  # fmt: skip


@orders_command("history")
def orders_history(
    edition: EditionArg,
    kommun: Annotated[
        str | None, typer.Argument(help="Only this municipality's order.", metavar="KOMMUN")
    ] = None,
    out: OutDirOpt = Path("output"),
    state: StateOpt = None,
) -> None:
    """Show every change of the orders (imports, edits, cancellations), with its time."""
    from rapportpaket.commands.orders import order_history

    typer.echo(_run(lambda: order_history(edition, kommun, out=out, state_path=state)))


@orders_command("resolve")
def orders_resolve(
    edition: EditionArg,
    kommun: KommunArg,
    sent: Annotated[bool, typer.Option("--sent", help="The mail reached its recipients.")] = False,
    resend: Annotated[bool, typer.Option("--resend", help="Send the mail again.")] = False,
    out: OutDirOpt = Path("output"),
    state: StateOpt = None,
    now: NowOpt = None,
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


@command("run")
def run_command(
    edition: EditionArg,
    now: NowOpt = None,
    rehearsal: Annotated[
        bool, typer.Option("--rehearsal", help="Rehearse: own state and outbox, no SMTP.")
    ] = False,
    out: OutDirOpt = Path("output"),
    state: StateOpt = None,
    jobs: JobsOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Do what is due once, then exit: summaries at the embargo, packages at publication."""
    from rapportpaket.commands.run import run_production

    def action() -> None:
        with _progress("Delivering packages", log=True) as advance:
            report = run_production(
                edition, out=out, state_path=state, now=_parse_now(now), rehearsal=rehearsal,
                jobs=jobs, templates=templates, progress=advance,
            )  # fmt: skip
        typer.echo(str(report))
        report.raise_for_failures()

    _run(action)
