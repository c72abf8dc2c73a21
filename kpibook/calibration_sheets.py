"""Writing the calibration workbook (the format is kpibook.calibration_book's): the Calibration
table the meeting edits, the Distribution sheet whose live formulas compare the grades before
and after with the guideline, count how many people to move and show each manager's leniency,
a chart (its points cached by kpibook.as_excel, as the summary's and the year's), the employees
who are not calibrated, and the signed metadata.

Every number on Distribution is a formula over the Calibration table, so the meeting sees the
counts change as it types a calibrated grade. Functions are those of Excel 2010, LibreOffice
and WPS (SUMPRODUCT, ROUND/ROUNDDOWN/ROUNDUP, MEDIAN over IF as an array formula); text from
the summary is always a text cell, and formulas match it by cell reference, never as a literal.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from kpibook import calibration_book as fmt
from kpibook import calibration_cache as cache
from kpibook.as_excel import as_excel_writes
from kpibook.fingerprint import Key
from kpibook.guideline import (
    ROUNDINGS,
    Guideline,
    Limit,
    LimitCheck,
    ManagerStats,
    Person,
    check,
    headcount,
    manager_stats,
)
from kpibook.scoring import ExcelError
from kpibook.spec import Spec

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the scorecards' input colour
FLAG_FILL = PatternFill("solid", fgColor="F8CBAD")
CHANGED_FILL = PatternFill("solid", fgColor="E2EFDA")
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class GradeInfo:
    grade: str
    label: str


@dataclass(frozen=True)
class NotCalibrated:
    employee_id: str
    employee_name: str
    manager: str
    status: str
    why: str


@dataclass
class CalibrationBook:
    """Everything the workbook shows; kpibook.calibrate fills it from a verified summary."""

    period: str
    spec_sha256: str
    summary_sha256: str
    title: str  # department, for the heading
    grades: list[GradeInfo]  # top grade first
    guideline: Guideline | None
    people: list[Person]
    checks: list[LimitCheck]
    managers: list[ManagerStats]
    not_calibrated: list[NotCalibrated] = field(default_factory=list)
    extra_metadata: dict[str, str] = field(default_factory=dict)
    # what is typed in the rows, by index in `people`: (calibrated grade, reason) as the cells
    # hold them. calibrate types nothing; the formulas' cached values follow what is typed.
    typed: dict[int, tuple[str, str]] = field(default_factory=dict)

    def inputs(self, index: int) -> tuple[str, str]:
        return self.typed.get(index, ("", ""))

    def final_grades(self) -> list[str]:
        """Each row's final_grade as its formula gives it for what is typed."""
        scale = [g.grade for g in self.grades]
        return [cache.final_grade(p.grade, *self.inputs(i), scale) for i, p in enumerate(self.people)]


def make_book(
    spec: Spec,
    *,
    period: str,
    summary_sha256: str,
    people: list[Person],
    not_calibrated: list[NotCalibrated] = (),  # type: ignore[assignment]
    extra_metadata: dict[str, str] | None = None,
    typed: dict[int, tuple[str, str]] | None = None,
) -> CalibrationBook:
    """The workbook's content for these people under the spec's grades and guideline (calibrate
    writes it; audit makes it again from a workbook's verified rows and compares the formulas)."""
    guideline = spec.calibration
    top_two = tuple(g.grade for g in spec.grades[-2:])
    return CalibrationBook(
        period=period,
        spec_sha256=spec.sha256,
        summary_sha256=summary_sha256,
        title=f"{spec.department_zh} {spec.department_en}",
        grades=[GradeInfo(g.grade, f"{g.label_zh} {g.label_en}".strip()) for g in reversed(spec.grades)],
        guideline=guideline,
        people=people,
        checks=check(guideline, people) if guideline else [],
        managers=manager_stats(guideline or Guideline(limits=(), top_grades=top_two), people),
        not_calibrated=list(not_calibrated),
        extra_metadata=dict(extra_metadata or {}),
        typed=dict(typed or {}),
    )


def people_of(rows: Iterable[fmt.CalibrationRow]) -> list[Person]:
    """The calibrated people of a workbook's (verified) table rows, as make_book takes them."""
    return [
        Person(r.employee_id, r.manager, r.role_id, r.department, r.total_score or 0.0, r.grade, r.grade,
               r.employee_name)
        for r in rows
    ]  # fmt: skip


