"""Where everything sits in a role's workbook: one place that builders, readers and the audit share.

The Scorecard sheet, top to bottom:
  rows 1-6   title and header block (employee, id, role, department, manager, period, due date)
  row 7      KPI table header
  rows 8..   one row per KPI, grouped by dimension (inputs: Actual, Evidence/comment)
  then       the dimension subtotals, then total / grade / inputs still missing,
             then the sign-off block (employee, manager, date).
Columns N.. right of the printed area hold each KPI's scoring parameters (locked, visible),
so that every score formula is the same down its column in R1C1 terms.

Nothing here knows openpyxl: it returns cell references, formulas and names.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from kpibook import scoring
from kpibook.formula_text import column_index, column_letter
from kpibook.messages import t
from kpibook.methods import LIST, METHODS
from kpibook.spec import MAX_BANDS, Grade, Kpi, Role

SCORECARD = "Scorecard"
INSTRUCTIONS = "Instructions"
AUDIT = "Audit"
METADATA = "_kpibook"
SCORECARD_PART = "xl/worksheets/sheet1.xml"  # the Scorecard is the first sheet of the package

HEADER_ROW = 7
FIRST_KPI_ROW = 8
PRINT_LAST_COLUMN = "L"


# The KPI table's columns. Visible part A..L, parameters N.. (M is a spacer).
COLUMNS: dict[str, str] = {
    "no": "A",
    "dimension": "B",
    "kpi_zh": "C",
    "kpi_en": "D",
    "unit": "E",
    "weight": "F",
    "target": "G",
    "actual": "H",
    "score": "I",
    "weighted": "J",
    "source": "K",
    "comment": "L",
    "dim_id": "N",
    "kpi_id": "O",
    "method": "P",
    "code": "Q",
    "direction": "R",
    "param": "S",
    "floor": "T",
    "cap": "U",
    "na": "V",
}
_FROM_START = column_index("W")
FROM_COLUMNS = [column_letter(_FROM_START + i) for i in range(MAX_BANDS)]
POINTS_COLUMNS = [column_letter(_FROM_START + MAX_BANDS + i) for i in range(MAX_BANDS)]
COLUMNS["pending"] = column_letter(_FROM_START + 2 * MAX_BANDS)
COLUMNS["counted"] = column_letter(_FROM_START + 2 * MAX_BANDS + 1)
LAST_PARAM_COLUMN = COLUMNS["counted"]

# Header block: label cell and value cell for each field, bilingual labels.
HEADER_FIELDS: dict[str, tuple[str, str, str]] = {
    # key: (label cell, value cell, label)
    "employee_name": ("A2", "C2", "员工 Employee"),
    "employee_id": ("F2", "H2", "工号 Employee ID"),
    "role": ("A3", "C3", "岗位 Role"),
    "department": ("F3", "H3", "部门 Department"),
    "manager": ("A4", "C4", "直属上级 Manager"),
    "period": ("F4", "H4", "考核期间 Period"),
    "due_date": ("A5", "C5", "提交截止 Due date"),
    "spec_version": ("F5", "H5", "考核标准版本 Spec version"),
}
ROLE_ID_CELL = ("N2", "O2")  # label, value: the machine-readable role id for the defined name


def absolute(cell: str) -> str:
    """H8 -> $H$8"""
    col = cell.rstrip("0123456789")
    return f"${col}${cell[len(col) :]}"


def sheet_ref(cell_or_range: str, sheet: str = SCORECARD) -> str:
    return f"{sheet}!" + ":".join(absolute(c) for c in cell_or_range.split(":"))


@dataclass(frozen=True)
class ActualRule:
    """The data validation rule of an actual cell: what the manager may type there. The builder
    writes it (with its prompt texts), the audit compares a returned workbook's rule with it."""

    type: str  # "list" | "custom" | "whole" | "decimal", as in <dataValidation type=...>
    formula1: str
    formula2: str | None = None
    operator: str | None = None  # "between" for a number range


