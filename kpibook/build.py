"""Builds a role's blank workbook once, then stamps each employee's values into copies.

openpyxl writes the role's workbook (styles, validation, protection, names, the three text
sheets) with tokens such as @@employee_name@@ where per-person values go. The saved parts are
then post-processed once per role: target cells become numbers, formula cells get cached
values that are true for the blank workbook (computed by the scoring core). Generating one
employee's workbook is then a token substitution in two XML parts and a zip: near the bare
cost of zipping the same bytes (see bench/).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kpibook import ooxml, print_setup, scoring
from kpibook.as_excel import as_excel_writes
from kpibook.fingerprint import Key, canonical_targets, fingerprint
from kpibook.formula_text import column_index, column_letter, split_cell, to_r1c1
from kpibook.kpi_text import format_number, format_value, rule_lines
from kpibook.layout import (
    AUDIT,
    COLUMNS,
    FIRST_KPI_ROW,
    FROM_COLUMNS,
    HEADER_FIELDS,
    HEADER_ROW,
    INSTRUCTIONS,
    LAST_PARAM_COLUMN,
    METADATA,
    POINTS_COLUMNS,
    PRINT_LAST_COLUMN,
    ROLE_ID_CELL,
    SCORECARD,
    SCORECARD_PART,
    ActualRule,
    RoleLayout,
    actual_rule,
)
from kpibook.messages import LANGUAGES, both, t
from kpibook.methods import LIST, METHODS
from kpibook.period import Period
from kpibook.print_setup import LINE_HEIGHT, row_height
from kpibook.roster import Employee
from kpibook.spec import Kpi, Role, Spec
from kpibook.targets import default_target, period_targets
from kpibook.templating import Line, render_lines
from kpibook.version import __version__

FORMAT_VERSION = "2"  # 2: the fingerprint signs the issue number too
NUMBER_FORMATS = {
    "%": "0.0%",
    "CNY": "#,##0.00",
    "count": "#,##0",
    "days": "0.0",
    "score": "0.00",
    "points": "0.0",
    "pp": '0.0 "pp"',  # 3 pp, so a 3% typed into it (0.0 pp) shows the mistake
}
UNIT_LABELS = {
    "%": "%",
    "CNY": "元 CNY",
    "count": "个 count",
    "days": "天 days",
    "score": "分 score",
    "points": "分 points",
    "pp": "百分点 pp",
}

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
DIMENSION_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="E2EFDA")
FONT = "Calibri"  # named on every font: an unnamed one falls back to a serif face in LibreOffice
PARAM_FONT = Font(name=FONT, color="808080", size=9)
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
BOLD = Font(name=FONT, bold=True)
TITLE_FONT = Font(name=FONT, bold=True, size=14, color="1F4E78")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
LOW_FILL = PatternFill("solid", fgColor="F8CBAD")
HIGH_FILL = PatternFill("solid", fgColor="C6EFCE")

WIDTHS = {"A": 5, "B": 12, "C": 30, "D": 34, "E": 9, "F": 8, "G": 14, "H": 14, "I": 9, "J": 9, "K": 24, "L": 30, "M": 3}
KPI_HEADERS = {
    "no": "序号\nNo.",
    "dimension": "维度\nDimension",
    "kpi_zh": "指标\nKPI",
    "kpi_en": "KPI (English)",
    "unit": "单位\nUnit",
    "weight": "权重%\nWeight",
    "target": "目标\nTarget",
    "actual": "实际值\nActual",
    "score": "得分\nScore",
    "weighted": "加权得分\nWeighted",
    "source": "数据来源\nSource",
    "comment": "说明/证据\nEvidence / comment",
    "dim_id": "dimension",
    "kpi_id": "kpi",
    "method": "method",
    # the parameter cells' labels are the formula book's (kpibook/catalogue/formula_book.py), in English
    "code": t("formula_book.param.code", "en"),
    "direction": t("formula_book.param.direction", "en"),
    "param": t("formula_book.param.param", "en"),
    "floor": t("formula_book.param.floor", "en"),
    "cap": t("formula_book.param.cap", "en"),
    "na": t("formula_book.param.na", "en"),
    "pending": "pending",
    "counted": "counted weight",
}

# The stamped parts (scorecard, metadata) are deflated for every employee: level 1 takes a
# third of level 6's time on them for a workbook ~1.5 KB larger (bench/README.md, generate).
STAMP_LEVEL = 1

TOKEN = re.compile(rb"@@([a-z_]+(?::[a-z0-9_]+)?)@@")
TEXT_TOKENS = ("employee_name", "employee_id", "department", "manager", "email")


def token(name: str) -> str:
    return f"@@{name}@@"


@dataclass(frozen=True)
class BuildOptions:
    period: Period
    key: Key
    generated_at: str = ""  # ISO timestamp, the same for a whole run
    password: str | None = None  # sheet and structure protection password (optional)


# ---------------------------------------------------------------------------------------------
# The role template
# ---------------------------------------------------------------------------------------------


@dataclass
class RoleTemplate:
    """A role's finished workbook parts with per-employee tokens, ready to stamp."""

    spec: Spec
    layout: RoleLayout
    options: BuildOptions
    parts: list[tuple[str, bytes]]  # zip member name -> bytes, in order
    stamped: frozenset[str]  # the members that contain tokens
    deflated: dict[str, ooxml.Deflated] = field(init=False)  # the unchanging members, compressed once

    def __post_init__(self) -> None:
        self.deflated = {name: ooxml.deflate(name, data) for name, data in self.parts if name not in self.stamped}

    def values_for(self, employee: Employee, issue: int = 1) -> dict[str, str]:
        role = self.layout.role
        targets = period_targets(self.spec, employee.role_id, employee.targets, self.options.period)
        values = {
            "employee_name": employee.name,
            "employee_id": employee.employee_id,
            "department": employee.department,
            "manager": employee.manager,
            "email": employee.email,
            "issue": str(issue),
        }
        values["fingerprint"] = fingerprint(
            self.options.key,
            layout_sha256=self.layout.layout_sha256,
            spec_sha256=self.spec.sha256,
            role_id=role.id,
            employee_id=employee.employee_id,
            period=self.options.period.label,
            targets=targets,
            issue=str(issue),
        )
        values["targets"] = json.dumps(canonical_targets(targets), sort_keys=True)
        units = {k.id: k.unit for k in role.kpis}
        for kpi_id, target in targets.items():
            values[f"t:{kpi_id}"] = repr(float(target))
            values[f"tx:{kpi_id}"] = format_value(target, units[kpi_id])  # the Instructions' text
        return values

    def stamp(self, employee: Employee, issue: int = 1) -> bytes:
        """The employee's finished .xlsx bytes, as issue number `issue` of their workbook."""
        values = self.values_for(employee, issue)
        encoded = {k.encode(): ooxml.escape(v).encode() for k, v in values.items()}
        # header/footer text: '&' starts a code there, so a literal one is doubled
        encoded.update(
            {
                b"hf_" + k.encode(): ooxml.escape(v.replace("&", "&&")).encode()
                for k, v in values.items()
                if k in TEXT_TOKENS
            }
        )

        def substitute(m: re.Match[bytes]) -> bytes:
            return encoded[m.group(1)]

        return ooxml.zip_deflated(
            ooxml.deflate(name, TOKEN.sub(substitute, data), STAMP_LEVEL)
            if name in self.stamped
            else self.deflated[name]
            for name, data in self.parts
        )


