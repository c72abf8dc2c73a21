"""Writing YEAR.xlsx (`year_workbook`): the Year sheet, and besides it Rules (the named cells the formulas read), Totals (per
department and manager), Trend (grade distribution per quarter with a chart, dimensions per
quarter) and Audit (every column in words). Layout constants live in kpibook.year_book.

Every formula cell of Year, Totals and Trend carries kpibook's own value as its cached value
(`year_bytes`): the Totals and Trend writers return, beside each formula, what it gives, computed
from the same rows. Previewers and pandas read these; spreadsheets recompute on open. The Trend
chart caches the values of the cells it draws (kpibook.as_excel), for viewers that draw only those.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.chart import Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from kpibook import ooxml
from kpibook.as_excel import as_excel_writes
from kpibook.fingerprint import Key
from kpibook.messages import both
from kpibook.scoring import excel_round
from kpibook.year_book import (
    AUDIT,
    BOLD,
    FIRST_ROW,
    FORMAT_VERSION,
    FORMULA_FILL,
    HEADER_ROW,
    KIND,
    LABEL_ROW,
    METADATA,
    RULES,
    TABLE_NAME,
    TOTALS,
    TREND,
    YEAR,
    Column,
    YearBook,
    add_bar_chart,
    columns,
    define_name,
    formula,
    letters,
    only_values,
    row_values,
    rule_values,
    signature,
    value_header,
    values_digest,
)
from kpibook.year_model import YearRow
from kpibook.year_rules import QUARTERS

NUMBER_FORMATS = {"annual_score": "0.00", "coefficient": "0.00", "bonus_base": "#,##0.00", "payout": "#,##0.00"}
RULE_NAMES = ("quarter_weights", "grade_mins", "grade_names", "coefficients", "coefficient_cap")
GRADE_FIRST_ROW = 7


def _by_id(cols: Sequence[Column], column_id: str) -> Column:
    return next(c for c in cols if c.id == column_id)


def _year_range(where: dict[str, str], column_id: str, book: YearBook) -> str:
    last = FIRST_ROW + max(len(book.rows), 1) - 1
    letter = where[column_id]
    return f"{YEAR}!${letter}${FIRST_ROW}:${letter}${last}"


def add_rules_sheet(wb: Workbook, book: YearBook) -> None:
    ws = wb.create_sheet(RULES)
    ws["A1"] = both("year.sheet.rules")
    ws["A1"].font = BOLD
    ws["A3"] = "quarter"
    ws["A4"] = "quarter_weights"
    for i, (quarter, period) in enumerate(zip(QUARTERS, book.periods, strict=True)):
        ws.cell(3, 2 + i, period)
        ws.cell(4, 2 + i, book.rules.quarter_weights[quarter])
    define_name(wb, "quarter_weights", f"{RULES}!$B$4:$E$4")
    ws.cell(GRADE_FIRST_ROW - 1, 1, "grade_names")
    ws.cell(GRADE_FIRST_ROW - 1, 2, "grade_mins")
    ws.cell(GRADE_FIRST_ROW - 1, 3, "coefficients")
    ordered = sorted(book.grades, key=lambda g: g.min)
    for i, grade in enumerate(ordered):
        ws.cell(GRADE_FIRST_ROW + i, 1, grade.grade)
        ws.cell(GRADE_FIRST_ROW + i, 2, grade.min)
        ws.cell(GRADE_FIRST_ROW + i, 3, book.rules.coefficients[grade.grade])
        ws.cell(GRADE_FIRST_ROW + i, 6, f"{grade.label_zh} / {grade.label_en}")
    last = GRADE_FIRST_ROW + len(ordered) - 1
    for name, letter in (("grade_names", "A"), ("grade_mins", "B"), ("coefficients", "C")):
        define_name(wb, name, f"{RULES}!${letter}${GRADE_FIRST_ROW}:${letter}${last}")
    cap_row = last + 2
    ws.cell(cap_row, 1, "coefficient_cap")
    ws.cell(cap_row, 2, book.rules.effective_cap)
    ws.cell(cap_row, 6, both("year.rules.cap_none" if book.rules.coefficient_cap is None else "year.rules.cap"))
    define_name(wb, "coefficient_cap", f"{RULES}!$B${cap_row}")
    for letter, width in (("A", 18), ("B", 12), ("C", 12), ("D", 12), ("E", 12), ("F", 30)):
        ws.column_dimensions[letter].width = width


Cached = dict[str, object]  # a sheet's formula cells ("B4") -> the value kpibook computed for them


def _matches(value: object, name: str) -> bool:
    """COUNTIF's test of a text criterion: equal text, letter case ignored (as every spreadsheet does)."""
    return isinstance(value, str) and value.casefold() == name.casefold()


