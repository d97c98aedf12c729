"""Marks for tests that need an external program (poppler, LibreOffice, Chromium).

On a developer's machine such a test is skipped when the program is missing. CI sets
RAPPORTPAKET_REQUIRE_TOOLS=1 (scripts/test.sh does), and then the test runs regardless,
so a missing program fails loudly instead of silently skipping the check.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def needs_program(name: str, package: str) -> pytest.MarkDecorator:
    missing = shutil.which(name) is None
    required = os.environ.get("RAPPORTPAKET_REQUIRE_TOOLS") == "1"
    return pytest.mark.skipif(missing and not required, reason=f"needs {package} ({name})")


def needs_file(path: Path, package: str) -> pytest.MarkDecorator:
    """Like `needs_program`, for a part of a program known by one of its files."""
    required = os.environ.get("RAPPORTPAKET_REQUIRE_TOOLS") == "1"
    return pytest.mark.skipif(not path.exists() and not required, reason=f"needs {package}")
