"""The `validate` command: load every file of an edition, report every problem at once."""

from __future__ import annotations

from pathlib import Path

from rapportpaket.edition.load import load_edition, summarize_edition


def validate_edition(edition_path: Path) -> str:
    """Return the one-line summary of a valid edition; raise EditionError otherwise."""
    return summarize_edition(load_edition(edition_path))
