"""How summary.xlsx prints: each sheet's page setup, chosen for what finance and the department
head read on paper (A4 landscape throughout, header rows repeated).

- Employees: two strips per page row, not six: the contract's columns (employee_id ... file),
  then the dimension columns with employee_id and employee_name repeated on the left; a fixed
  scale, because Excel ignores manual breaks while fitting.
- Overview: the tables on the left strip, the charts on the right one, two charts to a page
  (page breaks fall between charts, never through one).
- KPIs, Issues, Audit: fitted to the page width, as many pages tall as the rows need; the print
  area covers the table (an empty table prints its header on one page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from kpibook import print_setup
from kpibook.print_setup import LINE_HEIGHT, row_height
from kpibook.records import EMPLOYEE_COLUMNS

EMPLOYEES_SCALE = 62  # percent: the contract's ten columns fill one landscape A4 width (LibreOffice measured)
OVERVIEW_SCALE = 64  # the tables (A:M) fill one landscape A4 width (LibreOffice measured)
OVERVIEW_TABLE_COLUMNS = 11  # A:K hold the tables; L:M stay empty, the charts start at column N
CHART_ROWS = 16  # rows between two charts' anchors (summary.Overview.add_charts)
CHART_FIRST_COLUMN = 14  # N: where summary.Overview.add_charts anchors them
CHART_COLUMNS = 10  # a 16 cm chart spans nine and a half default-width columns
CHARTS_PER_PAGE = 2


EMPLOYEES_HEADER_ROW = 2  # row 1 of Employees holds the Chinese column labels, row 2 the table's ids
FITTED = ("KPIs", "Issues", "Audit")
# Long text columns wrap inside their cell instead of running past the page (rows grow to fit).
WRAPPED = {
    "Employees": ("file",),
    "KPIs": ("kpi_zh", "kpi_en"),
    "Issues": ("file", "message"),
    "Audit": ("file", "expected", "found", "message"),
}  # fitted to the page width; the others print at a fixed scale


def prepare(sheets: Mapping[str, object]) -> None:
    """Before the first row is written: a write-only sheet writes its properties (where "fit to
    page" lives) with its first row, so the flag must be set first."""
    for name in FITTED:
        sheets[name].sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]


def setup_pages(sheets: Mapping[str, object], columns: Mapping[str, int], rows: Mapping[str, int], charts: int) -> None:
    """Page setup for every visible sheet: `columns` and `rows` give each table's size (header
    included), `charts` how many charts the Overview anchors from N2 down."""
    employees_last = get_column_letter(columns["Employees"])
    print_setup.apply(
        sheets["Employees"],
        area=f"A1:{employees_last}{rows['Employees']}",
        title_rows=f"1:{EMPLOYEES_HEADER_ROW}",
        title_cols="A:B",
        pages_wide=None,
        scale=EMPLOYEES_SCALE,
        column_breaks=[len(EMPLOYEE_COLUMNS)] if columns["Employees"] > len(EMPLOYEE_COLUMNS) else [],
    )
    _overview(sheets["Overview"], rows["Overview"], charts)
    for name in FITTED:
        last = get_column_letter(columns[name])
        print_setup.apply(sheets[name], area=f"A1:{last}{rows[name]}", title_rows="1:1")


def _overview(ws: object, table_rows: int, charts: int) -> None:
    per_page = CHART_ROWS * CHARTS_PER_PAGE
    chart_rows = 1 + charts * CHART_ROWS
    last_row = max(table_rows, chart_rows)
    last_column = CHART_FIRST_COLUMN - 1 + CHART_COLUMNS if charts else OVERVIEW_TABLE_COLUMNS
    print_setup.apply(
        ws,
        area=f"A1:{get_column_letter(last_column)}{last_row}",
        pages_wide=None,
        scale=OVERVIEW_SCALE,
        column_breaks=[OVERVIEW_TABLE_COLUMNS] if charts else [],
        # charts start at rows 2, 18, 34...: a page holds rows 1-33, then 34-65, ...
        row_breaks=list(range(1 + per_page, last_row, per_page)),
    )


def wrap_long_text(
    ws: object,
    header: Sequence[str],
    values: Sequence[Sequence[object]],
    widths: Sequence[float],
    rows: bytes,
    first_row: int = 2,
) -> bytes:
    """The bulk rows' XML (summary.rows_xml) with the WRAPPED columns' text cells wrapped and each
    row as tall as its wrapped text needs (no spreadsheet auto-fits a row it did not lay out)."""
    names = WRAPPED.get(ws.title, ())  # type: ignore[attr-defined]
    columns = [header.index(n) for n in names if n in header]
    if not columns:
        return rows
    style = WriteOnlyCell(ws)
    style.alignment = Alignment(wrap_text=True, vertical="top")
    style_id = style.style_id  # registers the style with the workbook; its index in cellXfs
    letters = b"|".join(get_column_letter(c + 1).encode() for c in columns)
    heights = {
        number: row_height([(str(row[c] if c < len(row) and row[c] is not None else ""), widths[c]) for c in columns])
        for number, row in enumerate(values, first_row)
    }
    tall = {n: h for n, h in heights.items() if h > LINE_HEIGHT}

    def wrapped(m: re.Match[bytes]) -> bytes:
        if m[1] is not None:  # a wrapped column's text cell: the wrapping style
            return b'<c r="%s%s" s="%d" t="inlineStr">' % (m[1], m[2], style_id)
        number = int(m[3])  # a row: as tall as its wrapped text
        return b'<row r="%s" ht="%g" customHeight="1">' % (m[3], tall[number]) if number in tall else m[0]

    # one pass, one copy of the rows (a summary of 10,000 people has ~9 MB of them)
    return re.sub(rb'<c r="(' + letters + rb')(\d+)" t="inlineStr">|<row r="(\d+)">', wrapped, rows)