def actual_rule(kpi: Kpi, cell: str) -> ActualRule:
    """The rule of the actual cell `cell` of `kpi`: a list of levels for a rating, else a number
    from min to max (whole where the KPI says so), or "N/A" where the KPI allows it."""
    low, high = repr(kpi.min), repr(kpi.max)
    if METHODS[kpi.method].input_kind == LIST:
        levels = [f"{b.start:g}" for b in kpi.bands] + (["N/A"] if kpi.allow_na else [])
        return ActualRule("list", '"' + ",".join(levels) + '"')
    if kpi.allow_na:
        whole = f",{cell}=INT({cell})" if kpi.whole else ""
        return ActualRule("custom", f'OR(AND(ISNUMBER({cell}){whole},{cell}>={low},{cell}<={high}),{cell}="N/A")')
    return ActualRule("whole" if kpi.whole else "decimal", low, high, "between")


@dataclass(frozen=True)
class ColumnFormula:
    """One distinct formula of the workbook: the same in every cell it covers (R1C1 terms)."""

    key: str  # e.g. "kpi.score"
    column: str
    first_row: int
    last_row: int
    formula: str  # A1 form in the first cell, with a leading "="

    def words(self, lang: str | None = None) -> str:
        """What it computes, in plain words (catalogue `formula.<key>.words`; the score's names
        the code column and each method)."""
        methods = t("formula.method_separator", lang).join(
            t("formula.method_item", lang, number=m.code, name=m.name, words=m.words(lang)) for m in METHODS.values()
        )
        return t(f"formula.{self.key}.words", lang, code_column=COLUMNS["code"], methods=methods)

    def rule(self, lang: str | None = None) -> str:
        """The spec rule it implements (catalogue `formula.<key>.rule`)."""
        return t(f"formula.{self.key}.rule", lang)

    @property
    def cells(self) -> str:
        start, end = f"{self.column}{self.first_row}", f"{self.column}{self.last_row}"
        return start if start == end else f"{start}:{end}"