def build_role_template(spec: Spec, role: Role, options: BuildOptions) -> RoleTemplate:
    layout = RoleLayout(role, spec.grades)
    wb = Workbook()
    scorecard = wb.active
    scorecard.title = SCORECARD
    _write_scorecard(scorecard, spec, layout, options)
    _write_lines(wb.create_sheet(INSTRUCTIONS), render_lines("instructions.txt.j2", **_context(spec, layout, options)))
    _write_audit(wb.create_sheet(AUDIT), spec, layout, options)
    _write_metadata(wb.create_sheet(METADATA), spec, layout, options)
    for name, ref in layout.defined_names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    wb.calculation.fullCalcOnLoad = True  # the spreadsheet recomputes everything when opened
    wb.security = WorkbookProtection(lockStructure=True)
    if options.password:
        wb.security.workbookPassword = options.password
    wb.properties.creator = f"kpibook {__version__}"
    wb.properties.title = f"{role.name_zh} {role.name_en} {options.period.label}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _finish_parts(spec, layout, options, as_excel_writes(buffer.getvalue()))


def _context(spec: Spec, layout: RoleLayout, options: BuildOptions) -> dict[str, object]:
    # The rule in words with the period's default target (a year's amount for a year), not the quarter's.
    words = {
        k.id: scoring.describe_rule(scoring.rule_of(k, default_target(k, options.period)), k.unit)
        for k in layout.role.kpis
    }
    # per person: the target is a token that `stamp` fills with the employee's own target for the period
    rules = {k.id: rule_lines(k, token(f"tx:{k.id}")) for k in layout.role.kpis}
    return {
        "spec": spec,
        "role": layout.role,
        "period": options.period,
        "grades": spec.grades,
        "words": words,
        "rules": rules,
    }


