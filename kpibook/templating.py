"""Jinja2 rendering from templates/ (HR edits wording there): the workbook's text sheets as
lines, and HTML pages (the department report) with every value escaped.

A template renders to lines; each line becomes one row of a sheet. A line starting with
"# " is a heading, "## " a sub-heading, "- " a list item; others are plain text.
Variables: spec, role, period, grades, words (KPI id -> how it is scored, in plain words, with
the spec's target), rules (KPI id -> (Chinese, English) rule text with the person's own target).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from kpibook.resources import templates_dir


@dataclass(frozen=True)
class Line:
    kind: str  # "h1", "h2", "item", "text", "blank"
    text: str


def _fmt(value: float) -> str:
    return f"{value:g}"


@lru_cache(maxsize=4)
def environment(folder: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder or templates_dir())),
        undefined=jinja2.StrictUndefined,  # a misspelt variable is an error, not a silent blank
        autoescape=False,  # output goes into cells as plain text, never HTML
        keep_trailing_newline=False,
    )
    env.filters["fmt"] = _fmt
    return env


def render_lines(template: str, **context: object) -> list[Line]:
    text = environment().get_template(template).render(**context)
    lines = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.startswith("## "):
            lines.append(Line("h2", line[3:]))
        elif line.startswith("# "):
            lines.append(Line("h1", line[2:]))
        elif line.startswith("- "):
            lines.append(Line("item", line[2:]))
        elif not line.strip():
            if lines and lines[-1].kind != "blank":
                lines.append(Line("blank", ""))
        else:
            lines.append(Line("text", line))
    return lines


@lru_cache(maxsize=4)
def html_environment(folder: Path | None = None) -> jinja2.Environment:
    """For HTML pages (templates/*.html.j2): every value is escaped unless marked safe, so a
    name from a workbook such as `<script>` is shown, never run."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder or templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
    )
    env.filters["fmt"] = _fmt
    return env


def render_page(template: str, **context: object) -> str:
    return html_environment().get_template(template).render(**context)
