"""What a printed PDF looks like, read back with poppler's `pdftotext -bbox`: pages, words and
their boxes, so tests can say "no text runs past the printable width" and "no two lines of text
overlap" about what LibreOffice or Chromium actually printed."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def read_pages(pdf: Path) -> list[Page]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for width, height, body in _PAGE.findall(html):
        words = [Word(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in _WORD.findall(body)]
        pages.append(Page(float(width), float(height), words))
    return pages


def past_the_margin(page: Page, margin_pt: float) -> list[Word]:
    """Words that reach into the right or left margin (printed past the printable width)."""
    return [w for w in page.words if w.x1 > page.width - margin_pt + 0.5 or w.x0 < margin_pt - 0.5]


def overlapping(page: Page, share: float = 0.35) -> list[tuple[Word, Word]]:
    """Pairs of words printed over each other: their boxes cross by more than `share` of a line's
    height (consecutive lines of one paragraph touch by a point or two: the fonts' ascent and
    descent; a row drawn over another crosses by half a line or more)."""
    words = sorted(page.words, key=lambda w: w.y0)
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b.y0 >= a.y1:
                break
            height = min(a.y1 - a.y0, b.y1 - b.y0)
            if min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > share * height:
                found.append((a, b))
    return found