def _paid(rows: Sequence[YearRow]) -> list[float]:
    """The payouts a ">=0" criterion counts: numbers, not the "" of an unpaid row."""
    return [r.payout for r in rows if r.payout is not None and r.payout >= 0]


def add_totals_sheet(wb: Workbook, book: YearBook, where: dict[str, str]) -> Cached:
    """Per department and per manager: people, people paid, payout; then the whole year.
    Returns each formula cell's value, computed from the same rows."""
    ws = wb.create_sheet(TOTALS)
    cached: Cached = {}
    payout = _year_range(where, "payout", book)
    row = 1
    for column_id in ("department", "manager"):
        names = sorted({getattr(r, column_id) for r in book.rows})
        ws.cell(row, 1, column_id).font = BOLD
        for i, title in enumerate(("people", "paid", "payout"), 2):
            ws.cell(row, i, title).font = BOLD
        within = _year_range(where, column_id, book)
        for name in names:
            row += 1
            ws.cell(row, 1, name)
            ws.cell(row, 2, f"=COUNTIF({within},$A{row})")
            ws.cell(row, 3, f'=COUNTIFS({within},$A{row},{payout},">=0")')
            ws.cell(row, 4, f"=ROUND(SUMIF({within},$A{row},{payout}),2)").number_format = "#,##0.00"
            group = [r for r in book.rows if _matches(getattr(r, column_id), name)]
            payouts = [r.payout for r in group if r.payout is not None]
            cached |= {f"B{row}": len(group), f"C{row}": len(_paid(group)), f"D{row}": excel_round(sum(payouts), 2)}
        row += 2
    ws.cell(row, 1, "total").font = BOLD
    ws.cell(row, 2, f"=COUNTA({_year_range(where, 'employee_id', book)})")
    ws.cell(row, 3, f'=COUNTIF({payout},">=0")')
    ws.cell(row, 4, f"=ROUND(SUM({payout}),2)").number_format = "#,##0.00"
    ws.cell(row + 1, 1, both("year.totals.note"))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["D"].width = 16
    every = [r.payout for r in book.rows if r.payout is not None]
    counted = sum(1 for r in book.rows if r.employee_id != "")
    return cached | {f"B{row}": counted, f"C{row}": len(_paid(book.rows)), f"D{row}": excel_round(sum(every), 2)}


def add_trend_sheet(wb: Workbook, book: YearBook, where: dict[str, str]) -> Cached:
    """Grade counts per quarter and for the year (with a chart), then the dimension blocks.
    Returns each formula cell's value, computed from the same rows."""
    ws = wb.create_sheet(TREND)
    cached: Cached = {}
    ws["A1"] = both("year.sheet.trend_grades")
    ws["A1"].font = BOLD
    ws.cell(3, 1, "grade")
    for i, period in enumerate(book.periods, 2):
        ws.cell(3, i, period)
    ws.cell(3, 6, str(book.year))
    grades = [g.grade for g in sorted(book.grades, key=lambda g: -g.min)]
    for r, grade in enumerate(grades, 4):
        ws.cell(r, 1, grade)
        for i, period in enumerate(book.periods, 2):
            ws.cell(r, i, f"=COUNTIF({_year_range(where, 'grade.' + period, book)},$A{r})")
            quarter = QUARTERS[i - 2]
            cached[f"{get_column_letter(i)}{r}"] = sum(_matches(x.quarters[quarter].grade, grade) for x in book.rows)
        ws.cell(r, 6, f"=COUNTIF({_year_range(where, 'annual_grade', book)},$A{r})")
        cached[f"F{r}"] = sum(_matches(x.annual_grade, grade) for x in book.rows)
    last = 3 + len(grades)
    data = Reference(ws, min_col=2, max_col=5, min_row=3, max_row=last)
    add_bar_chart(ws, both("year.chart.grades"), data, Reference(ws, min_col=1, min_row=4, max_row=last), "H1")
    return cached | _dimension_blocks(ws, book, last + 3)


def _mean(points: Sequence[float | None]) -> float | str:
    """IFERROR(ROUND(AVERAGEIF(...),2),""): the rounded mean of the numbers, "" when there are none."""
    numbers = [p for p in points if p is not None]
    return excel_round(sum(numbers) / len(numbers), 2) if numbers else ""


