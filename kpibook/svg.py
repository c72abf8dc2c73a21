"""Small inline SVG charts for the department report page, drawn from the numbers alone.

No JavaScript library, no image file, nothing fetched: each chart is one <svg> element that a
browser, a phone or an e-mail client shows offline and prints sharply. Labels are escaped here,
so the strings returned are safe to put into the page as they are.

Every chart has a fixed width in user units and scales to its container (viewBox), so one
drawing serves the screen and A4 paper.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 680  # user units; the page scales the drawing to its column
ROW = 22  # height of one bar's row
LABEL = 210  # room for the labels left of the bars
VALUE = 56  # room for the value right of the bars
FONT = 12
COLOURS = {"bar": "#4472c4", "low": "#c55a11", "ref": "#7f7f7f", "grid": "#d9d9d9", "text": "#222"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    note: str = ""  # shown after the value, e.g. "n=3"


@dataclass(frozen=True)
class Spread:
    label: str
    low: float
    mean: float
    high: float
    note: str = ""


def text_width(text: str, size: float = FONT) -> float:
    """Roughly how wide `text` is in user units (wide East Asian characters count as 1 em)."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.56 for c in text)


def fit(text: str, room: float, size: float = FONT) -> str:
    """`text`, shortened with an ellipsis so that it fits in `room` units."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def _scale_top(values: Sequence[float], reference: float | None) -> float:
    top = max([*values, (reference or 0.0) * 1.2, 1.0])  # room right of the target line
    step = 20.0 if top > 40 else (5.0 if top > 10 else 1.0)
    return step * -(-top // step)


def _svg(height: float, body: list[str], title: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:g}" width="{WIDTH}" height="{height:g}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT}" fill="{COLOURS["text"]}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _axis(top: float, height: float, reference: float | None) -> list[str]:
    """Grid lines at quarters of the scale, and a dashed line at the reference (100 = target)."""
    plot = WIDTH - LABEL - VALUE
    parts = []
    for i in range(5):
        x = LABEL + plot * i / 4
        parts.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 16:.1f}" stroke="{COLOURS["grid"]}"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 3:.1f}" text-anchor="middle">{top * i / 4:g}</text>')
    if reference is not None and 0 < reference <= top:
        x = LABEL + plot * reference / top
        parts.append(
            f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{height - 16:.1f}" '
            f'stroke="{COLOURS["ref"]}" stroke-dasharray="4 3"/>'
        )
    return parts


def _label(y: float, text: str) -> str:
    return f'<text x="{LABEL - 6}" y="{y:.1f}" text-anchor="end">{escape(fit(text, LABEL - 10))}</text>'


def bar_chart(bars: Sequence[Bar], title: str, reference: float | None = 100.0, digits: int = 1) -> str:
    """Horizontal bars, one per item, from zero; a dashed line at `reference`."""
    top = _scale_top([b.value for b in bars], reference)
    height = len(bars) * ROW + 24
    plot = WIDTH - LABEL - VALUE
    body = _axis(top, height, reference)
    for i, bar in enumerate(bars):
        y = 6 + i * ROW
        length = plot * max(bar.value, 0.0) / top
        colour = COLOURS["low"] if reference is not None and bar.value < reference * 0.8 else COLOURS["bar"]
        shown = f"{bar.value:.{digits}f}" + (f" {bar.note}" if bar.note else "")
        body += [
            _label(y + 13, bar.label),
            f'<rect x="{LABEL}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" fill="{colour}"/>',
            f'<text x="{LABEL + length + 4:.1f}" y="{y + 14}">{escape(shown)}</text>',
        ]
    return _svg(height, body, title)


def column_chart(bars: Sequence[Bar], title: str) -> str:
    """Vertical columns of counts (the grade distribution), the count above each column."""
    height, base, room = 150.0, 124.0, 100.0
    top = max([b.value for b in bars] + [1.0])
    step = (WIDTH - 40) / max(len(bars), 1)
    body = [f'<line x1="20" y1="{base}" x2="{WIDTH - 20}" y2="{base}" stroke="{COLOURS["ref"]}"/>']
    for i, bar in enumerate(bars):
        x = 20 + i * step + step * 0.2
        h = room * bar.value / top
        body += [
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{step * 0.6:.1f}" height="{h:.1f}" fill="{COLOURS["bar"]}"/>',
            f'<text x="{x + step * 0.3:.1f}" y="{base - h - 4:.1f}" text-anchor="middle">{bar.value:g}'
            f"{escape(' ' + bar.note if bar.note else '')}</text>",
            f'<text x="{x + step * 0.3:.1f}" y="{base + 16}" text-anchor="middle" font-weight="bold">'
            f"{escape(fit(bar.label, step))}</text>",
        ]
    return _svg(height, body, title)


def spread_chart(spreads: Sequence[Spread], title: str, reference: float | None = 100.0) -> str:
    """One line per item from its lowest to its highest value, a dot at the mean."""
    top = _scale_top([s.high for s in spreads], reference)
    height = len(spreads) * ROW + 24
    plot = WIDTH - LABEL - VALUE
    body = _axis(top, height, reference)
    for i, item in enumerate(spreads):
        y = 6 + i * ROW + ROW / 2
        x_low, x_mean, x_high = (LABEL + plot * max(v, 0.0) / top for v in (item.low, item.mean, item.high))
        body += [
            _label(y + 4, item.label),
            f'<line x1="{x_low:.1f}" y1="{y:.1f}" x2="{max(x_high, x_low + 1):.1f}" y2="{y:.1f}" '
            f'stroke="{COLOURS["bar"]}" stroke-width="6" stroke-linecap="round" opacity="0.45"/>',
            f'<circle cx="{x_mean:.1f}" cy="{y:.1f}" r="4.5" fill="{COLOURS["bar"]}"/>',
            f'<text x="{LABEL + plot + 4}" y="{y + 4:.1f}">{item.mean:.1f}{escape(" " + item.note if item.note else "")}</text>',
        ]
    return _svg(height, body, title)