# ---------------------------------------------------------------------------------------------
# Scorecard
# ---------------------------------------------------------------------------------------------


def _write_scorecard(ws: Worksheet, spec: Spec, layout: RoleLayout, options: BuildOptions) -> None:
    role, period = layout.role, options.period
    ws["A1"] = (
        f"{spec.department_zh} · {role.name_zh} 绩效考核表 — {spec.department_en} · {role.name_en} appraisal {period.label}"
    )
    ws["A1"].font = TITLE_FONT
    header_values = {
        "employee_name": token("employee_name"),
        "employee_id": token("employee_id"),
        "role": f"{role.name_zh} {role.name_en}",
        "department": token("department"),
        "manager": token("manager"),
        "period": period.label,
        "due_date": period.due.isoformat(),
        "spec_version": spec.spec_version,
    }
    for key, (label_cell, value_cell, label) in HEADER_FIELDS.items():
        ws[label_cell] = label
        ws[label_cell].font = BOLD
        ws[value_cell] = header_values[key]
        ws[value_cell].border = Border(bottom=THIN)
    ws["A6"] = "请只填写黄色单元格;得分自动计算。 Fill in the yellow cells only; scores compute themselves."
    ws["A6"].font = Font(name=FONT, italic=True, color="595959")
    ws[ROLE_ID_CELL[0]], ws[ROLE_ID_CELL[1]] = "role_id", role.id
    for cell in ROLE_ID_CELL:
        ws[cell].font = PARAM_FONT
    _write_kpi_table(ws, layout, period)
    _write_dimension_table(ws, layout)
    _write_totals(ws, spec, layout)
    _write_signoff(ws, layout)
    for column, width in WIDTHS.items():
        ws.column_dimensions[column].width = width
    for column in ["N", "O", "P"]:
        ws.column_dimensions[column].width = 12
    ws.freeze_panes = f"A{FIRST_KPI_ROW}"
    _page_setup(ws, layout, options)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # managers may widen columns
    if options.password:
        ws.protection.password = options.password


