"""How every sheet kpibook writes prints: one place for the page setup.

Each sheet gets a deliberate setup: A4, an orientation chosen for its shape, fitted to the
page width (or split at a chosen column with the identifying columns repeated), header rows
repeated on every page, and a print area that covers exactly its content. The choices, sheet
by sheet, are in the callers (build.py, summary.py, the formula book); the mechanics are here.

Why fit-to-width and not a fixed scale: Excel, LibreOffice and WPS lay text out with different
fonts; fitting lets each program pick the scale that makes its own rendering fit. Where a table
is too wide to fit legibly, it is split into strips at a manual column break instead, with
a fixed scale (Excel ignores manual breaks while fitting).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from openpyxl.worksheet.pagebreak import Break

MARGIN_SIDE_IN = 0.4  # inches, left and right
MARGIN_TOP_IN = 0.6
MARGIN_BOTTOM_IN = 0.6


def apply(
    ws: object,
    area: str,
    landscape: bool = True,
    title_rows: str | None = None,
    title_cols: str | None = None,
    pages_wide: int | None = 1,
    pages_tall: int = 0,
    scale: int | None = None,
    column_breaks: Sequence[int] = (),
    row_breaks: Sequence[int] = (),
    footer: bool = True,
) -> None:
    """Sets the page setup of worksheet `ws` (openpyxl, normal or write-only).

    pages_wide/pages_tall: fit to that many pages (0: as many as needed); None: no fitting, print
    at `scale` percent and break at `column_breaks` (after those column numbers) instead.
    """
    setup = ws.page_setup  # type: ignore[attr-defined]
    setup.paperSize = 9  # A4
    setup.orientation = "landscape" if landscape else "portrait"
    ws.print_area = area  # type: ignore[attr-defined]
    if title_rows:
        ws.print_title_rows = title_rows  # type: ignore[attr-defined]
    if title_cols:
        ws.print_title_cols = title_cols  # type: ignore[attr-defined]
    if pages_wide is not None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]
        setup.fitToWidth, setup.fitToHeight = pages_wide, pages_tall
    elif scale is not None:
        setup.scale = scale
    for column in column_breaks:
        ws.col_breaks.append(Break(id=column))  # type: ignore[attr-defined]
    for row in row_breaks:
        ws.row_breaks.append(Break(id=row))  # type: ignore[attr-defined]
    margins = ws.page_margins  # type: ignore[attr-defined]
    margins.left = margins.right = MARGIN_SIDE_IN
    margins.top, margins.bottom = MARGIN_TOP_IN, MARGIN_BOTTOM_IN
    margins.header = margins.footer = 0.3
    if footer:
        ws.oddFooter.left.text = "kpibook"  # type: ignore[attr-defined]
        ws.oddFooter.right.text = "&P / &N"  # type: ignore[attr-defined]


# Row heights: wrapped text needs rows sized for it (no program auto-fits rows it did not lay out).
LINE_HEIGHT = 15.0  # points per line of 11-point text
# Share of a column's width that wrapped text fills. Below 1 because LibreOffice without Calibri
# draws it in a wider face (DejaVu Sans, about a fifth wider): rows sized for Calibri overlapped.
TEXT_FILL = 0.78


def text_width(text: str) -> int:
    """Display width in character cells: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def row_height(cells: Sequence[tuple[str, float]]) -> float:
    """Height that shows every (text, column width) of a row wrapped: spreadsheets do not agree on
    auto-fitting rows they did not lay out themselves, so the height is set explicitly."""
    lines = 1
    for text, width in cells:
        usable = max(1.0, width * TEXT_FILL)
        lines = max(lines, sum(max(1, -(-text_width(part) // int(usable))) for part in str(text).split("\n")))
    return lines * LINE_HEIGHT