def typed_inputs(rows: Iterable[Sequence[object]]) -> dict[int, tuple[str, str]]:
    """What is typed in the calibrated grade and reason cells of the table's rows (columns A-L
    as a reader returns them), as make_book's `typed`: the text as the cell holds it."""
    at = (fmt.COLUMNS.index("calibrated_grade"), fmt.COLUMNS.index("reason"))
    typed = {}
    for i, row in enumerate(rows):
        grade, reason = (_as_typed(row[k] if k < len(row) else None) for k in at)
        if grade or reason:
            typed[i] = (grade, reason)
    return typed


def _as_typed(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def workbook_bytes(book: CalibrationBook, key: Key) -> bytes:
    wb, cached = _written(book)
    _not_calibrated_sheet(wb.create_sheet(fmt.NOT_CALIBRATED), book)
    _metadata_sheet(wb.create_sheet(fmt.META_SHEET), book, key)
    wb.security = WorkbookProtection(lockStructure=True)  # no sheet added, removed or renamed
    wb.calculation.fullCalcOnLoad = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return as_excel_writes(cache.with_cached_values(buffer.getvalue(), cached))  # the chart caches the values


def formula_values(book: CalibrationBook) -> cache.Cached:
    """The value of every formula of the Calibration and Distribution sheets for the book's
    people and what is typed in their rows: what workbook_bytes caches, and what
    kpibook.calibration_fill caches again after typing the meeting's decisions."""
    return _written(book)[1]


def _written(book: CalibrationBook) -> tuple[Workbook, cache.Cached]:
    """The Calibration and Distribution sheets written, and their formulas' values."""
    wb = Workbook()
    table = wb.active
    table.title = fmt.SHEET
    cached: cache.Cached = {fmt.SHEET: {}, fmt.DISTRIBUTION: {}}
    _table_sheet(table, book, cached[fmt.SHEET])
    _Distribution(wb.create_sheet(fmt.DISTRIBUTION), book, cached[fmt.DISTRIBUTION]).write()
    return wb, cached


def fixed_values(person: Person) -> list[object]:
    """Columns A-G of a person's row, as written and as the digest covers them."""
    return [
        person.employee_id,
        person.employee_name,
        person.manager,
        person.role_id,
        person.department,
        person.total_score,
        person.grade,
    ]


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # people may widen columns
    ws.protection.autoFilter = False  # and filter the table


def _text(ws: Worksheet, ref: str, value: object, font: Font | None = None) -> None:
    """A text cell whatever the text says (a name starting with '=' stays text)."""
    cell = ws[ref]
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    if font is not None:
        cell.font = font


def _table_sheet(ws: Worksheet, book: CalibrationBook, values: dict[str, object]) -> None:
    last = fmt.FIRST_ROW + max(len(book.people), 1) - 1
    for i, name in enumerate(fmt.COLUMNS, 1):
        _text(ws, f"{get_column_letter(i)}1", name, BOLD)
        ws.cell(1, i).fill = HEADER_FILL
    for offset, person in enumerate(book.people):
        r = fmt.FIRST_ROW + offset
        for i, value in enumerate(fixed_values(person), 1):
            if isinstance(value, float):
                ws.cell(r, i, value).number_format = "0.00"
            else:
                _text(ws, f"{get_column_letter(i)}{r}", value)
        formulas = fmt.row_formulas(r, last, len(book.grades))
        for name, formula in formulas.items():
            ws[f"{fmt.LETTER[name]}{r}"] = formula
        values.update(_row_values(book, offset, r))
        for name in fmt.INPUTS:
            cell = ws[f"{fmt.LETTER[name]}{r}"]
            cell.protection, cell.fill, cell.alignment = UNLOCKED, INPUT_FILL, WRAP
    _validations(ws, book, last)
    _highlights(ws, last)
    table = Table(displayName=fmt.TABLE, ref=f"A1:{get_column_letter(len(fmt.COLUMNS))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    for letter, width in zip(fmt.LETTER.values(), (11, 13, 10, 18, 20, 10, 7, 9, 15, 40, 11, 22)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "C2"
    _page(ws, landscape=True)
    ws.print_title_rows = "1:1"
    _protect(ws)


def _row_values(book: CalibrationBook, index: int, row: int) -> dict[str, object]:
    """What a row's formulas give for what is typed in it."""
    person = book.people[index]
    rank = 1 + sum(
        1 for o in book.people if cache.same(o.department, person.department) and o.total_score > person.total_score
    )
    scale = [g.grade for g in book.grades]
    new, why = book.inputs(index)
    return {f"{fmt.LETTER['dept_rank']}{row}": rank,
            f"{fmt.LETTER['final_grade']}{row}": cache.final_grade(person.grade, new, why, scale),
            f"{fmt.LETTER['check']}{row}": cache.check(person.grade, new, why, scale)}  # fmt: skip


def _validations(ws: Worksheet, book: CalibrationBook, last: int) -> None:
    grade_col, reason_col = fmt.LETTER["calibrated_grade"], fmt.LETTER["reason"]
    grades = DataValidation(
        type="list",
        formula1=_grade_list(book),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="等级 Grade",
        error="请从列表中选择等级 / pick a grade from the list",
        promptTitle="校准等级 Calibrated grade",
        prompt="留空 = 保持公式等级 / blank keeps the formula grade",
    )
    grades.add(f"{grade_col}{fmt.FIRST_ROW}:{grade_col}{last}")
    reason = DataValidation(
        type="custom",
        formula1=fmt.reason_rule(fmt.FIRST_ROW)[1:],
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="理由 Reason",
        error="调整等级必须填写理由 / a changed grade needs a reason",
        promptTitle="理由 Reason",
        prompt="等级改变时必填 / required when the grade changes",
    )
    reason.add(f"{reason_col}{fmt.FIRST_ROW}:{reason_col}{last}")
    ws.add_data_validation(grades)
    ws.add_data_validation(reason)


def _grade_list(book: CalibrationBook) -> str:
    """The list validation's source: the grades inline, or the Distribution's grade cells when a
    grade holds a comma or a quote (which an inline list cannot)."""
    if any("," in g.grade or '"' in g.grade for g in book.grades):
        return fmt.grade_list_ref(len(book.grades))
    return f'"{",".join(g.grade for g in book.grades)}"'


def _highlights(ws: Worksheet, last: int) -> None:
    """A changed grade shows green; a change still missing its reason shows the reason cell red."""
    new, old, why = (f"${fmt.LETTER[n]}{fmt.FIRST_ROW}" for n in ("calibrated_grade", "grade", "reason"))
    changed = f'AND({new}<>"",{new}<>{old})'
    rows = f"{fmt.FIRST_ROW}:{last}"
    ws.conditional_formatting.add(
        f"{fmt.LETTER['reason']}{fmt.FIRST_ROW}:{fmt.LETTER['reason']}{last}",
        FormulaRule(formula=[f"AND({changed},LEN(TRIM({why}))=0)"], fill=FLAG_FILL, stopIfTrue=True),
    )
    ws.conditional_formatting.add(
        f"{fmt.LETTER['calibrated_grade']}{rows.split(':')[0]}:{fmt.LETTER['check']}{last}",
        FormulaRule(formula=[changed], fill=CHANGED_FILL),
    )


def _page(ws: Worksheet, landscape: bool) -> None:
    """One page wide, as many pages tall as it takes, A4."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


class _Distribution:
    """The Distribution sheet: overview, grades before/after, the limits, the managers, a chart."""

    def __init__(self, ws: Worksheet, book: CalibrationBook, values: dict[str, object]) -> None:
        self.ws, self.book, self.values = ws, book, values
        self.finals = book.final_grades()
        last = fmt.FIRST_ROW + max(len(book.people), 1) - 1
        self.col = {n: f"{fmt.SHEET}!${fmt.LETTER[n]}${fmt.FIRST_ROW}:${fmt.LETTER[n]}${last}" for n in fmt.COLUMNS}
        self.limit_rows: dict[int, int] = {}  # index of an all-scope single-grade limit -> its row

    def write(self) -> None:
        ws = self.ws
        _text(ws, "A1", f"绩效校准 Calibration — {self.book.title} · {self.book.period}", TITLE)
        _text(ws, "A2", self.subtitle())
        self.totals()
        first_limit = fmt.GRADE_TABLE_ROW + len(self.book.grades) + 3
        after_limits = self.limits(first_limit)
        managers_first = self.managers(after_limits + 2)
        self.grades()
        self.chart(managers_first + len(self.book.managers) + 2)
        for letter, width in zip("ABCDEFGHIJ", (26, 24, 16, 10, 10, 10, 10, 10, 10, 30)):
            ws.column_dimensions[letter].width = width
        _page(ws, landscape=True)
        _protect(ws)

    def subtitle(self) -> str:
        g = self.book.guideline
        if g is None:
            return (
                "规格中没有校准指引 / the spec has no calibration guideline: the distribution is shown without limits"
            )
        rule = ROUNDINGS[g.rounding]
        return (
            f"指引人数 = 比例 × 组人数，{rule}；少于 {g.min_group} 人的组仅供参考 / allowed people = share × group "
            f"size, {rule} ({g.rounding}); groups under {g.min_group} people are shown, not flagged"
        )

    def totals(self) -> None:
        ws, c = self.ws, self.col
        changed = f'({c["calibrated_grade"]}<>"")*({c["calibrated_grade"]}<>{c["grade"]})'
        rows = [
            ("员工 employees", f"=COUNTA({c['employee_id']})"),
            ("平均分 mean score", f"=AVERAGE({c['total_score']})"),
            ("已调整 grades changed", f"=SUMPRODUCT(--({c['final_grade']}<>{c['grade']}))"),
            ("缺理由 changes without reason", f"=SUMPRODUCT({changed}*(LEN(TRIM({c['reason']}))=0))"),
        ]
        for i, (label, formula) in enumerate(rows):
            column = "A" if i % 2 == 0 else "E"
            value = "B" if i % 2 == 0 else "H"
            row = 3 + i // 2
            _text(ws, f"{column}{row}", label, BOLD)
            ws[f"{value}{row}"] = formula
            ws[f"{value}{row}"].number_format = "0.00" if "AVERAGE" in formula else "0"
        self.count_cell, self.mean_cell = "$B$3", "$H$3"
        people = self.book.people
        mean = cache.mean(p.total_score for p in people) if people else ExcelError("#DIV/0!")
        moved = sum(1 for p, final in zip(people, self.finals) if not cache.same(final, p.grade))
        no_reason = 0
        for i, p in enumerate(people):
            new, why = self.book.inputs(i)
            no_reason += new != "" and not cache.same(new, p.grade) and cache.blank_text(why)
        self.values.update({"B3": sum(1 for p in people if p.employee_id), "H3": mean, "B4": moved, "H4": no_reason})

    def header(self, row: int, title: str, names: Sequence[str]) -> None:
        _text(self.ws, f"A{row}", title, BOLD)
        for i, name in enumerate(names, 1):
            cell = self.ws.cell(row + 1, i)
            _text(self.ws, cell.coordinate, name, BOLD)
            cell.fill, cell.alignment = HEADER_FILL, WRAP

    def grades(self) -> None:
        ws, c = self.ws, self.col
        names = ["等级 grade", "名称 label", "指引 guideline", "上限/下限 limit", "校准前 before", "%",
                 "校准后 after", "%", "变化 change", "需调整 to move"]  # fmt: skip
        self.header(fmt.GRADE_TABLE_ROW - 2, "等级分布 Grade distribution", names)
        for i, g in enumerate(self.book.grades):
            r = fmt.GRADE_TABLE_ROW + i
            _text(ws, f"A{r}", g.grade, BOLD)
            _text(ws, f"B{r}", g.label)
            ws[f"E{r}"] = f"=SUMPRODUCT(--({c['grade']}=A{r}))"
            ws[f"F{r}"] = f'=IF({self.count_cell}=0,"",E{r}/{self.count_cell})'
            ws[f"G{r}"] = f"=SUMPRODUCT(--({c['final_grade']}=A{r}))"
            ws[f"H{r}"] = f'=IF({self.count_cell}=0,"",G{r}/{self.count_cell})'
            ws[f"I{r}"] = f"=G{r}-E{r}"
            ws[f"F{r}"].number_format = ws[f"H{r}"].number_format = "0.0%"
            ws[f"I{r}"].number_format = "+0;-0;0"
            before = cache.count((p.grade for p in self.book.people), g.grade)
            after = cache.count(self.finals, g.grade)
            people = self.values["B3"]
            self.values.update({f"E{r}": before, f"F{r}": cache.share(before, people),  # type: ignore[arg-type]
                                f"G{r}": after, f"H{r}": cache.share(after, people),  # type: ignore[arg-type]
                                f"I{r}": after - before})  # fmt: skip
            limit_row = self.single_grade_limit(g.grade)
            if limit_row:
                ws[f"C{r}"] = f"=A{limit_row}"
                ws[f"D{r}"] = f'=IF(E{limit_row}<>"",E{limit_row},F{limit_row})'
                ws[f"J{r}"] = f"=I{limit_row}"
                v = self.values
                limit_value = v.get(f"E{limit_row}", v.get(f"F{limit_row}", 0))  # an empty cell reads as 0
                v.update({f"C{r}": ws[f"A{limit_row}"].value, f"D{r}": limit_value, f"J{r}": v[f"I{limit_row}"]})

    def single_grade_limit(self, grade: str) -> int | None:
        for index, row in self.limit_rows.items():
            limit = self.book.checks[index].limit
            if limit.grades == (grade,) and limit.per == "all" and not limit.role and not limit.department:
                return row
        return None

    def limits(self, first: int) -> int:
        ws, c = self.ws, self.col
        names = ["指引 limit", "范围 scope", "组 group", "人数 people", "上限人数 max", "下限人数 min",
                 "校准前 before", "校准后 after", "需调整 to move", "状态 status"]  # fmt: skip
        self.header(first - 2, "指引检查 Guideline limits (每组 per group)", names)
        if not self.book.checks:
            _text(ws, f"A{first}", "(无指引 no guideline)")
            return first
        g = self.book.guideline
        assert g is not None
        function = ROUNDINGS[g.rounding]
        for i, limit_check in enumerate(self.book.checks):
            r = first + i
            limit = limit_check.limit
            self.limit_rows[i] = r
            _text(ws, f"A{r}", limit.text(), BOLD)
            _text(ws, f"B{r}", limit.scope_text())
            _text(ws, f"C{r}", limit_check.group or "(全部 all)")
            member = self.member(limit, r)
            ws[f"D{r}"] = f"=SUMPRODUCT({member})"
            if limit.max is not None:
                ws[f"E{r}"] = f"={function}({limit.max!r}*D{r},0)"
            if limit.min is not None:
                ws[f"F{r}"] = f"={function}({limit.min!r}*D{r},0)"
            ws[f"G{r}"] = f"=SUMPRODUCT({member}*({self.any_grade(c['grade'], limit)}))"
            ws[f"H{r}"] = f"=SUMPRODUCT({member}*({self.any_grade(c['final_grade'], limit)}))"
            over = f'IF(E{r}="",0,H{r}-E{r})'
            under = f'IF(F{r}="",0,F{r}-H{r})'
            ws[f"I{r}"] = f"=MAX(0,{over},{under})"
            ws[f"J{r}"] = (
                f'=IF(D{r}<{g.min_group},"小组 仅供参考 small group",IF(I{r}=0,"✓ 符合 ok",'
                f'IF({over}>0,"超出 "&I{r}&" 人 over by "&I{r},"缺少 "&I{r}&" 人 short by "&I{r})))'
            )
            self.limit_values(r, limit, limit_check.group or "(全部 all)")
        return first + len(self.book.checks) - 1

    def limit_values(self, r: int, limit: Limit, group: str) -> None:
        """What a limit row's formulas give (its group cell holds `group`)."""
        g = self.book.guideline
        assert g is not None
        members = [i for i, p in enumerate(self.book.people) if self.is_member(p, limit, group)]
        n = len(members)
        v: dict[str, object] = {f"D{r}": n}
        if limit.max is not None:
            v[f"E{r}"] = headcount(limit.max, n, g.rounding)
        if limit.min is not None:
            v[f"F{r}"] = headcount(limit.min, n, g.rounding)
        before = sum(1 for i in members if any(cache.same(self.book.people[i].grade, x) for x in limit.grades))
        after = sum(1 for i in members if any(cache.same(self.finals[i], x) for x in limit.grades))
        over = after - v[f"E{r}"] if f"E{r}" in v else 0  # type: ignore[operator]
        under = v[f"F{r}"] - after if f"F{r}" in v else 0  # type: ignore[operator]
        move = max(0, over, under)
        if n < g.min_group:
            status = "小组 仅供参考 small group"
        elif move == 0:
            status = "✓ 符合 ok"
        else:
            status = f"超出 {move} 人 over by {move}" if over > 0 else f"缺少 {move} 人 short by {move}"
        v.update({f"G{r}": before, f"H{r}": after, f"I{r}": move, f"J{r}": status})
        self.values.update(v)

    @staticmethod
    def is_member(p: Person, limit: Limit, group: str) -> bool:
        """Python's reading of `member`'s conditions."""
        if limit.per == "department" and not cache.same(p.department, group):
            return False
        if limit.per == "role" and not cache.same(p.role_id, group):
            return False
        if limit.role and not cache.same(p.role_id, limit.role):
            return False
        if limit.department and not cache.same(p.department, limit.department):
            return False
        return limit.per != "all" or p.employee_id != ""

    def member(self, limit: Limit, row: int) -> str:
        """1 for the table rows in this limit's group (a product of conditions), for SUMPRODUCT."""
        c = self.col
        parts = ["1"]  # 1*(...) makes the booleans numbers: SUMPRODUCT of a lone boolean array is 0 in Excel
        if limit.per == "department":
            parts.append(f"({c['department']}=$C${row})")
        elif limit.per == "role":
            parts.append(f"({c['role_id']}=$C${row})")
        if limit.role:
            parts.append(f'({c["role_id"]}="{_quoted(limit.role)}")')
        if limit.department:
            parts.append(f'({c["department"]}="{_quoted(limit.department)}")')
        if limit.per == "all":
            parts.append(f'({c["employee_id"]}<>"")')
        return "(" + "*".join(parts) + ")"

    @staticmethod
    def any_grade(column: str, limit: Limit) -> str:
        return "+".join(f'({column}="{_quoted(g)}")' for g in limit.grades)

    def managers(self, first_header: int) -> int:
        ws, c = self.ws, self.col
        g = self.book.guideline
        gap, smallest = (g.manager_gap, g.manager_min) if g else (5.0, 3)
        top = g.top_grades if g else tuple(x.grade for x in self.book.grades[:2])
        names = ["直属上级 manager", "人数 people", "平均分 mean", "中位数 median", "高等级 top before",
                 "高等级 top after", "与部门差 gap", "标记 flag"]  # fmt: skip
        title = (
            f"直属上级统计 Managers — 团队≥{smallest}人且平均分偏离部门超过 {gap:g} 分时标记 / flagged when a team "
            f"of {smallest}+ averages more than {gap:g} points from the department; top = {'+'.join(top)}"
        )
        self.header(first_header, title, names)
        first = first_header + 2
        for i, stats in enumerate(self.book.managers):
            r = first + i
            mine = f"({c['manager']}=$A{r})"
            _text(ws, f"A{r}", stats.manager, BOLD)
            ws[f"B{r}"] = f"=SUMPRODUCT(--{mine})"
            ws[f"C{r}"] = f'=IF(B{r}=0,"",SUMPRODUCT({mine}*{c["total_score"]})/B{r})'
            ws[f"D{r}"] = ArrayFormula(f"D{r}", f'=IF(B{r}=0,"",MEDIAN(IF({mine},{c["total_score"]})))')
            top_before = "+".join(f'({c["grade"]}="{_quoted(x)}")' for x in top)
            top_after = "+".join(f'({c["final_grade"]}="{_quoted(x)}")' for x in top)
            ws[f"E{r}"] = f'=IF(B{r}=0,"",SUMPRODUCT({mine}*({top_before}))/B{r})'
            ws[f"F{r}"] = f'=IF(B{r}=0,"",SUMPRODUCT({mine}*({top_after}))/B{r})'
            ws[f"G{r}"] = f'=IF(B{r}=0,"",C{r}-{self.mean_cell})'
            ws[f"H{r}"] = f'=IF(B{r}<{smallest},"",IF(G{r}>{gap!r},"偏松 lenient",IF(G{r}<-{gap!r},"偏严 severe","")))'
            for col in "CDG":
                ws[f"{col}{r}"].number_format = "0.00"
            self.manager_values(r, stats.manager, top, gap, smallest)
            ws[f"E{r}"].number_format = ws[f"F{r}"].number_format = "0%"
        return first

    def manager_values(self, r: int, manager: str, top: Sequence[str], gap: float, smallest: int) -> None:
        """What a manager row's formulas give."""
        mine = [p for p in self.book.people if cache.same(p.manager, manager)]
        n = len(mine)
        tops = sum(1 for p in mine if any(cache.same(p.grade, x) for x in top))
        finals = [f for p, f in zip(self.book.people, self.finals) if cache.same(p.manager, manager)]
        tops_after = sum(1 for f in finals if any(cache.same(f, x) for x in top))
        mean = cache.share(math.fsum(p.total_score for p in mine), n)
        overall = self.values["H3"]
        difference = "" if n == 0 else mean - overall  # type: ignore[operator]
        flag = ""
        if n >= smallest:
            flag = "偏松 lenient" if difference > gap else "偏严 severe" if difference < -gap else ""  # type: ignore[operator]
        median = "" if n == 0 else cache.median(p.total_score for p in mine)
        self.values.update({f"B{r}": n, f"C{r}": mean, f"D{r}": median, f"E{r}": cache.share(tops, n),
                            f"F{r}": cache.share(tops_after, n),
                            f"G{r}": difference, f"H{r}": flag})  # fmt: skip

    def chart(self, anchor_row: int) -> None:
        first, last = fmt.GRADE_TABLE_ROW, fmt.GRADE_TABLE_ROW + len(self.book.grades) - 1
        chart = BarChart()
        chart.type = "col"
        chart.title = "校准前后 Before and after vs guideline"
        chart.y_axis.title = "people"
        chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides the axes unless told
        chart.y_axis.scaling.min = 0
        chart.height, chart.width = 7.5, 18
        for column in (5, 7, 4):  # before, after, the guideline's limit
            chart.add_data(Reference(self.ws, min_col=column, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(self.ws, min_col=1, min_row=first, max_row=last))
        self.ws.row_breaks.append(Break(id=anchor_row - 1))  # the chart prints whole, on its own page
        self.ws.add_chart(chart, f"A{anchor_row}")


def _quoted(text: str) -> str:
    """Text inside a formula's string literal (spec values only: grade names, role ids)."""
    return text.replace('"', '""')


def _not_calibrated_sheet(ws: Worksheet, book: CalibrationBook) -> None:
    names = ("employee_id", "employee_name", "manager", "status", "why")
    for i, name in enumerate(names, 1):
        _text(ws, f"{get_column_letter(i)}1", name, BOLD)
        ws.cell(1, i).fill = HEADER_FILL
    for r, person in enumerate(book.not_calibrated, 2):
        for i, value in enumerate((person.employee_id, person.employee_name, person.manager, person.status), 1):
            _text(ws, f"{get_column_letter(i)}{r}", value)
        _text(ws, f"E{r}", person.why)
        ws[f"E{r}"].alignment = WRAP
        ws.row_dimensions[r].height = 15 * (1 + len(person.why) // 80)  # wrapped text shows in every program
    for letter, width in zip("ABCDE", (12, 12, 12, 16, 90)):
        ws.column_dimensions[letter].width = width
    _page(ws, landscape=True)
    _protect(ws)


def _metadata_sheet(ws: Worksheet, book: CalibrationBook, key: Key) -> None:
    rows = fmt.metadata_rows(
        key,
        period=book.period,
        spec_sha256=book.spec_sha256,
        summary_sha256=book.summary_sha256,
        rows=[fixed_values(p) for p in book.people],
        extra=book.extra_metadata,
    )
    for r, (name, value) in enumerate(rows, 1):
        _text(ws, f"A{r}", name)
        _text(ws, f"B{r}", value)
    ws.sheet_state = "hidden"
    _protect(ws)
