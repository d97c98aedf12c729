"""The one Jinja2 environment factory: autoescape, StrictUndefined, explicit filters.

A user template folder, when given, is searched before the packaged templates (package
data, `rapportpaket/templates/`, read through importlib.resources so that an installed
wheel finds them), and its templates can extend the packaged ones as `default:NAME`
(Datasette's pattern).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import jinja2

from rapportpaket.support import swedish as formatting

PACKAGE = "rapportpaket"
TEMPLATES = "templates"


def packaged_template(name: str) -> Traversable:
    """Return a packaged template file (e.g. `deck/template.pptx`) as a resource."""
    return files(PACKAGE).joinpath(TEMPLATES, *name.split("/"))


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