def _write_kpi_table(ws: Worksheet, layout: RoleLayout, period: Period) -> None:
    for key, title in KPI_HEADERS.items():
        cell = ws[f"{COLUMNS[key]}{HEADER_ROW}"]
        cell.value = title
        cell.font = HEADER_FONT if key in _VISIBLE else PARAM_FONT
        if key in _VISIBLE:
            cell.fill = HEADER_FILL
            cell.border = BOX
        cell.alignment = CENTER
    for i, column in enumerate(FROM_COLUMNS, 1):
        ws[f"{column}{HEADER_ROW}"] = f"from {i}"
    for i, column in enumerate(POINTS_COLUMNS, 1):
        ws[f"{column}{HEADER_ROW}"] = f"points {i}"
    ws.row_dimensions[HEADER_ROW].height = 32
    dimension_names = {d.id: f"{d.name_zh}\n{d.name_en}" for d in layout.role.dimensions}
    for number, (row, kpi) in enumerate(layout.iter_kpis(), 1):
        c = {key: ws[f"{column}{row}"] for key, column in COLUMNS.items()}  # this row's cells by column key
        c["no"].value = number
        c["dimension"].value = dimension_names[kpi.dimension_id]
        c["kpi_zh"].value = kpi.name_zh
        c["kpi_en"].value = kpi.name_en
        c["unit"].value = UNIT_LABELS[kpi.unit]
        c["weight"].value = kpi.weight
        c["target"].value = token(f"t:{kpi.id}")
        c["target"].number_format = NUMBER_FORMATS[kpi.unit]
        c["actual"].number_format = NUMBER_FORMATS[kpi.unit]
        c["actual"].fill = INPUT_FILL
        c["actual"].protection = UNLOCKED
        c["comment"].fill = INPUT_FILL
        c["comment"].protection = UNLOCKED
        c["source"].value = f"{kpi.source_zh}\n{kpi.source_en}"
        for key, formula in layout.kpi_formulas(row).items():
            c[key].value = "=" + formula
        c["score"].number_format = "0.00"
        c["weighted"].number_format = "0.00"
        for column, value in layout.parameter_values(kpi).items():
            ws[f"{column}{row}"] = value
        for key in _VISIBLE:
            c[key].border = BOX
            c[key].alignment = CENTER if key in ("no", "unit", "weight", "score", "weighted") else WRAP
        for column in _param_columns():
            ws[f"{column}{row}"].font = PARAM_FONT
        texts = [(c[key].value, WIDTHS[COLUMNS[key]]) for key in ("dimension", "kpi_zh", "kpi_en", "source")]
        ws.row_dimensions[row].height = max(2 * LINE_HEIGHT, row_height(texts))
        ws.add_data_validation(_validation(kpi, f"{COLUMNS['actual']}{row}", period))
    score_range = f"{COLUMNS['score']}{FIRST_KPI_ROW}:{COLUMNS['score']}{layout.last_kpi_row}"
    first = f"{COLUMNS['score']}{FIRST_KPI_ROW}"
    ws.conditional_formatting.add(
        score_range, FormulaRule(formula=[f"AND(ISNUMBER({first}),{first}<60)"], fill=LOW_FILL)
    )
    ws.conditional_formatting.add(
        score_range, FormulaRule(formula=[f"AND(ISNUMBER({first}),{first}>100)"], fill=HIGH_FILL)
    )


_VISIBLE = (
    "no",
    "dimension",
    "kpi_zh",
    "kpi_en",
    "unit",
    "weight",
    "target",
    "actual",
    "score",
    "weighted",
    "source",
    "comment",
)


def _param_columns() -> list[str]:
    return [column_letter(i) for i in range(column_index("N"), column_index(LAST_PARAM_COLUMN) + 1)]


def _bound(kpi: Kpi, value: float) -> str:
    """A bound as the prompt shows it: 50,000,000 (grouped, never 5e+07), or 100% for a percentage."""
    return format_value(value, kpi.unit) if kpi.unit == "%" else format_number(value)


def _rule_texts(kpi: Kpi, actual: ActualRule) -> dict[str, dict[str, str]]:
    """The pieces of the prompt and error texts, per language: the allowed input, N/A, and the
    unit mistake to head off (95 for 95%, 3% for 3 percentage points)."""
    texts: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        if METHODS[kpi.method].input_kind == LIST:
            levels = actual.formula1.strip('"').split(",")
            rule = t("workbook.rule_list", lang, first=levels[0], last=levels[-1])
        else:
            code = "workbook.rule_whole" if kpi.whole else "workbook.rule_number"
            rule = t(code, lang, low=_bound(kpi, kpi.min), high=_bound(kpi, kpi.max))
        extra = {"%": "workbook.percent", "pp": "workbook.pp"}.get(kpi.unit)
        texts[lang] = {
            "rule": rule,
            "na": t("workbook.na", lang) if kpi.allow_na else "",
            "prompt_extra": t(extra, lang) if extra else "",
            "error_extra": t("workbook.percent_mistake" if kpi.unit == "%" else extra, lang) if extra else "",
        }
    return texts


def _validation(kpi: Kpi, cell: str, period: Period) -> DataValidation:
    """Data validation of one actual cell, with an input message and a bilingual error alert."""
    rule = actual_rule(kpi, cell)
    dv = DataValidation(type=rule.type, operator=rule.operator, formula1=rule.formula1, formula2=rule.formula2)
    texts = _rule_texts(kpi, rule)
    dv.allow_blank = True
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.promptTitle = both("workbook.prompt_title")[:32]
    prompts = [
        t("workbook.prompt", lang, period=period.label, unit=UNIT_LABELS[kpi.unit],
          rule=x["rule"], na=x["na"], extra=x["prompt_extra"])
        for lang, x in texts.items()
    ]  # fmt: skip
    dv.prompt = "\n".join(prompts)[:255]
    dv.errorTitle = both("workbook.error_title")[:32]
    errors = [
        t("workbook.error", lang, rule=x["rule"], na=x["na"], extra=x["error_extra"]) for lang, x in texts.items()
    ]
    dv.error = " ".join(errors)[:225]
    dv.add(cell)
    return dv


