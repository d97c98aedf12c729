"""Open pages in a real browser (Debian's Chromium, driven by Playwright) for the tool's tests.

Playwright's own browser download is not used: the tests drive the system's `chromium`
(apt), which CI installs (scripts/install-system-packages.sh test). Every page is opened
with the network cut: a request for anything but a local file is aborted, and recorded,
so a test can assert that none was made. Console errors and uncaught exceptions are kept.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, Route, sync_playwright

from tools import needs_program

needs_chromium = needs_program("chromium", "chromium")
LOCAL = ("file:", "blob:", "data:", "about:")


def chromium() -> Iterator[Browser]:
    """Yield Chromium, started once for a test module (a pytest fixture's body)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox"],  # CI runs as root, where Chromium's sandbox cannot start
        )
        yield browser
        browser.close()


@dataclass
class Opened:
    """A page, with what it asked the network for and every error it reported."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def remote_requests(self) -> list[str]:
        """Return the requests for anything but a local file, blob or data URL."""
        return [url for url in self.requests if not url.startswith(LOCAL)]


def open_file(browser: Browser, path: Path, fragment: str = "", *, width: int = 1280) -> Opened:
    """Open a local HTML file (with `#fragment`) in a fresh context, the network cut."""
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    opened = Opened(page)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    context.route("**/*", _local_only)
    page.goto(path.as_uri() + (f"#{fragment}" if fragment else ""))
    return opened


def _local_only(route: Route) -> None:
    if route.request.url.startswith(LOCAL):
        route.continue_()
    else:
        route.abort()