def _dimension_blocks(ws: Worksheet, book: YearBook, top: int) -> Cached:
    """Each dimension's department mean per quarter (live AVERAGEIF over the block below it),
    then each person's dimension points per quarter. Returns the means' cached values."""
    cached: Cached = {}
    people = [(r, d) for r in book.rows for d in sorted({d for c in r.quarters.values() for d in c.dimensions})]
    dims = sorted({d for _, d in people})
    ws.cell(top, 1, both("year.sheet.trend_dimensions")).font = BOLD
    detail_top = top + len(dims) + 4
    first, last = detail_top + 1, detail_top + max(len(people), 1)
    ws.cell(top + 1, 1, "dimension")
    for i, period in enumerate(book.periods, 2):
        ws.cell(top + 1, i, period)
    for r, dim in enumerate(dims, top + 2):
        ws.cell(r, 1, dim)
        for i in range(4):
            col, shown = "DEFG"[i], "BCDE"[i]  # the quarter's detail column, and this mean's
            ws.cell(r, 2 + i, f'=IFERROR(ROUND(AVERAGEIF($C${first}:$C${last},$A{r},{col}${first}:{col}${last}),2),"")')
            points = [x.quarters[QUARTERS[i]].dimensions.get(d) for x, d in people if _matches(d, dim)]
            cached[f"{shown}{r}"] = _mean(points)
    ws.cell(detail_top - 1, 1, both("year.sheet.trend_people")).font = BOLD
    for i, title in enumerate(("employee_id", "employee_name", "dimension", *book.periods), 1):
        ws.cell(detail_top, i, title)
    for r, (row, dim) in enumerate(people, first):
        ws.cell(r, 1, row.employee_id)
        ws.cell(r, 2, row.employee_name)
        ws.cell(r, 3, dim)
        for i, quarter in enumerate(QUARTERS):
            ws.cell(r, 4 + i, row.quarters[quarter].dimensions.get(dim))
    for letter in "ABC":
        ws.column_dimensions[letter].width = 16
    return cached


def add_audit_sheet(wb: Workbook, book: YearBook, cols: Sequence[Column], where: dict[str, str]) -> None:
    """Every column of Year: its id, label, and how it is made, in words and as its formula."""
    ws = wb.create_sheet(AUDIT)
    ws["A1"] = both("year.sheet.audit")
    ws["A1"].font = BOLD
    ws.append([])
    ws.append(["column", "label", "how it is made", "formula (row 3; the same in every row)"])
    for column in cols:
        kind = column.id.split(".")[0]
        ws.append([column.id, f"{column.zh} / {column.en}", both(f"year.explain.{kind}")])
        if column.template:  # shown as text: a formula here would compute, not explain
            shown = ws.cell(ws.max_row, 4, formula(column, FIRST_ROW, where, book.periods))
            shown.data_type = "s"
    ws.append([])
    for code in ("year.explain.missing", "year.explain.rounding", "year.explain.fingerprint"):
        ws.append(["", "", both(code)])
    for letter, width in (("A", 18), ("B", 26), ("C", 70), ("D", 70)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=4, min_col=1, max_col=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.column > 2, vertical="top")
        lines = max(_lines(str(cell.value or ""), 70) for cell in row[2:])
        ws.row_dimensions[row[0].row].height = 15 * lines  # spreadsheets do not grow rows written by openpyxl


def _lines(text: str, width: int) -> int:
    """Lines `text` wraps to in a column `width` characters wide (CJK characters count two)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, -(-shown // (width - 4)))


def year_bytes(book: YearBook, key: Key) -> bytes:
    """YEAR.xlsx as bytes, with kpibook's own values cached in the formula cells of Year, Totals
    and Trend, so a reader that does not calculate (pandas, a file preview) sees the numbers;
    spreadsheets recompute everything on open anyway (fullCalcOnLoad). kpibook.as_excel then
    writes the package as Excel does, the Trend chart carrying those cells' values in its caches."""
    buffer = io.BytesIO()
    wb, cached = _year_workbook(book, key)
    wb.save(buffer)
    cols = columns(book.periods)
    by_letter = {letter: column_id for column_id, letter in letters(cols).items()}
    rows = {number: row for number, row in enumerate(book.rows, FIRST_ROW)}

    def year_value(ref: str) -> object:
        letter, number = split_ref(ref)
        return _computed(rows[number], by_letter[letter]) if number in rows else ""

    rewrites = {_sheet_part(wb, YEAR): _cacher(year_value)}
    for title in (TOTALS, TREND):
        rewrites[_sheet_part(wb, title)] = _cacher(cached[title].__getitem__)
    return as_excel_writes(ooxml.rewrite_parts(buffer.getvalue(), rewrites))  # the chart caches Trend's values


