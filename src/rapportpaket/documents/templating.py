"""The one Jinja2 environment factory: autoescape, StrictUndefined, explicit filters.

A user template folder, when given, is searched before the packaged templates (package
data, `rapportpaket/templates/`, read through importlib.resources so that an installed
wheel finds them), and its templates can extend the packaged ones as `default:NAME`
(Datasette's pattern).
"""

from __future__ import annotations

import traceback
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import jinja2

from rapportpaket.errors import UsageError
from rapportpaket.support import swedish as formatting

PACKAGE = "rapportpaket"
TEMPLATES = "templates"


def packaged_template(name: str) -> Traversable:
    """Return a packaged template file (e.g. `deck/template.pptx`) as a resource."""
    return files(PACKAGE).joinpath(TEMPLATES, *name.split("/"))


def check_template_folder(user_templates: Path | None) -> None:
    """Refuse a `--templates` folder that does not exist (it would silently be ignored)."""
    if user_templates is not None and not user_templates.is_dir():
        raise UsageError(f"--templates {user_templates}: no such folder")


def make_environment(user_templates: Path | None = None) -> jinja2.Environment:
    """Return the Jinja2 environment used for every HTML and text template."""
    default = jinja2.PackageLoader(PACKAGE, TEMPLATES)
    search: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        search.append(jinja2.FileSystemLoader(str(user_templates)))
    search.append(default)
    loader = jinja2.PrefixLoader({"default": default}, delimiter=":")
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([loader, *search]),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml", "svg"),
            disabled_extensions=("txt",),  # plain-text mail bodies are not HTML
            default=True,
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        sv_number=formatting.sv_number,
        sv_signed=formatting.sv_signed,
        sv_percent=formatting.sv_percent,
        sv_value=formatting.sv_value,
        sv_date=formatting.sv_date,
        sv_datetime=formatting.sv_datetime,
        sv_rank=formatting.sv_rank,
        sv_list=formatting.sv_list,
    )
    return env


TEMPLATE_SUFFIXES = (".html", ".txt", ".css", ".xml", ".svg")


def template_error(error: BaseException) -> str | None:
    """Return `FILE:LINE: what` for an error in a template (its own file and line, not
    Jinja's internals), or None when the error did not happen in a template."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = _shown(error.filename or error.name or "template")
        return f"{where}:{error.lineno}: {error.message}"
    frames = [
        frame for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.endswith(TEMPLATE_SUFFIXES)
    ]  # fmt: skip
    if not frames:
        return None
    message = getattr(error, "message", None) or str(error)
    return f"{_shown(frames[-1].filename)}:{frames[-1].lineno}: {message}"


def _shown(filename: str) -> str:
    """Return a packaged template as `pdf/cover.html`, a user's as its path."""
    packaged = str(files(PACKAGE).joinpath(TEMPLATES))
    return filename[len(packaged) + 1 :] if filename.startswith(packaged + "/") else filename
