"""The one exception hierarchy; each class carries the exit status the CLI uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, reported as `FILE:LINE: column: problem`."""

    file: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.column}: {self.message}"


class RapportpaketError(Exception):
    """Base of every error the program reports to its user."""

    exit_code = 1


# A broken file can make thousands of problems; the first ones show what is wrong.
SHOWN_PROBLEMS = 50


class InputError(RapportpaketError):
    """Bad input: every problem found in one pass, nothing written.

    The message lists the first SHOWN_PROBLEMS problems and counts the rest.
    """

    exit_code = 2

    def __init__(self, problems: Iterable[Problem], summary: str = "") -> None:
        self.problems = _in_file_order(problems)
        count = len(self.problems)
        head = summary or f"{count} problem{'s' if count != 1 else ''} found"
        lines = [head, *(str(p) for p in self.problems[:SHOWN_PROBLEMS])]
        if count > SHOWN_PROBLEMS:
            lines.append(f"… and {count - SHOWN_PROBLEMS} more (fix the ones above first)")
        super().__init__("\n".join(lines))


def _in_file_order(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Return problems file by file (in the order first seen), each file's by line."""
    listed = list(problems)
    files = {problem.file: index for index, problem in reversed(list(enumerate(listed)))}
    return tuple(sorted(listed, key=lambda p: (files[p.file], p.line or 0)))


class EditionError(InputError):
    """An edition folder that cannot be loaded."""


class OrderError(InputError):
    """An order file that cannot be imported, or an order command that cannot be done."""


class UsageError(RapportpaketError):
    """A command asked for something that does not exist (e.g. an unknown municipality)."""

    exit_code = 2


class RenderError(RapportpaketError):
    """A document (PDF, deck, chart) could not be produced."""

    exit_code = 3


class MailError(RapportpaketError):
    """A mail could not be built or handed to its transport."""

    exit_code = 4


class StateError(RapportpaketError):
    """The production state (SQLite) is unusable or inconsistent."""

    exit_code = 5


class LockedError(RapportpaketError):
    """Another run (or order command) holds the production state's lock; nothing was done."""

    exit_code = 6


class BatchError(RapportpaketError):
    """Some packages of a batch failed; the others were produced."""

    exit_code = 1


class SourceError(RapportpaketError):
    """An outside data source (Kolada's API) could not be read or understood; nothing written."""

    exit_code = 7