def _write_dimension_table(ws: Worksheet, layout: RoleLayout) -> None:
    r = layout.dimension_header_row
    for key, title in (("dimension", "维度小计\nDimension"), ("weight", "权重%\nWeight"), ("score", "得分\nScore")):
        cell = ws[f"{COLUMNS[key]}{r}"]
        cell.value, cell.font, cell.fill, cell.alignment, cell.border = title, HEADER_FONT, HEADER_FILL, CENTER, BOX
    ws.merge_cells(f"B{r}:E{r}")
    ws.row_dimensions[r].height = 2 * LINE_HEIGHT
    for dimension in layout.role.dimensions:
        row = layout.dimension_rows[dimension.id]
        ws[f"B{row}"] = f"{dimension.name_zh} {dimension.name_en}"
        ws.merge_cells(f"B{row}:E{row}")
        ws[f"{COLUMNS['weight']}{row}"] = dimension.weight
        ws[f"{COLUMNS['score']}{row}"] = "=" + layout.dimension_formula(row)
        ws[f"{COLUMNS['score']}{row}"].number_format = "0.00"
        ws[f"{COLUMNS['dim_id']}{row}"] = dimension.id
        ws[f"{COLUMNS['dim_id']}{row}"].font = PARAM_FONT
        for key in ("dimension", "weight", "score"):
            ws[f"{COLUMNS[key]}{row}"].fill = DIMENSION_FILL
            ws[f"{COLUMNS[key]}{row}"].border = BOX
            ws[f"{COLUMNS[key]}{row}"].alignment = CENTER if key != "dimension" else WRAP


def _write_totals(ws: Worksheet, spec: Spec, layout: RoleLayout) -> None:
    score = COLUMNS["score"]
    rows = (
        (layout.total_row, "总分 Total score", layout.total_formula, "0.00"),
        (layout.grade_row, "等级 Grade", layout.grade_formula, "General"),
        (layout.pending_row, "尚缺输入 Inputs still missing", layout.pending_formula, "0"),
    )
    for row, label, formula, number_format in rows:
        ws[f"B{row}"] = label
        ws[f"B{row}"].font = Font(name=FONT, bold=True, size=12)
        ws.merge_cells(f"B{row}:H{row}")
        ws[f"B{row}"].alignment = Alignment(horizontal="right", vertical="center")
        cell = ws[f"{score}{row}"]
        cell.value, cell.number_format = "=" + formula, number_format
        cell.font, cell.fill, cell.border, cell.alignment = Font(name=FONT, bold=True, size=12), TOTAL_FILL, BOX, CENTER
    ws[f"N{layout.grade_table_header_row}"] = "grade min"
    ws[f"O{layout.grade_table_header_row}"] = "grade"
    ws[f"P{layout.grade_table_header_row}"] = "label"
    for row, grade in zip(layout.grade_table_rows, spec.grades):
        ws[f"N{row}"], ws[f"O{row}"], ws[f"P{row}"] = grade.min, grade.grade, f"{grade.label_zh} {grade.label_en}"
        for column in "NOP":
            ws[f"{column}{row}"].font = PARAM_FONT
    for column in "NOP":
        ws[f"{column}{layout.grade_table_header_row}"].font = PARAM_FONT


