"""The department summary: summary.xlsx and its CSV twin, from a consolidation result.

Sheets: Employees (an Excel table, columns per the contract then dim.<dimension_id>),
Overview (live formulas over Employees, with charts), KPIs (attainment per KPI), Issues
(everything to act on) and Audit (the audit's findings).

Two rules keep the summary safe to open:
- Text that came from a workbook is written as a text cell, never a formula (a name such as
  `=HYPERLINK(...)` stays a string), cleaned of characters XLSX cannot hold. The only
  formulas in the file are the Overview's, written here.
- The Overview's formulas use functions that Excel 2010, LibreOffice and WPS all have
  (COUNTIF, COUNTIFS, AVERAGEIFS, SUMPRODUCT, and MEDIAN/MIN/MAX over IF as array formulas);
  text is matched with `=` inside SUMPRODUCT, never as a COUNTIF criterion, so names
  holding * ? ~ or a leading < > = are counted exactly. Each formula also carries its value
  as computed here, so readers that do not calculate (pandas, previews) see the numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import statistics
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from kpibook import calibration_apply, ooxml, summary_meta, summary_print
from kpibook.as_excel import as_excel_writes
from kpibook.fingerprint import Key
from kpibook.messages import t
from kpibook.outputs import replace_file
from kpibook.records import (
    EMPLOYEE_COLUMNS,
    OK,
    SIGNOFF_COLUMNS,
    STATUS_LABELS,
    STATUSES,
    ConsolidateResult,
    EmployeeRow,
)
from kpibook.spec import Spec
from kpibook.summary_kpis import KPI_COLUMNS, kpi_rows
from kpibook.summary_print import prepare, setup_pages, wrap_long_text
from kpibook.version import __version__

MAX_CELL_TEXT = 32767  # Excel's limit for one cell
ISSUE_COLUMNS = ("file", "sheet", "cell", "severity", "code", "message")  # code: stable, for scripts
EMPLOYEES_HEADER_ROW = summary_print.EMPLOYEES_HEADER_ROW  # row 1: Chinese labels; row 2: the column ids
AUDIT_COLUMNS = ("file", "sheet", "cell", "code", "severity", "expected", "found", "message")
VISIBLE_SHEETS = ("Employees", "Overview", "KPIs", "Issues", "Audit")
CALIBRATION_SHEET = "Calibration"  # with consolidate --calibration, before _kpibook
SHEET_ORDER = (*VISIBLE_SHEETS, summary_meta.SHEET)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: object) -> str:
    """Text an XLSX cell can hold: no control characters, no unpaired surrogates (a file name
    that is not valid UTF-8), at most 32,767 characters."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value)).replace("\ufffe", "").replace("\uffff", "")
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text[:MAX_CELL_TEXT]


def dimension_ids(spec: Spec) -> list[str]:
    seen: dict[str, None] = {}
    for role in spec.roles:
        for d in role.dimensions:
            seen.setdefault(d.id)
    return list(seen)


def employee_header(spec: Spec) -> list[str]:
    return list(EMPLOYEE_COLUMNS) + [f"dim.{d}" for d in dimension_ids(spec)] + list(SIGNOFF_COLUMNS)


def employee_values(row: EmployeeRow, dims: Sequence[str]) -> list[object]:
    return row.values() + [row.dimensions.get(d) for d in dims] + [row.signoff.get(c) for c in SIGNOFF_COLUMNS]


def employee_labels(spec: Spec) -> list[str]:
    """The Chinese label of every Employees column, shown in the row above the table."""
    names: dict[str, str] = {}
    for role in spec.roles:
        for d in role.dimensions:
            names.setdefault(d.id, d.name_zh)
    columns = [t(f"summary.column.{c}", lang="zh") for c in EMPLOYEE_COLUMNS]
    dims = [t("summary.column.dimension", lang="zh", name=names[d]) for d in dimension_ids(spec)]
    return columns + dims + [t(f"summary.column.{c}", lang="zh") for c in SIGNOFF_COLUMNS]