def _sheet_part(wb: Workbook, title: str) -> str:
    """The zip member openpyxl saves sheet `title` to (sheets are numbered in workbook order)."""
    return f"xl/worksheets/sheet{wb.sheetnames.index(title) + 1}.xml"


def split_ref(ref: str) -> tuple[str, int]:
    """'AB12' -> ('AB', 12)."""
    digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return ref[: len(ref) - len(digits)], int(digits)


def _cacher(value_of: Callable[[str], object]) -> Callable[[bytes], bytes]:
    """A sheet-XML rewrite caching `value_of(ref)` in every formula cell (a formula cell the
    writer has no value for is a bug: KeyError)."""
    return lambda xml: ooxml.cache_formulas(xml, value_of, strict=True)


def _computed(row: YearRow, column_id: str) -> object:
    """The value of a Year formula column as kpibook computed it ("" where the formula gives "")."""
    value = row.counted if column_id == "quarters" else getattr(row, column_id)
    return "" if value is None else value


def year_workbook(book: YearBook, key: Key) -> Workbook:
    """The YEAR.xlsx workbook, formulas live and every sheet protected."""
    return _year_workbook(book, key)[0]


def _year_workbook(book: YearBook, key: Key) -> tuple[Workbook, dict[str, Cached]]:
    """The workbook, and for Totals and Trend each formula cell's value as kpibook computed it."""
    wb = Workbook()
    ws = wb.active
    ws.title = YEAR
    cols = columns(book.periods)
    where = letters(cols)
    value_rows = _write_year_sheet(ws, book, cols, where)
    cached = {TOTALS: add_totals_sheet(wb, book, where), TREND: add_trend_sheet(wb, book, where)}
    add_rules_sheet(wb, book)
    add_audit_sheet(wb, book, cols, where)
    _write_metadata(wb, book, key, value_header(cols), value_rows)
    for sheet in wb.worksheets:
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False  # readers may widen columns
        sheet.page_setup.orientation = "landscape"  # printed for sign-off: one page wide
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    wb[YEAR].page_setup.fitToWidth = 3  # 14 columns, then each quarter's 20
    wb.security = WorkbookProtection(lockStructure=True)
    wb.calculation.fullCalcOnLoad = True  # spreadsheets recompute on open; year_bytes caches kpibook's values
    return wb, cached


def _write_year_sheet(ws: Worksheet, book: YearBook, cols: list[Column], where: dict[str, str]) -> list[list[object]]:
    ws.append([f"{c.zh} / {c.en}" for c in cols])
    ws.append([c.id for c in cols])
    value_rows = []
    for number, row in enumerate(book.rows, FIRST_ROW):
        cells = row_values(row, cols, book.periods)
        for i, column in enumerate(cols):
            if column.template:
                cells[i] = formula(column, number, where, book.periods)
        ws.append(cells)
        value_rows.append(only_values(cols, cells))
    last = FIRST_ROW + max(len(book.rows), 1) - 1
    table = Table(displayName=TABLE_NAME, ref=f"A{HEADER_ROW}:{get_column_letter(len(cols))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    for i, column in enumerate(cols, 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = 14 if column.id != "changes" else 40
        ws[f"{letter}{LABEL_ROW}"].font = BOLD
        ws[f"{letter}{LABEL_ROW}"].alignment = Alignment(wrap_text=True, vertical="top")
        if column.template:
            ws[f"{letter}{LABEL_ROW}"].fill = FORMULA_FILL
    for column_id, shown in NUMBER_FORMATS.items():
        for (cell,) in ws.iter_rows(
            min_row=FIRST_ROW,
            min_col=cols.index(_by_id(cols, column_id)) + 1,
            max_col=cols.index(_by_id(cols, column_id)) + 1,
        ):
            cell.number_format = shown
    ws.row_dimensions[LABEL_ROW].height = 30
    ws.freeze_panes = f"C{FIRST_ROW}"
    return value_rows


def _write_metadata(wb: Workbook, book: YearBook, key: Key, header: list[str], rows: list[list[object]]) -> None:
    fields = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "period": str(book.year),
        "spec_sha256": book.spec_sha256,
        "sources": book.sources,
        "rows": str(len(rows)),
        "values_sha256": values_digest(header, rows, rule_values(book.rules, book.grades)),
    }
    extra = {"kpibook_version": book.kpibook_version, "generated_at": book.generated_at, "key_id": key.key_id}
    ws = wb.create_sheet(METADATA)
    for name, value in (*fields.items(), *extra.items(), ("fingerprint", signature(key, fields))):
        ws.append([name, value])
    ws.sheet_state = "hidden"