def _write_signoff(ws: Worksheet, layout: RoleLayout) -> None:
    r = layout.signoff_row
    cells = layout.signoff_cells
    labels = (
        (r, "A", "综合评语\nOverall comment", "overall_comment", None),
        (r + 1, "A", "员工签字\nEmployee", "employee_signature", "employee_date"),
        (r + 2, "A", "上级签字\nManager", "manager_signature", "manager_date"),
    )
    for row, column, label, value_key, date_key in labels:
        ws[f"{column}{row}"] = label  # on two lines: "Overall comment" beside the Chinese was cut
        ws[f"{column}{row}"].font = BOLD
        ws[f"{column}{row}"].alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells(f"A{row}:B{row}")
        value = ws[cells[value_key]]
        value.fill, value.protection, value.border, value.alignment = INPUT_FILL, UNLOCKED, BOX, WRAP
        if date_key:
            ws[f"F{row}"] = "日期 Date"
            ws[f"F{row}"].font = BOLD
            date = ws[cells[date_key]]
            date.fill, date.protection, date.border, date.number_format = INPUT_FILL, UNLOCKED, BOX, "yyyy-mm-dd"
            ws.merge_cells(f"{cells[value_key]}:E{row}")
        else:
            ws.merge_cells(f"{cells[value_key]}:{PRINT_LAST_COLUMN}{row}")
            ws.row_dimensions[row].height = 48
        ws.row_dimensions[row + 0].height = ws.row_dimensions[row].height or 32
    _lock_merged_tails(ws)


def _lock_merged_tails(ws: Worksheet) -> None:
    """Merging copies the first cell's style, unlock included, to the hidden cells of the range;
    lock them again so that the input cells stay exactly the layout's."""
    locked = Protection(locked=True)
    for merged in ws.merged_cells.ranges:
        for row in ws.iter_rows(
            min_row=merged.min_row, max_row=merged.max_row, min_col=merged.min_col, max_col=merged.max_col
        ):
            for cell in row:
                if cell.coordinate != merged.start_cell.coordinate:
                    cell.protection = locked


def _page_setup(ws: Worksheet, layout: RoleLayout, options: BuildOptions) -> None:
    """Landscape A4, one page for the scorecard with its totals and sign-off (what the manager
    prints and signs); a role too long for one legible page flows onto more, the KPI header
    repeated."""
    one_page = len(layout.role.kpis) <= SCORECARD_ONE_PAGE_KPIS
    print_setup.apply(
        ws,
        area=f"A1:{PRINT_LAST_COLUMN}{layout.last_row}",
        title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
        pages_tall=1 if one_page else 0,
    )
    ws.oddHeader.left.text = f"{token('hf_employee_name')} ({token('hf_employee_id')})"
    ws.oddHeader.right.text = f"{layout.role.name_zh} {layout.role.name_en} · {options.period.label}"


# ---------------------------------------------------------------------------------------------
# Text sheets and metadata
# ---------------------------------------------------------------------------------------------

_LINE_FONTS = {
    "h1": Font(name=FONT, bold=True, size=14, color="1F4E78"),
    "h2": Font(name=FONT, bold=True, size=12, color="1F4E78"),
}
GUTTER_WIDTH = 4
SCORECARD_ONE_PAGE_KPIS = 16  # up to this many KPIs the scorecard prints on one legible page


def _write_lines(
    ws: Worksheet, lines: list[Line], start_row: int = 1, last_column: str = "A", width: float = 120
) -> int:
    """Writes rendered template lines one per row, merged over A:last_column of total `width`."""
    if last_column == "A":
        ws.column_dimensions["A"].width = width
    row = start_row
    for line in lines:
        text = line.text.strip() if line.kind == "item" else line.text
        if line.kind == "item" and not line.text.startswith(" "):
            text = "• " + text
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=2 if line.kind == "item" else 0)
        if line.kind in _LINE_FONTS:
            cell.font = _LINE_FONTS[line.kind]
        elif line.kind == "item" and line.text.startswith(" "):
            cell.font = Font(name=FONT, color="595959")
        if last_column != "A":
            ws.merge_cells(f"A{row}:{last_column}{row}")
        scale = 1.4 if line.kind == "h1" else 1.2 if line.kind == "h2" else 1.0
        ws.row_dimensions[row].height = row_height([(text, width / scale)]) * scale
        row += 1
    ws.protection.sheet = True
    # An empty narrow column right of the text, inside the print area: a spreadsheet whose font
    # is wider than Calibri (LibreOffice without it) lets wrapped text run into it, not off the page.
    gutter = column_letter(column_index(last_column) + 1)
    ws.column_dimensions[gutter].width = GUTTER_WIDTH
    print_setup.apply(ws, area=f"A1:{gutter}{row - 1}")
    return row