def shown_status(status: str) -> str:
    """A status as the summary's people read it (正常, 未完成, 退回, 未交)."""
    return STATUS_LABELS[status][0] if status in STATUS_LABELS else status


def shown_employee_values(row: EmployeeRow, dims: Sequence[str]) -> list[object]:
    values = employee_values(row, dims)
    status = EMPLOYEE_COLUMNS.index("status")
    values[status] = shown_status(row.status)
    return values


def is_summary_xlsx(path: Path) -> bool:
    """True for a summary.xlsx kpibook wrote (what --out may replace): its visible sheets start
    as ours (later steps, calibration, may add sheets after them)."""
    names = ooxml.sheet_names(path)
    return names is not None and names[: len(VISIBLE_SHEETS)] == list(VISIBLE_SHEETS)


def is_summary_csv(path: Path) -> bool:
    """True for a CSV kpibook wrote (what --csv may replace): it starts with the Employees header."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    first = head.decode("utf-8-sig", "replace").split("\r\n", 1)[0].split("\n", 1)[0]
    return first.split(",")[: len(EMPLOYEE_COLUMNS)] == list(EMPLOYEE_COLUMNS)


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def write_summary(path: Path, result: ConsolidateResult, spec: Spec, key: Key) -> None:
    """Writes summary.xlsx atomically, signed with `key`; a file held open by Excel is a clear
    error (exit 2)."""
    replace_file(path, summary_bytes(result, spec, key))


def write_csv(path: Path, result: ConsolidateResult, spec: Spec) -> None:
    """The Employees rows as CSV, UTF-8 with BOM (so Excel shows Chinese text correctly).

    Text starting with = + - @ gets a leading apostrophe, so Excel opening the CSV shows it
    as text instead of running it as a formula.
    """
    dims = dimension_ids(spec)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(employee_header(spec) + _calibration_header(result))
    for row in result.employees:
        writer.writerow([_csv_value(v) for v in employee_values(row, dims) + _calibration_values(result, row)])
    replace_file(path, buffer.getvalue().encode("utf-8-sig"))


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".15g")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(value)
    return "'" + text if text.startswith(_CSV_FORMULA_START) else text


def summary_bytes(result: ConsolidateResult, spec: Spec, key: Key) -> bytes:
    """The workbook: openpyxl writes the structure (headers, tables, styles, the Overview and its
    charts); the bulk rows of the big sheets are written here as plain XML, 10x faster. The hidden
    `_kpibook` sheet signs the Employees and KPIs cells (kpibook.summary_meta)."""
    wb = Workbook(write_only=True)
    order = (*VISIBLE_SHEETS, *([CALIBRATION_SHEET] if result.calibration else []), summary_meta.SHEET)
    sheets = {name: wb.create_sheet(name) for name in order}
    prepare(sheets)
    kpis = kpi_rows(result, spec)
    dims = dimension_ids(spec)
    header = employee_header(spec) + _calibration_header(result)
    employee_rows = [shown_employee_values(r, dims) + _calibration_values(result, r) for r in result.employees]
    kpis = [[clean_text(v) if isinstance(v, str) else v for v in row] for row in kpis]  # as the sheet shows them
    _signed_metadata(sheets[summary_meta.SHEET], result, spec, key, (header, employee_rows), kpis)
    bulk = {
        "Employees": _bulk_sheet(
            sheets["Employees"],
            "EmployeesTable",
            header,
            employee_rows,
            widths=[12, 14, 20, 22, 12, 9, 11, 11, 7, 40] + [14] * (len(header) - len(EMPLOYEE_COLUMNS)),
            labels=employee_labels(spec) + [t(f"summary.column.{c}", lang="zh") for c in _calibration_header(result)],
        ),
        "KPIs": _bulk_sheet(
            sheets["KPIs"],
            "KPIsTable",
            KPI_COLUMNS,
            kpis,
            widths=(20, 24, 30, 36, 14, 7, 8, 14, 8, 6, 11, 10, 10, 15),
        ),
        "Issues": _bulk_sheet(
            sheets["Issues"],
            "IssuesTable",
            ISSUE_COLUMNS,
            [[i.file, i.sheet, i.cell, i.severity, i.code, i.message] for i in result.issues],
            widths=(50, 12, 8, 9, 20, 100),
        ),
        "Audit": _bulk_sheet(
            sheets["Audit"],
            "AuditTable",
            AUDIT_COLUMNS,
            [[f.file, f.sheet, f.cell, f.code, f.severity, f.expected, f.found, f.message] for f in result.findings],
            widths=(50, 12, 8, 24, 9, 40, 40, 80),
        ),
    }
    if result.calibration:
        _calibration_sheet(sheets[CALIBRATION_SHEET], result)
    overview = Overview(sheets["Overview"], result, spec, len(result.employees))
    cached = overview.write()
    columns = {"Employees": len(header), "KPIs": len(KPI_COLUMNS)}
    columns |= {"Issues": len(ISSUE_COLUMNS), "Audit": len(AUDIT_COLUMNS)}
    bodies = {"Employees": len(result.employees), "KPIs": len(kpis)}
    bodies |= {"Issues": len(result.issues), "Audit": len(result.findings)}
    rows = {name: max(count, 1) + 1 for name, count in bodies.items()} | {"Overview": overview.row}
    rows["Employees"] += EMPLOYEES_HEADER_ROW - 1  # the label row above the table
    setup_pages(sheets, columns=columns, rows=rows, charts=len(overview.charts))
    wb.calculation.fullCalcOnLoad = True  # spreadsheets recompute the Overview on open
    buffer = io.BytesIO()
    wb.save(buffer)
    part = {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(order, 1)}
    finished = _finish(buffer.getvalue(), {part[name]: rows for name, rows in bulk.items()}, part["Overview"], cached)
    return as_excel_writes(finished)  # after _finish: the chart caches take the Overview's values


def _signed_metadata(
    ws: object,
    result: ConsolidateResult,
    spec: Spec,
    key: Key,
    employees: tuple[list[str], list[list[object]]],
    kpis: list[list[object]],
) -> None:
    """The `_kpibook` sheet: signs the Employees and KPIs cells as written (kpibook.summary_meta)."""
    rows = summary_meta.metadata_rows(
        key,
        period=result.period,
        spec_sha256=spec.sha256,
        employees=employees,
        kpis=(KPI_COLUMNS, kpis),
        kpibook_version=__version__,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    ws.sheet_state = "hidden"  # type: ignore[attr-defined]
    _widths(ws, (20, 70))
    for name, value in rows:
        ws.append([_text_cell(ws, name), _text_cell(ws, value)])  # type: ignore[attr-defined]


def _calibration_header(result: ConsolidateResult) -> list[str]:
    return list(calibration_apply.COLUMNS) if result.calibration else []


def _calibration_values(result: ConsolidateResult, row: EmployeeRow) -> list[object]:
    return result.calibration.values(row) if result.calibration else []


def _calibration_sheet(ws: object, result: ConsolidateResult) -> None:
    """The meeting's record (kpibook.calibration_apply.sheet_rows), every cell text or number."""
    _widths(ws, (26, 24, 20, 10, 10, 10, 60, 10, 10, 14))
    for values in calibration_apply.sheet_rows(result.calibration):
        ws.append([v if isinstance(v, (int, float)) or v is None else _text_cell(ws, v) for v in values])  # type: ignore[attr-defined]


