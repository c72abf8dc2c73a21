"""The formula book (`kpibook audit --explain`): every distinct formula of a role's workbook in
R1C1 and A1 form with what it computes and the spec rule behind it, then each KPI's rule. It
describes the spec, not a returned workbook, so finance can check the arithmetic once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kpibook import scoring
from kpibook.audit.expected import position
from kpibook.audit.values import show
from kpibook.errors import KpibookError, OutputError, Problem
from kpibook.formula_text import to_r1c1
from kpibook.layout import COLUMNS, SCORECARD, RoleLayout
from kpibook.messages import t
from kpibook.spec import Kpi, Role, Spec


@dataclass(frozen=True)
class FormulaBookEntry:
    """One line of the formula book: a distinct formula of a role's workbook, or one KPI's rule."""

    role_id: str
    role_name: str
    kind: str  # "formula" | "kpi"
    number: int
    key: str  # "kpi.score", ... or the KPI id
    cells: str  # "Scorecard!I8:I17"
    r1c1: str
    a1: str
    words: str
    rule: str


PARAMETERS = ("code", "direction", "param", "floor", "cap", "na")  # a KPI row's parameter cells (COLUMNS keys)


def explain(spec: Spec, role_id: str | None = None, lang: str | None = None) -> list[FormulaBookEntry]:
    """The formula book: for each role (or the one given), each distinct formula in R1C1 and A1
    form with what it computes and the spec rule behind it, then each KPI's own scoring rule;
    its words in `lang` (default: the run's language)."""
    if role_id is not None and role_id not in spec.role_ids:
        raise KpibookError(
            [
                Problem(
                    f"{spec.source or 'roles.toml'}: roles",
                    t("audit.explain_no_role", lang, role=repr(role_id), roles=", ".join(spec.role_ids)),
                )
            ]
        )
    roles: list[Role] = [spec.role(role_id)] if role_id else list(spec.roles)
    entries: list[FormulaBookEntry] = []
    for role in roles:
        layout = RoleLayout(role, spec.grades)
        name = f"{role.name_zh} {role.name_en}"
        for number, formula in enumerate(layout.column_formulas(), 1):
            row, col = position(f"{formula.column}{formula.first_row}")
            entries.append(
                FormulaBookEntry(
                    role.id,
                    name,
                    "formula",
                    number,
                    formula.key,
                    f"{SCORECARD}!{formula.cells}",
                    "=" + to_r1c1(formula.formula[1:], row, col),
                    formula.formula,
                    formula.words(lang),
                    formula.rule(lang),
                )
            )
        for number, (row, kpi) in enumerate(layout.iter_kpis(), 1):
            entries.append(_kpi_entry(role, layout, number, row, kpi, lang))
    return entries


def _kpi_entry(role: Role, layout: RoleLayout, number: int, row: int, kpi: Kpi, lang: str | None) -> FormulaBookEntry:
    """One KPI's line of the book: its method's CHOOSE branch, its parameter cells, its rule."""
    method = scoring.METHODS[kpi.method]
    values: dict[str, object] = {
        "code": method.code,
        "direction": kpi.direction,
        "param": kpi.param,
        "floor": kpi.floor,
        "cap": kpi.cap,
        "na": 1 if kpi.allow_na else 0,
    }
    params = t("formula_book.param_separator", lang).join(
        t(
            "formula_book.param",
            lang,
            label=t(f"formula_book.param.{key}", lang),
            cell=f"{COLUMNS[key]}{row}",
            value=show(values[key]),
        )
        for key in PARAMETERS
    )
    rule = scoring.describe_rule(scoring.rule_of(kpi), kpi.unit)
    return FormulaBookEntry(
        role.id,
        f"{role.name_zh} {role.name_en}",
        "kpi",
        number,
        kpi.id,
        f"{SCORECARD}!{layout.kpi_cell(kpi.id, 'score')}",
        t("formula_book.method", lang, method=kpi.method, branch=method.code, excel=method.excel),
        params,
        t("formula_book.kpi_words", lang, zh=kpi.name_zh, en=kpi.name_en, rule=rule),
        t(
            "formula_book.kpi_spec",
            lang,
            role=role.id,
            dimension=kpi.dimension_id,
            kpi=kpi.id,
            weight=f"{kpi.weight:g}",
        ),
    )


def explain_lines(entries: Sequence[FormulaBookEntry], lang: str | None = None) -> list[str]:
    """The formula book as text, its labels in `lang` (default: the run's language)."""
    lines: list[str] = []
    role = None
    for e in entries:
        if e.role_id != role:
            role = e.role_id
            lines += ([""] if lines else []) + [t("formula_book.role", lang, role=e.role_id, name=e.role_name)]
        if e.kind == "formula":
            lines += [
                "",
                f"{e.number}. {e.key}  {e.cells}",
                f"   R1C1: {e.r1c1}",
                f"   A1:   {e.a1}",
                t("formula_book.computes", lang, words=e.words),
                t("formula_book.spec", lang, rule=e.rule),
            ]
        else:
            if e.number == 1:
                lines += ["", t("formula_book.kpi_rules", lang)]
            lines += [
                f"  {e.key}  {e.cells}: {e.words}",
                t("formula_book.kpi_line", lang, method=e.r1c1, params=e.a1),
                f"      {e.rule}",
            ]
    return lines


# The .xlsx book's columns (catalogue formula_book.head.<key>) and their widths, per sheet; the
# role and KPI columns widen to their longest id (an id has no space to wrap at: it would be cut).
HEADINGS = {
    "formula": ("role", "number", "cells", "r1c1", "a1", "words", "rule"),
    "kpi": ("role", "number", "kpi", "score_cell", "method", "parameters", "rule_words", "spec"),
}
WIDTHS = {"formula": (14, 6, 20, 56, 56, 48, 36), "kpi": (14, 6, 20, 12, 44, 48, 56, 40)}


def write_formula_book(entries: Sequence[FormulaBookEntry], out: str | Path, lang: str | None = None) -> Path:
    """The formula book as an .xlsx (formulas shown as text, never evaluated), written atomically;
    its sheet names and headings in `lang` (default: the run's language), as the entries' words."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from kpibook import print_setup
    from kpibook.outputs import atomic_write
    from kpibook.print_setup import row_height, text_width

    out = Path(out)
    wb = Workbook()
    sheets = {"formula": wb.active, "kpi": wb.create_sheet(t("formula_book.sheet.kpi", lang))}
    sheets["formula"].title = t("formula_book.sheet.formula", lang)
    headers = {kind: tuple(t(f"formula_book.head.{key}", lang) for key in keys) for kind, keys in HEADINGS.items()}
    role_width = max([14, *(text_width(e.role_id) + 2 for e in entries)])
    kpi_width = max([20, *(text_width(e.key) + 2 for e in entries if e.kind == "kpi")])
    widths = {"formula": (role_width, *WIDTHS["formula"][1:]), "kpi": (role_width, 6, kpi_width, *WIDTHS["kpi"][3:])}
    for kind, ws in sheets.items():
        ws.append(headers[kind])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, width in enumerate(widths[kind]):
            ws.column_dimensions[chr(65 + i)].width = width
        ws.freeze_panes = "A2"
    for e in entries:
        row: tuple[object, ...]
        if e.kind == "formula":
            row = (e.role_id, e.number, e.cells, e.r1c1, e.a1, e.words, e.rule)
        else:
            row = (e.role_id, e.number, e.key, e.cells, e.r1c1, e.a1, e.words, e.rule)
        ws = sheets[e.kind]
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # formula text is shown, never evaluated
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for kind, ws in sheets.items():  # landscape A4, fitted to the width, the header row repeated
        for cells in ws.iter_rows(min_row=2):  # wrapped rows sized explicitly: no program auto-fits them
            ws.row_dimensions[cells[0].row].height = row_height(
                [(str(c.value), w) for c, w in zip(cells, widths[kind])]
            )
        print_setup.apply(ws, area=f"A1:{chr(64 + ws.max_column)}{ws.max_row}", title_rows="1:1")
    buffer = io.BytesIO()
    wb.save(buffer)
    try:
        atomic_write(out, buffer.getvalue())
    except OSError as exc:
        raise OutputError([Problem(str(out), t("audit.explain_cannot_write", lang, reason=exc.strerror))]) from None
    return out