AUDIT_HEADERS = (
    "#",
    "单元格 Cells",
    "公式 Formula (R1C1)",
    "首个单元格 First cell (A1)",
    "计算内容 What it computes",
    "规格规则 Spec rule",
)
AUDIT_WIDTHS = (5, 14, 44, 44, 44, 26)  # landscape A4 at about 60%: formulas wrap, still legible


def _write_audit(ws: Worksheet, spec: Spec, layout: RoleLayout, options: BuildOptions) -> None:
    for column, width in zip("ABCDEF", AUDIT_WIDTHS):
        ws.column_dimensions[column].width = width
    intro = render_lines("audit_intro.txt.j2", **_context(spec, layout, options))
    row = _write_lines(ws, intro, last_column="F", width=sum(AUDIT_WIDTHS)) + 1
    for i, title in enumerate(AUDIT_HEADERS, 1):
        cell = ws.cell(row=row, column=i, value=title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, CENTER
    ws.print_title_rows = f"{row}:{row}"
    for number, formula in enumerate(layout.column_formulas(), 1):
        row += 1
        first_row, first_col = split_cell(f"{formula.column}{formula.first_row}")
        values = (
            number,
            f"{SCORECARD}!{formula.cells}",
            "=" + to_r1c1(formula.formula[1:], first_row, first_col),
            formula.formula,
            formula.words("en"),  # the workbook's Audit sheet: the catalogue's English, as before
            formula.rule("en"),
        )
        for i, value in enumerate(values, 1):
            cell = ws.cell(row=row, column=i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # formulas are shown as text here, never evaluated
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = BOX
        ws.row_dimensions[row].height = row_height([(str(v), w) for v, w in zip(values, AUDIT_WIDTHS)])
    ws.print_area = f"A1:{column_letter(len(AUDIT_WIDTHS) + 1)}{row}"  # the intro, the table and its gutter


def _write_metadata(ws: Worksheet, spec: Spec, layout: RoleLayout, options: BuildOptions) -> None:
    rows = [
        ("format_version", FORMAT_VERSION),
        ("kpibook_version", __version__),
        ("spec_sha256", spec.sha256),
        ("spec_version", spec.spec_version),
        ("layout_sha256", layout.layout_sha256),
        ("role_id", layout.role.id),
        ("employee_id", token("employee_id")),
        ("employee_name", token("employee_name")),
        ("department", token("department")),
        ("manager", token("manager")),
        ("period", options.period.label),
        ("generated_at", options.generated_at),
        ("key_id", options.key.key_id),
        ("targets", token("targets")),
        ("fingerprint", token("fingerprint")),
        ("scorecard_sheet", SCORECARD),
        ("issue", token("issue")),  # the ledger's issue number: a superseded copy is recognised (last: cells stay put)
    ]
    for key, value in rows:
        ws.append([key, value])
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


# ---------------------------------------------------------------------------------------------
# Post-processing of the saved parts
# ---------------------------------------------------------------------------------------------

_TARGET_CELL = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is><t>(@@t:[a-z0-9_]+@@)</t></is></c>')


def _finish_scorecard(layout: RoleLayout, data: bytes) -> bytes:
    """Target cells become number cells (their token is stamped per employee) and every formula
    cell gets the blank workbook's cached value."""
    cached = layout.blank_values()
    data = _TARGET_CELL.sub(lambda m: b'<c r="%s"%s><v>%s</v></c>' % m.group(1, 2, 3), data)
    return ooxml.cache_formulas(data, cached.__getitem__, strict=True)


def _finish_parts(spec: Spec, layout: RoleLayout, options: BuildOptions, xlsx: bytes) -> RoleTemplate:
    parts: list[tuple[str, bytes]] = []
    stamped: set[str] = set()
    for info, data in ooxml.read_parts(xlsx):
        if info.filename == SCORECARD_PART:
            data = _finish_scorecard(layout, data)
        if TOKEN.search(data):
            stamped.add(info.filename)
        parts.append((info.filename, data))
    # [Content_Types].xml first, as Excel itself writes it
    parts.sort(key=lambda part: part[0] != "[Content_Types].xml")
    return RoleTemplate(spec, layout, options, parts, frozenset(stamped))


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