def _bulk_sheet(
    ws: object,
    table: str,
    header: Sequence[str],
    rows: list[list[object]],
    widths: Sequence[float],
    labels: Sequence[str] = (),
) -> bytes:
    """Writes the header row (below a row of `labels` when given) and the table with openpyxl;
    returns the data rows' XML, to be put in the sheet after it is saved."""
    _widths(ws, widths)
    header_row = 2 if labels else 1
    ws.freeze_panes = f"A{header_row + 1}"  # type: ignore[attr-defined]
    if labels:
        ws.append([_text_cell(ws, label, _BOLD) for label in labels])  # type: ignore[attr-defined]
    ws.append(_header(ws, header))  # type: ignore[attr-defined]
    _table(ws, table, header, len(rows), header_row)
    return wrap_long_text(ws, header, rows, widths, rows_xml(rows, first_row=header_row + 1), header_row + 1)


DATE_STYLE_TOKEN = b"@@date_style@@"  # replaced in _finish by the index of a date cell style


def rows_xml(rows: Sequence[Sequence[object]], first_row: int) -> bytes:
    """<row> elements for the values: numbers as numbers, everything else as inline text (never
    a formula, whatever the text says), None and "" as no cell."""
    letters = [get_column_letter(i) for i in range(1, 1 + max((len(r) for r in rows), default=0))]
    out: list[bytes] = []
    for number, values in enumerate(rows, first_row):
        cells = [b'<row r="%d">' % number]
        for letter, value in zip(letters, values):
            if value is None or value == "":
                continue
            ref = f"{letter}{number}"
            if isinstance(value, dt.date):  # a real date: its serial number, shown as a date
                serial = float((value - ooxml.EXCEL_EPOCH).days)
                cells.append(ooxml.cell(ref, serial, b' s="%s"' % DATE_STYLE_TOKEN))
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
                cells.append(ooxml.cell(ref, float(value)))
            else:
                cells.append(ooxml.inline_string(ref, ooxml.literal_underscores(clean_text(value))))
        cells.append(b"</row>")
        out.append(b"".join(cells))
    return b"".join(out)


