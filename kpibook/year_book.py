"""YEAR.xlsx, the year's workbook: its layout (sheets, columns, one formula per column, named
rule cells), its signed metadata, and the writer.

The layout lives here, once, for both sides: kpibook.annual writes the workbook through
`kpibook.year_sheets.year_workbook`, and kpibook.year_audit checks a returned YEAR.xlsx against the same
`COLUMNS`, `formula` and `values_digest`.

Sheets: `Year` (one row per person; every computed column is one formula, the same down the
column), `Totals` (per department and manager, SUMIF/COUNTIF over Year), `Trend` (grade
distribution per quarter with a chart, each dimension's department mean per quarter, each
person's dimensions per quarter), `Rules` (the named cells the formulas use: quarter_weights,
grade_mins, grade_names, coefficients, coefficient_cap), `Audit` (every column in words) and
the hidden `_kpibook` (key/value rows, the fingerprint). Every sheet is protected: nothing in
the year is typed by hand.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from kpibook import ooxml
from kpibook.fingerprint import Key
from kpibook.signing import cell_text, sign
from kpibook.spec import Grade
from kpibook.year_model import YearRow
from kpibook.year_rules import QUARTERS, YearRules

YEAR, TOTALS, TREND, RULES, AUDIT, METADATA = "Year", "Totals", "Trend", "Rules", "Audit", "_kpibook"
KIND = "kpibook-year"
FORMAT_VERSION = "1"
SIGNED_KEYS = ("kind", "format_version", "period", "spec_sha256", "sources", "rows", "values_sha256")
LABEL_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
TABLE_NAME = "YearTable"
BOLD = Font(bold=True)
FORMULA_FILL = PatternFill("solid", fgColor="EEF3FA")

# (id, zh, en, formula template or None for a value kpibook writes). In a template, {c:<id>}
# is that column's letter in the same row, {r} the row; rule cells are workbook names.
_BASE_COLUMNS: tuple[tuple[str, str, str, str | None], ...] = (
    ("employee_id", "工号", "Employee ID", None),
    ("employee_name", "姓名", "Name", None),
    ("department", "部门", "Department", None),
    ("manager", "直属上级（末季）", "Manager (last quarter)", None),
    ("role_id", "岗位（末季）", "Role (last quarter)", None),
    ("quarters", "计入季度数", "Quarters counted", "COUNT({scores})"),
    (
        "annual_score",
        "年度得分",
        "Annual score",
        'IF(OR({c:status}="incomplete",SUMPRODUCT(--ISNUMBER({scores}),quarter_weights)=0),"",'
        "ROUND(SUMPRODUCT({scores},quarter_weights)/SUMPRODUCT(--ISNUMBER({scores}),quarter_weights),2))",
    ),
    (
        "annual_grade",
        "年度等级",
        "Annual grade",
        'IF({c:annual_score}="","",LOOKUP({c:annual_score},grade_mins,grade_names))',
    ),
    (
        "coefficient",
        "绩效系数",
        "Coefficient",
        'IF({c:annual_grade}="","",MIN(coefficient_cap,INDEX(coefficients,MATCH({c:annual_grade},grade_names,0))))',
    ),
    ("months", "在职月数", "Months worked", None),
    ("bonus_base", "奖金基数", "Bonus base", None),
    (
        "payout",
        "奖金",
        "Payout",
        'IF(OR({c:coefficient}="",{c:months}="",{c:bonus_base}=""),"",ROUND({c:bonus_base}*{c:coefficient}*{c:months}/12,2))',
    ),
    ("status", "状态", "Status", None),
    ("changes", "年内变动", "Changes during the year", None),
)
_QUARTER_KINDS = (("score", "得分", "score"), ("grade", "等级", "grade"), ("role", "岗位", "role"),
                  ("manager", "上级", "manager"), ("state", "情况", "state"))  # fmt: skip
STATE_WORDS = {
    "counted": ("计入", "counted"),
    "not_employed": ("未在职", "not employed"),
    "not_returned": ("未交回/未完成", "not returned ok"),
}


@dataclass(frozen=True)
class Column:
    id: str
    zh: str
    en: str
    template: str | None  # None: a value


def columns(periods: Sequence[str]) -> list[Column]:
    """The Year sheet's columns for these four quarter periods (Q1..Q4 in order)."""
    out = [Column(*c) for c in _BASE_COLUMNS]
    for kind, zh, en in _QUARTER_KINDS:
        out += [Column(f"{kind}.{p}", f"{p} {zh}", f"{p} {en}", None) for p in periods]
    return out