@dataclass(frozen=True)
class RoleLayout:
    role: Role
    grades: tuple[Grade, ...]

    # -- rows ------------------------------------------------------------------------------
    @cached_property
    def kpi_rows(self) -> dict[str, int]:
        return {k.id: FIRST_KPI_ROW + i for i, k in enumerate(self.role.kpis)}

    @property
    def last_kpi_row(self) -> int:
        return FIRST_KPI_ROW + len(self.role.kpis) - 1

    @property
    def dimension_header_row(self) -> int:
        return self.last_kpi_row + 2

    @cached_property
    def dimension_rows(self) -> dict[str, int]:
        return {d.id: self.dimension_header_row + 1 + i for i, d in enumerate(self.role.dimensions)}

    @property
    def last_dimension_row(self) -> int:
        return self.dimension_header_row + len(self.role.dimensions)

    @property
    def total_row(self) -> int:
        return self.last_dimension_row + 2

    @property
    def grade_row(self) -> int:
        return self.total_row + 1

    @property
    def pending_row(self) -> int:
        return self.total_row + 2

    @property
    def grade_table_header_row(self) -> int:
        return self.total_row - 1

    @cached_property
    def grade_table_rows(self) -> list[int]:
        return [self.total_row + i for i in range(len(self.grades))]

    @property
    def signoff_row(self) -> int:
        return max(self.pending_row, self.grade_table_rows[-1] if self.grades else 0) + 2

    @property
    def signoff_cells(self) -> dict[str, str]:
        """Input cells of the sign-off block (unlocked): overall comment, signatures and dates."""
        r = self.signoff_row
        return {
            "overall_comment": f"C{r}",
            "employee_signature": f"C{r + 1}",
            "employee_date": f"H{r + 1}",
            "manager_signature": f"C{r + 2}",
            "manager_date": f"H{r + 2}",
        }

    @property
    def last_row(self) -> int:
        return self.signoff_row + 2

    # -- cells -----------------------------------------------------------------------------
    def kpi_cell(self, kpi_id: str, column: str) -> str:
        return f"{COLUMNS[column]}{self.kpi_rows[kpi_id]}"

    def dimension_score_cell(self, dimension_id: str) -> str:
        return f"{COLUMNS['score']}{self.dimension_rows[dimension_id]}"

    @property
    def total_cell(self) -> str:
        return f"{COLUMNS['score']}{self.total_row}"

    @property
    def grade_cell(self) -> str:
        return f"{COLUMNS['score']}{self.grade_row}"

    @property
    def pending_cell(self) -> str:
        return f"{COLUMNS['score']}{self.pending_row}"

    @property
    def grade_min_range(self) -> str:
        rows = self.grade_table_rows
        return f"$N${rows[0]}:$N${rows[-1]}"

    @property
    def grade_name_range(self) -> str:
        rows = self.grade_table_rows
        return f"$O${rows[0]}:$O${rows[-1]}"

    def input_cells(self) -> list[str]:
        """Every cell a manager may edit: actuals, comments and the sign-off block."""
        cells = [self.kpi_cell(k.id, "actual") for k in self.role.kpis]
        cells += [self.kpi_cell(k.id, "comment") for k in self.role.kpis]
        return cells + list(self.signoff_cells.values())

    # -- parameters --------------------------------------------------------------------------
    def parameter_values(self, kpi: Kpi) -> dict[str, object]:
        """The locked parameter cells of a KPI row (column letter -> value); unused band slots
        repeat the last band so that LOOKUP sees an ascending table."""
        c = COLUMNS
        values: dict[str, object] = {
            c["dim_id"]: kpi.dimension_id,
            c["kpi_id"]: kpi.id,
            c["method"]: kpi.method,
            c["code"]: scoring.METHODS[kpi.method].code,
            c["direction"]: kpi.direction,
            c["param"]: kpi.param,
            c["floor"]: kpi.floor,
            c["cap"]: kpi.cap,
            c["na"]: 1 if kpi.allow_na else 0,
        }
        if kpi.bands:
            padded = list(kpi.bands) + [kpi.bands[-1]] * (MAX_BANDS - len(kpi.bands))
            for col, band in zip(FROM_COLUMNS, padded):
                values[col] = band.start
            for col, band in zip(POINTS_COLUMNS, padded):
                values[col] = band.points
        return values

    # -- formulas ----------------------------------------------------------------------------
    def _kpi_refs(self, row: int) -> dict[str, str]:
        c = COLUMNS
        return {
            "a": f"{c['actual']}{row}",
            "t": f"{c['target']}{row}",
            "p": f"{c['param']}{row}",
            "d": f"{c['direction']}{row}",
            "floor": f"{c['floor']}{row}",
            "cap": f"{c['cap']}{row}",
            "na": f"{c['na']}{row}",
            "code": f"{c['code']}{row}",
            "from1": f"{FROM_COLUMNS[0]}{row}",
            "froms": f"{FROM_COLUMNS[0]}{row}:{FROM_COLUMNS[-1]}{row}",
            "points": f"{POINTS_COLUMNS[0]}{row}:{POINTS_COLUMNS[-1]}{row}",
            "score": f"{c['score']}{row}",
            "w": f"{c['weight']}{row}",
        }

    def _kpi_range(self, column: str) -> str:
        col = COLUMNS[column]
        return f"${col}${FIRST_KPI_ROW}:${col}${self.last_kpi_row}"

    def _dimension_range(self, column: str) -> str:
        col = COLUMNS[column]
        first = self.dimension_header_row + 1
        return f"${col}${first}:${col}${self.last_dimension_row}"

    def kpi_formulas(self, row: int) -> dict[str, str]:
        """Formulas of one KPI row: column key -> formula (no leading '=')."""
        refs = self._kpi_refs(row)
        return {
            "score": scoring.kpi_score_formula(refs),
            "weighted": scoring.KPI_WEIGHTED.format(**refs),
            "pending": scoring.KPI_PENDING.format(**refs),
            "counted": scoring.KPI_COUNTED_WEIGHT.format(**refs),
        }

    def dimension_formula(self, row: int) -> str:
        return scoring.DIMENSION_SCORE.format(
            dims=self._kpi_range("dim_id"),
            dim=f"{COLUMNS['dim_id']}{row}",
            pendings=self._kpi_range("pending"),
            weighteds=self._kpi_range("weighted"),
            counteds=self._kpi_range("counted"),
        )

    @cached_property
    def total_formula(self) -> str:
        return scoring.TOTAL_SCORE.format(
            pendings=self._kpi_range("pending"),
            dim_weights=self._dimension_range("weight"),
            dim_scores=self._dimension_range("score"),
        )

    @cached_property
    def grade_formula(self) -> str:
        return scoring.GRADE.format(
            total=absolute(self.total_cell), grade_mins=self.grade_min_range, grade_names=self.grade_name_range
        )

    @cached_property
    def pending_formula(self) -> str:
        return scoring.PENDING_COUNT.format(pendings=self._kpi_range("pending"))

    @cached_property
    def formulas(self) -> dict[str, str]:
        """Every formula cell of the Scorecard: A1 cell -> formula with a leading '='."""
        cells: dict[str, str] = {}
        for row in self.kpi_rows.values():
            for key, formula in self.kpi_formulas(row).items():
                cells[f"{COLUMNS[key]}{row}"] = "=" + formula
        for row in self.dimension_rows.values():
            cells[f"{COLUMNS['score']}{row}"] = "=" + self.dimension_formula(row)
        cells[self.total_cell] = "=" + self.total_formula
        cells[self.grade_cell] = "=" + self.grade_formula
        cells[self.pending_cell] = "=" + self.pending_formula
        return cells

    def column_formulas(self) -> list[ColumnFormula]:
        """The distinct formulas, one per column block: what finance reads instead of every cell."""
        return self._kpi_column_formulas() + self._summary_formulas()

    def _kpi_column_formulas(self) -> list[ColumnFormula]:
        """The four formulas down the KPI rows: score, weighted points, pending, counted weight."""
        first, last = FIRST_KPI_ROW, self.last_kpi_row
        row_formulas = self.kpi_formulas(first)
        return [
            ColumnFormula(
                "kpi.score",
                COLUMNS["score"],
                first,
                last,
                "=" + row_formulas["score"],
            ),
            ColumnFormula(
                "kpi.weighted",
                COLUMNS["weighted"],
                first,
                last,
                "=" + row_formulas["weighted"],
            ),
            ColumnFormula(
                "kpi.pending",
                COLUMNS["pending"],
                first,
                last,
                "=" + row_formulas["pending"],
            ),
            ColumnFormula(
                "kpi.counted",
                COLUMNS["counted"],
                first,
                last,
                "=" + row_formulas["counted"],
            ),
        ]

    def _summary_formulas(self) -> list[ColumnFormula]:
        """The dimension subtotals, the total, the grade and the count of missing inputs."""
        first_dim = self.dimension_header_row + 1
        return [
            ColumnFormula(
                "dimension.score",
                COLUMNS["score"],
                first_dim,
                self.last_dimension_row,
                "=" + self.dimension_formula(first_dim),
            ),
            ColumnFormula(
                "total",
                COLUMNS["score"],
                self.total_row,
                self.total_row,
                "=" + self.total_formula,
            ),
            ColumnFormula(
                "grade",
                COLUMNS["score"],
                self.grade_row,
                self.grade_row,
                "=" + self.grade_formula,
            ),
            ColumnFormula(
                "pending",
                COLUMNS["score"],
                self.pending_row,
                self.pending_row,
                "=" + self.pending_formula,
            ),
        ]

    # -- defined names -------------------------------------------------------------------------
    @cached_property
    def defined_names(self) -> dict[str, str]:
        """Workbook-scoped names -> 'Scorecard!$H$8' (the contract's names, plus a few helpers)."""
        names = {
            "employee_id": sheet_ref(HEADER_FIELDS["employee_id"][1]),
            "employee_name": sheet_ref(HEADER_FIELDS["employee_name"][1]),
            "role_id": sheet_ref(ROLE_ID_CELL[1]),
            "period": sheet_ref(HEADER_FIELDS["period"][1]),
        }
        for k in self.role.kpis:
            for part, column in (("actual", "actual"), ("target", "target"), ("score", "score")):
                names[f"kpi_{k.id}_{part}"] = sheet_ref(self.kpi_cell(k.id, column))
        for d in self.role.dimensions:
            names[f"dim_{d.id}_score"] = sheet_ref(self.dimension_score_cell(d.id))
        names["total_score"] = sheet_ref(self.total_cell)
        names["grade"] = sheet_ref(self.grade_cell)
        names["inputs_missing"] = sheet_ref(self.pending_cell)
        return names

    # -- fingerprint of what is fixed per role -------------------------------------------------
    @cached_property
    def layout_sha256(self) -> str:
        """Digest of everything the spec fixes in this role's workbook: formulas, parameters,
        weights, names and the unlocked cells. Per-person values (targets) are not in it."""
        content = {
            "formulas": self.formulas,
            "parameters": {k.id: {str(c): v for c, v in self.parameter_values(k).items()} for k in self.role.kpis},
            "weights": {k.id: k.weight for k in self.role.kpis} | {d.id: d.weight for d in self.role.dimensions},
            "grades": [[g.grade, g.min, g.max] for g in self.grades],
            "names": self.defined_names,
            "inputs": self.input_cells(),
            "bounds": {k.id: [k.min, k.max, k.whole, k.allow_na] for k in self.role.kpis},
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def formula_values(self, scores: scoring.RoleScores) -> dict[str, scoring.Value | int]:
        """The value of every formula cell when the scoring core computes `scores`: what a
        spreadsheet caches in the file after recalculating."""
        values: dict[str, scoring.Value | int] = {}
        for row, kpi in self.iter_kpis():
            score = scores.kpis[kpi.id]
            values[f"{COLUMNS['score']}{row}"] = score
            values[f"{COLUMNS['weighted']}{row}"] = scoring.kpi_weighted(score, kpi.weight)
            values[f"{COLUMNS['pending']}{row}"] = scoring.kpi_pending(score)
            values[f"{COLUMNS['counted']}{row}"] = scoring.kpi_counted_weight(score, kpi.weight)
        for dimension_id, value in scores.dimensions.items():
            values[self.dimension_score_cell(dimension_id)] = value
        values[self.total_cell] = scores.total
        values[self.grade_cell] = scores.grade
        values[self.pending_cell] = scores.pending
        return values

    def blank_values(self) -> dict[str, scoring.Value | int]:
        """The value of every formula cell of the blank workbook (nothing typed yet)."""
        return self.formula_values(scoring.score_role(self.role, self.grades, {}))

    def cell_values(
        self,
        actuals: Mapping[str, object],
        targets: Mapping[str, float],
        comments: Mapping[str, str] | None = None,
    ) -> dict[str, object]:
        """Every input and formula cell's value once a manager typed `actuals` (and `comments`,
        by KPI id) and a spreadsheet recalculated: what a saved file holds."""
        scores = scoring.score_role(self.role, self.grades, actuals, targets)
        values: dict[str, object] = {}
        for row, kpi in self.iter_kpis():
            values[f"{COLUMNS['actual']}{row}"] = actuals.get(kpi.id)
            if comments and kpi.id in comments:
                values[f"{COLUMNS['comment']}{row}"] = comments[kpi.id]
        values.update(self.formula_values(scores))
        return values

    def iter_kpis(self) -> Iterator[tuple[int, Kpi]]:
        for kpi in self.role.kpis:
            yield self.kpi_rows[kpi.id], kpi