def _text_cell(ws: object, value: object, font: Font | None = None) -> WriteOnlyCell:
    """A cell that is text whatever the text says (a leading '=' included)."""
    cell = WriteOnlyCell(ws, value=clean_text(value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _header(ws: object, names: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = _text_cell(ws, name, _BOLD)
        cell.fill = _HEADER_FILL
        cells.append(cell)
    return cells


def _table(ws: object, name: str, header: Sequence[str], rows: int, header_row: int = 1) -> None:
    """An Excel table over the header and `rows` rows (Excel needs at least one data row)."""
    last = get_column_letter(len(header))
    table = Table(displayName=name, ref=f"A{header_row}:{last}{max(rows, 1) + header_row}")
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(header, 1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even when the columns are given
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(table)  # type: ignore[attr-defined]


def _widths(ws: object, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# Overview: live formulas over the Employees table, each with its value computed here
# ---------------------------------------------------------------------------------------

_EMPLOYEE_COLUMN = {name: get_column_letter(i) for i, name in enumerate(EMPLOYEE_COLUMNS, 1)}
Cached = dict[str, object]  # cell -> the value its formula gives ("" for an empty-text result)


@dataclass(frozen=True)
class Group:
    label: str  # the value in the Employees column, as written in the label cell
    name: str  # a readable name beside it ("" when the label is the name)
    rows: list[EmployeeRow]


class Overview:
    """Writes the Overview sheet; `write` returns the value of every formula cell."""

    def __init__(self, ws: object, result: ConsolidateResult, spec: Spec, rows: int) -> None:
        self.ws, self.result, self.spec = ws, result, spec
        self.ok, self.statuses = OK, STATUSES  # as attributes: the formulas read them
        self.shown = {s: shown_status(s) for s in STATUSES}  # what the Employees cells hold
        self.last = max(rows, 1) + EMPLOYEES_HEADER_ROW  # last data row of Employees
        self.row = 0
        self.cached: Cached = {}
        self.charts: list[tuple[str, str, int, int, int, int]] = []  # title, y title, label col, value col, rows

    # -- ranges and cells ----------------------------------------------------------------
    def col(self, name: str) -> str:
        letter = _EMPLOYEE_COLUMN[name] if name in _EMPLOYEE_COLUMN else self.dim_letter(name)
        return f"Employees!${letter}${EMPLOYEES_HEADER_ROW + 1}:${letter}${self.last}"

    def dim_letter(self, dim_id: str) -> str:
        return get_column_letter(len(_EMPLOYEE_COLUMN) + 1 + dimension_ids(self.spec).index(dim_id))

    def put(self, values: Sequence[object], font: Font | None = None) -> int:
        """Appends a row: text as text, ("=formula", value) pairs as formulas with their value."""
        self.row += 1
        cells: list[object] = []
        for i, v in enumerate(values, 1):
            ref = f"{get_column_letter(i)}{self.row}"
            if isinstance(v, Formula):
                cell = WriteOnlyCell(self.ws, value=ArrayFormula(ref, v.text) if v.array else v.text)
                if isinstance(v.value, float):
                    cell.number_format = "0.00" if not v.share else "0.0%"
                cells.append(cell)
                self.cached[ref] = v.value
            elif isinstance(v, (int, float)) and not isinstance(v, bool) or v is None or v == "":
                cells.append(None if v == "" else v)
            else:
                cells.append(_text_cell(self.ws, v, font))
        self.ws.append(cells)  # type: ignore[attr-defined]
        return self.row

    def blank(self) -> None:
        self.put([])

    def heading(self, text: str, columns: Sequence[str] = ()) -> None:
        self.blank()
        self.put([text], _BOLD)
        if columns:
            self.put(columns, _BOLD)

    # -- sections -------------------------------------------------------------------------
    def write(self) -> Cached:
        ws = self.ws
        _widths(ws, [24, 22, 12, 12, 12, 12, 12, 12, 12, 12, 12])
        self.put([f"部门考核汇总 Department summary — {self.result.period or 'period not decided'}"], _TITLE)
        self.put(
            [
                f"{self.spec.department_zh} / {self.spec.department_en} · spec {self.spec.spec_version} · "
                f"{self.result.files_read} workbook file(s) read"
            ]
        )
        self.put(
            [
                "Every number below is a formula over the Employees sheet; scores count only employees whose "
                "status is 正常 (ok)."
            ]
        )
        self.status_section()
        self.total_section()
        self.grade_section()
        self.group_section("By role 按岗位", "role_id", self.role_groups())
        self.group_section("By department 按部门", "department", self.text_groups("department"))
        self.group_section("By manager 按直属上级", "manager", self.text_groups("manager"))
        self.dimension_section()
        self.add_charts()
        return self.cached

    def status_section(self) -> None:
        self.heading("Headcount by status 按状态人数", ["status", "employees", "share"])
        first = self.row + 1
        total = len(self.result.employees)
        for status in self.statuses:
            n = sum(1 for r in self.result.employees if r.status == status)
            r = self.row + 1
            self.put(
                [
                    self.shown[status],
                    Formula(f'=COUNTIF({self.col("status")},"{self.shown[status]}")', n),
                    Formula(
                        f'=IF(B{first + len(self.statuses)}=0,"",B{r}/B{first + len(self.statuses)})',
                        n / total if total else "",
                        share=True,
                    ),
                ]
            )
        self.put(["all", Formula(f"=SUM(B{first}:B{self.row})", total)], _BOLD)

    def total_section(self) -> None:
        totals = self.totals(self.result.employees)
        t = self.col("total_score")
        self.heading("Total score of ok employees 总分(状态 正常)", ["statistic", "value"])
        n_row = self.row + 1
        self.put(["employees scored", Formula(f"=COUNT({t})", len(totals))])
        for label, function, value in self.describe(totals):
            self.put([label, Formula(f'=IF(B{n_row}=0,"",{function}({t}))', value)])

    def grade_section(self) -> None:
        totals = self.totals(self.result.employees)
        grades = [str(r.grade) for r in self.result.employees if r.status == self.ok]
        self.heading("Grade distribution 等级分布", ["grade", "label", "from", "employees", "share"])
        first = self.row + 1
        for g in self.spec.grades:
            n = sum(1 for x in grades if x.casefold() == g.grade.casefold())
            r = self.row + 1
            self.put(
                [
                    g.grade,
                    f"{g.label_zh} {g.label_en}".strip(),
                    g.min,
                    Formula(f"=SUMPRODUCT(--({self.col('grade')}=A{r}))", n),
                    Formula(
                        f'=IF(COUNT({self.col("total_score")})=0,"",D{r}/COUNT({self.col("total_score")}))',
                        n / len(totals) if totals else "",
                        share=True,
                    ),
                ]
            )
        self.charts.append(("Grade distribution 等级分布", "employees", 1, 4, first, self.row))

    def group_section(self, title: str, column: str, groups: list[Group]) -> None:
        shown = [self.shown[s] for s in self.statuses]
        self.heading(title, [column, "name", "headcount", *shown, "mean", "median", "min", "max"])
        if not groups:
            self.put(["(none)"])
            return
        first = self.row + 1
        g_col, s_col, t_col = self.col(column), self.col("status"), self.col("total_score")
        for group in groups:
            r = self.row + 1
            match = f"({g_col}=A{r})"
            ok_cell = f"D{r}"
            counts = [
                Formula(
                    f'=SUMPRODUCT({match}*({s_col}="{self.shown[s]}"))', sum(1 for x in group.rows if x.status == s)
                )
                for s in self.statuses
            ]
            totals = self.totals(group.rows)
            stats = dict((label, value) for label, _, value in self.describe(totals))
            ok_only = f'{match}*({s_col}="{self.shown[self.ok]}")'
            self.put(
                [
                    group.label,
                    group.name,
                    Formula(f"=SUMPRODUCT(--{match})", len(group.rows)),
                    *counts,
                    Formula(f'=IF({ok_cell}=0,"",SUMPRODUCT({ok_only},{t_col})/{ok_cell})', stats["mean"]),
                    Formula(f'=IF({ok_cell}=0,"",MEDIAN(IF({ok_only},{t_col})))', stats["median"], array=True),
                    Formula(f'=IF({ok_cell}=0,"",MIN(IF({ok_only},{t_col})))', stats["min"], array=True),
                    Formula(f'=IF({ok_cell}=0,"",MAX(IF({ok_only},{t_col})))', stats["max"], array=True),
                ]
            )
        if column == "role_id":
            self.charts.append(
                ("Mean total score by role 各岗位平均分", "points", 1, 4 + len(self.statuses), first, self.row)
            )

    def dimension_section(self) -> None:
        columns = ["dimension", "name", "scored", "mean", "min", "max"]
        self.heading("Mean score by dimension 各维度平均分 (状态 正常 ok employees)", columns)
        first = self.row + 1
        names: dict[str, str] = {}
        for role in self.spec.roles:
            for d in role.dimensions:
                names.setdefault(d.id, f"{d.name_zh} {d.name_en}")
        s_col = self.col("status")
        for dim_id in dimension_ids(self.spec):
            r = self.row + 1
            d_col = self.col(dim_id)
            values = [
                x.dimensions[dim_id] for x in self.result.employees if x.status == self.ok and dim_id in x.dimensions
            ]
            stats = dict((label, value) for label, _, value in self.describe(values))
            ok = self.shown[self.ok]
            ok_numbers = f'({s_col}="{ok}")*ISNUMBER({d_col})'
            self.put(
                [
                    dim_id,
                    names[dim_id],
                    Formula(f'=COUNTIFS({s_col},"{ok}",{d_col},"<>")', len(values)),
                    Formula(f'=IF(C{r}=0,"",AVERAGEIFS({d_col},{s_col},"{ok}"))', stats["mean"]),
                    Formula(f'=IF(C{r}=0,"",MIN(IF({ok_numbers},{d_col})))', stats["min"], array=True),
                    Formula(f'=IF(C{r}=0,"",MAX(IF({ok_numbers},{d_col})))', stats["max"], array=True),
                ]
            )
        self.charts.append(("Mean score by dimension 各维度平均分", "points", 1, 4, first, self.row))

    # -- groups and statistics ----------------------------------------------------------------
    def role_groups(self) -> list[Group]:
        groups = []
        for role in self.spec.roles:
            rows = [r for r in self.result.employees if r.role_id.casefold() == role.id.casefold()]
            groups.append(Group(role.id, f"{role.name_zh} {role.name_en}", rows))
        return groups

    def text_groups(self, column: str) -> list[Group]:
        """Groups of a text column as `=` sees them (case-insensitive); rows without a value are left out."""
        by_key: dict[str, list[EmployeeRow]] = {}
        label: dict[str, str] = {}
        for r in self.result.employees:
            value = clean_text(getattr(r, column))
            if not value:
                continue
            key = value.casefold()
            by_key.setdefault(key, []).append(r)
            label.setdefault(key, value)
        return [Group(label[k], "", by_key[k]) for k in sorted(by_key, key=lambda k: label[k])]

    def totals(self, rows: Sequence[EmployeeRow]) -> list[float]:
        return [r.total_score for r in rows if r.status == self.ok and r.total_score is not None]

    @staticmethod
    def describe(values: Sequence[float]) -> list[tuple[str, str, object]]:
        if not values:
            return [
                (label, fn, "")
                for label, fn in (("mean", "AVERAGE"), ("median", "MEDIAN"), ("min", "MIN"), ("max", "MAX"))
            ]
        return [
            ("mean", "AVERAGE", math.fsum(values) / len(values)),
            ("median", "MEDIAN", float(statistics.median(values))),
            ("min", "MIN", min(values)),
            ("max", "MAX", max(values)),
        ]

    # -- charts ---------------------------------------------------------------------------------
    def add_charts(self) -> None:
        anchor_row = 2
        for title, y_title, label_col, value_col, first, last in self.charts:
            chart = BarChart()
            chart.type = "col"
            chart.title = title
            chart.y_axis.title = y_title
            chart.legend = None
            chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides the axes unless told
            chart.y_axis.scaling.min = 0  # bars from zero, so their heights compare
            chart.height, chart.width = 7.5, 16
            data = Reference(self.ws, min_col=value_col, min_row=first, max_row=last)
            labels = Reference(self.ws, min_col=label_col, min_row=first, max_row=last)
            chart.add_data(data, titles_from_data=False)
            chart.set_categories(labels)
            self.ws.add_chart(chart, f"N{anchor_row}")  # type: ignore[attr-defined]
            anchor_row += 16


@dataclass(frozen=True)
class Formula:
    text: str  # with the leading "="
    value: object  # what it gives, computed in Python ("" for empty text)
    array: bool = False  # entered as an array formula (MEDIAN/MIN/MAX over IF)
    share: bool = False  # shown as a percentage


# ---------------------------------------------------------------------------------------
# Cached values: openpyxl writes formulas without values; store ours so that readers that do
# not calculate see the numbers (spreadsheets recalculate anyway: fullCalcOnLoad).
# ---------------------------------------------------------------------------------------


def _finish(xlsx: bytes, bulk: dict[str, bytes], overview: str, cached: Cached) -> bytes:
    """Puts the bulk rows into their sheets and the Overview's values beside its formulas."""

    def add_rows(part: str) -> Callable[[bytes], bytes]:
        def insert(data: bytes) -> bytes:
            head, tail = data.rsplit(b"</sheetData>", 1)
            return b"".join((head, bulk[part], b"</sheetData>", tail))

        return insert

    styles, date_style = ooxml.with_date_style(
        dict((i.filename, d) for i, d in ooxml.read_parts(xlsx))["xl/styles.xml"]
    )
    bulk = {part: rows.replace(DATE_STYLE_TOKEN, date_style) for part, rows in bulk.items()}
    changes: dict[str, Callable[[bytes], bytes]] = {part: add_rows(part) for part in bulk}
    changes[overview] = lambda data: ooxml.cache_formulas(data, cached.__getitem__)
    changes["xl/styles.xml"] = lambda _data: styles
    return ooxml.rewrite_parts(xlsx, changes, compresslevel=1)