def letters(cols: Sequence[Column]) -> dict[str, str]:
    return {c.id: get_column_letter(i) for i, c in enumerate(cols, 1)}


def formula(column: Column, row: int, where: dict[str, str], periods: Sequence[str]) -> str:
    """The column's formula in `row` ("=..."), the same template in every row."""
    assert column.template is not None
    text = column.template.replace(
        "{scores}", f"{where['score.' + periods[0]]}{row}:{where['score.' + periods[-1]]}{row}"
    )
    for cid, letter in where.items():
        text = text.replace("{c:" + cid + "}", f"{letter}{row}")
    return "=" + text


def values_digest(header: Sequence[str], rows: Iterable[Sequence[object]], rules: Sequence[object]) -> str:
    """sha256 over the Year sheet's value columns (not its formulas) and the rule cells."""
    digest = hashlib.sha256(json.dumps([cell_text(v) for v in (*header, *rules)], ensure_ascii=False).encode())
    for row in rows:
        digest.update(b"\n" + json.dumps([cell_text(v) for v in row], ensure_ascii=False).encode())
    return digest.hexdigest()


def signature(key: Key, fields: Mapping[str, str]) -> str:
    """HMAC of this file kind's signed fields (kpibook.signing)."""
    return sign(key, fields, SIGNED_KEYS)


def rule_values(rules: YearRules, grades: Sequence[Grade]) -> list[object]:
    """The Rules sheet's numbers and names in a fixed order (signed with the values)."""
    ordered = sorted(grades, key=lambda g: g.min)
    return [
        *(rules.quarter_weights[q] for q in QUARTERS),
        *(g.min for g in ordered),
        *(g.grade for g in ordered),
        *(rules.coefficients[g.grade] for g in ordered),
        rules.effective_cap,
    ]


def row_values(row: YearRow, cols: Sequence[Column], periods: Sequence[str]) -> list[object]:
    """One Year row's cells: values for value columns, None where a formula goes."""
    base = {
        "employee_id": row.employee_id,
        "employee_name": row.employee_name,
        "department": row.department,
        "manager": row.manager,
        "role_id": row.role_id,
        "months": row.months,
        "bonus_base": row.bonus_base,
        "status": row.status,
        "changes": row.changes,
    }
    for quarter, period in zip(QUARTERS, periods, strict=True):
        cell = row.quarters[quarter]
        base[f"score.{period}"] = cell.score
        base[f"grade.{period}"] = cell.grade
        base[f"role.{period}"] = cell.role_id
        base[f"manager.{period}"] = cell.manager
        base[f"state.{period}"] = cell.state
    return [None if c.template else base[c.id] for c in cols]


def value_header(cols: Sequence[Column]) -> list[str]:
    return [c.id for c in cols if c.template is None]


def only_values(cols: Sequence[Column], cells: Sequence[object]) -> list[object]:
    return [v for c, v in zip(cols, cells, strict=False) if c.template is None]


@dataclass
class YearBook:
    """What the writer needs: the year, its sources and rules, and the computed rows."""

    year: int
    periods: list[str]  # the four quarter labels, Q1..Q4
    rows: list[YearRow]
    rules: YearRules
    grades: Sequence[Grade]
    spec_sha256: str
    sources: str  # "2026Q1:<sha256 of the summary's rows>,..." signed with the values
    kpibook_version: str
    generated_at: str


def define_name(wb: Workbook, name: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def add_bar_chart(ws: Worksheet, title: str, data: Reference, categories: Reference, anchor: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = "人数 / people"
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    chart.width, chart.height = 18, 8
    ws.add_chart(chart, anchor)


SHEETS = (YEAR, TOTALS, TREND, RULES, AUDIT, METADATA)


def is_year_xlsx(path: Path) -> bool:
    """True for a YEAR.xlsx kpibook wrote (what --out may replace, what audit checks as a year):
    its sheets are ours, in our order."""
    names = ooxml.sheet_names(path)
    return names is not None and names[: len(SHEETS)] == list(SHEETS)
