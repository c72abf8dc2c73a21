"""The role spec: what HR writes in roles.toml, loaded into a typed, validated model.

`load_spec` reads a file, `parse_spec` validates TOML text. Every mistake becomes a
`Problem` naming the TOML key path (and its line where it can be found); all problems of a
file are reported together so that HR fixes them in one pass.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpibook.errors import Problem, SpecError
from kpibook.guideline import Guideline, parse_guideline
from kpibook.messages import t
from kpibook.methods import METHODS, PARAM_KEYS
from kpibook.numbers import parse_number
from kpibook.resources import bundled_spec_path
from kpibook.toml_reader import ID_PATTERN, TomlWalker
from kpibook.year_rules import YearRules, parse_year

__all__ = ["ID_PATTERN", "parse_number"]  # also read from here by the roster and the audit
MAX_KPI_ID_LENGTH = 40  # kpi_<id>_actual must stay a short, readable Excel name
MAX_BANDS = 6
UNITS = ("%", "CNY", "count", "days", "score", "points", "pp")
DIRECTIONS = {"higher": 1, "lower": -1}
DEFAULT_FLOOR = 0.0
DEFAULT_CAP = 120.0
WEIGHT_TOTAL = 100
# What a KPI's target is per (`target_period` in roles.toml): a quarter's amount, a year's
# amount, or a rate/level that is the same whatever the period (kpibook.targets scales them).
TARGET_PERIODS = ("quarter", "year", "rate")


@dataclass(frozen=True)
class Band:
    start: float  # "from" in TOML: actuals at or above this earn `points`
    points: float


@dataclass(frozen=True)
class Kpi:
    id: str
    name_zh: str
    name_en: str
    unit: str
    direction: int  # +1 higher is better, -1 lower is better
    method: str
    target: float
    weight: float  # % of its dimension
    min: float
    max: float
    whole: bool = False
    allow_na: bool = False
    floor: float = DEFAULT_FLOOR
    cap: float = DEFAULT_CAP
    # The methods' parameter keys as written (zero: linear's actual that earns 0 points; penalty:
    # threshold's points lost per unit beyond the limit); each method says which one it reads.
    params: tuple[tuple[str, float], ...] = ()
    bands: tuple[Band, ...] = ()
    source_zh: str = ""
    source_en: str = ""
    note_zh: str = ""
    note_en: str = ""
    dimension_id: str = ""
    target_period: str = ""  # quarter | year | rate; "" when the spec does not say

    @property
    def param(self) -> float:
        """The one numeric parameter of the method, as the workbook's parameter cell holds it."""
        method = METHODS.get(self.method)
        return method.param_of(dict(self.params)) if method else 0.0


@dataclass(frozen=True)
class Dimension:
    id: str
    name_zh: str
    name_en: str
    weight: float  # % of the total
    kpis: tuple[Kpi, ...]


@dataclass(frozen=True)
class Duty:
    zh: str
    en: str


@dataclass(frozen=True)
class Role:
    id: str
    name_zh: str
    name_en: str
    mission_zh: str
    mission_en: str
    duties: tuple[Duty, ...]
    dimensions: tuple[Dimension, ...]

    @property
    def kpis(self) -> tuple[Kpi, ...]:
        """All KPIs in workbook row order (dimension by dimension)."""
        return tuple(k for d in self.dimensions for k in d.kpis)

    def kpi(self, kpi_id: str) -> Kpi:
        for k in self.kpis:
            if k.id == kpi_id:
                return k
        raise KeyError(kpi_id)


@dataclass(frozen=True)
class Grade:
    grade: str
    min: float  # inclusive
    max: float  # exclusive, except for the top grade
    label_zh: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class Spec:
    format_version: int
    spec_version: str
    department_id: str
    department_zh: str
    department_en: str
    intro_zh: str
    intro_en: str
    grades: tuple[Grade, ...]  # ascending by min
    roles: tuple[Role, ...]
    sha256: str = ""  # of the file's bytes: workbooks record which spec made them
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    year: YearRules | None = None  # the optional [year] table (kpibook.year_rules)
    calibration: Guideline | None = None  # the [calibration] guideline, when the spec has one

    def role(self, role_id: str) -> Role:
        for r in self.roles:
            if r.id == role_id:
                return r
        raise KeyError(role_id)

    @property
    def role_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.roles)

    @property
    def kpi_count(self) -> int:
        return sum(len(r.kpis) for r in self.roles)


def default_spec_path() -> Path:
    """`./roles.toml` when the current folder has one, else the bundled spec."""
    local = Path("roles.toml")
    return local if local.is_file() else bundled_spec_path()


def load_spec(path: str | Path | None = None) -> Spec:
    path = Path(path) if path is not None else default_spec_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SpecError([Problem(str(path), t("spec.file_not_found"))]) from None
    except OSError as exc:
        raise SpecError([Problem(str(path), t("spec.unreadable", reason=exc.strerror))]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError([Problem(str(path), t("spec.not_utf8", byte=exc.start))]) from None
    return parse_spec(text, source=str(path), sha256=hashlib.sha256(data).hexdigest())


def parse_spec(text: str, source: str = "roles.toml", sha256: str = "") -> Spec:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([Problem(source, t("spec.bad_toml", error=exc))]) from None
    walker = TomlWalker(source, text, raw)
    spec = _SpecBuilder(walker).spec(raw, sha256 or hashlib.sha256(text.encode()).hexdigest())
    grades = [g.grade for g in spec.grades]
    year, year_problems = parse_year(raw.get("year"), text, source, grades)
    guideline, guideline_problems = parse_guideline(
        raw.get("calibration"), text, source, grades, spec.role_ids, parse_number
    )
    problems = walker.problems + year_problems + guideline_problems
    if problems:
        raise SpecError(problems, title=t("spec.title", source=source, count=len(problems)))
    return dataclasses.replace(spec, year=year, calibration=guideline)


class _SpecBuilder:
    """The spec model, built over a TomlWalker: which keys a spec has and how they must agree.

    Paths are concrete TOML paths (`roles[3].dimensions[1].kpis[2].weight`); the walker finds
    their lines and shows them with the role and dimension ids.
    """

    def __init__(self, walker: TomlWalker) -> None:
        self.w = walker

    def spec(self, raw: dict, sha256: str) -> Spec:
        w = self.w
        format_version = raw.get("format_version", 1)
        if format_version != 1:
            w.problem("format_version", "spec.format_version", value=repr(format_version))
        department = raw.get("department")
        if not isinstance(department, dict):
            w.problem("department", "spec.department_missing")
            department = {}
        spec_version = raw.get("spec_version", "")
        if not isinstance(spec_version, str) or not spec_version:
            w.problem("spec_version", "spec.spec_version_missing")
            spec_version = str(spec_version)
        if "grades" in raw:
            grades = self.grades(w.tables(raw, "grades", ""))
        else:
            w.problem("grades", "spec.section_missing", key="grades")
            grades = []
        roles = [self.role(r, f"roles[{i}]") for i, r in enumerate(w.tables(raw, "roles", ""))]
        w.unique([(r.id, f"roles[{i}].id") for i, r in enumerate(roles)], "spec.duplicate_role")
        w.unique(
            [
                (k.id, f"roles[{i}].dimensions[{j}].kpis[{n}].id")
                for i, r in enumerate(roles)
                for j, d in enumerate(r.dimensions)
                for n, k in enumerate(d.kpis)
            ],
            "spec.duplicate_kpi",
        )
        self.grades_cover_kpis(grades, roles)
        return Spec(
            format_version=1,
            spec_version=spec_version,
            department_id=w.identifier(department, "department") if department else "",
            department_zh=w.text(department, "name_zh", "department") if department else "",
            department_en=w.text(department, "name_en", "department") if department else "",
            intro_zh=w.text(department, "intro_zh", "department", required=False),
            intro_en=w.text(department, "intro_en", "department", required=False),
            grades=tuple(grades),
            roles=tuple(roles),
            sha256=sha256,
            source=w.source,
            raw=raw,
        )

    def grades(self, tables: list[dict]) -> list[Grade]:
        w = self.w
        grades = []
        for i, table in enumerate(tables):
            path = f"grades[{i}]"
            grade = table.get("grade")
            if not isinstance(grade, str) or not grade.strip():
                w.problem(f"{path}.grade", "spec.grade_missing")
                grade = "?"
            low, high = w.number(table, "min", path), w.number(table, "max", path)
            if low >= high:
                w.problem(path, "spec.grade_min_max", grade=repr(grade), low=f"{low:g}", high=f"{high:g}")
            label_zh = w.text(table, "label_zh", path, required=False)
            label_en = w.text(table, "label_en", path, required=False)
            grades.append((Grade(grade.strip(), low, high, label_zh, label_en), path))
        grades.sort(key=lambda pair: pair[0].min)
        w.unique([(g.grade, f"{path}.grade") for g, path in grades], "spec.duplicate_grade")
        ordered = [g for g, _ in grades]
        for lower, upper in zip(ordered, ordered[1:]):
            if lower.max != upper.min:
                code = "spec.grades_gap" if lower.max < upper.min else "spec.grades_overlap"
                fields = {"high": f"{lower.max:g}", "low": f"{upper.min:g}"}
                w.problem("grades", code, lower=repr(lower.grade), upper=repr(upper.grade), **fields)
        return ordered

    def grades_cover_kpis(self, grades: list[Grade], roles: list[Role]) -> None:
        if not grades or not roles:
            return
        lowest_floor = min((k.floor for r in roles for k in r.kpis), default=0.0)
        highest_cap = max((k.cap for r in roles for k in r.kpis), default=DEFAULT_CAP)
        if grades[0].min > lowest_floor:
            self.w.problem("grades", "spec.grades_low", min=f"{grades[0].min:g}", floor=f"{lowest_floor:g}")
        if grades[-1].max < highest_cap:
            self.w.problem("grades", "spec.grades_high", max=f"{grades[-1].max:g}", cap=f"{highest_cap:g}")

    def duties(self, table: dict, path: str) -> list[Duty]:
        w = self.w
        raw_duties = table.get("duties")
        if not isinstance(raw_duties, list) or not raw_duties:
            w.problem(f"{path}.duties", "spec.duties_missing")
            return []
        duties = []
        for i, d in enumerate(raw_duties):
            if not isinstance(d, dict):
                w.problem(f"{path}.duties[{i}]", "spec.duty_wrong")
                continue
            duties.append(Duty(w.text(d, "zh", f"{path}.duties[{i}]"), w.text(d, "en", f"{path}.duties[{i}]")))
        return duties

    def role(self, table: dict, path: str) -> Role:
        w = self.w
        role_id = w.identifier(table, path)
        duties = self.duties(table, path)
        dimensions = [
            self.dimension(d, f"{path}.dimensions[{i}]") for i, d in enumerate(w.tables(table, "dimensions", path))
        ]
        w.unique([(d.id, f"{path}.dimensions[{i}].id") for i, d in enumerate(dimensions)], "spec.duplicate_dimension")
        if w.fine(*(f"{path}.dimensions[{i}].weight" for i in range(len(dimensions)))):
            total, listed = _weights([d.weight for d in dimensions])
            if listed:
                w.problem(f"{path}.dimensions[*].weight", "spec.dimension_weights_sum", role=repr(role_id), **total)
        return Role(
            id=role_id,
            name_zh=w.text(table, "name_zh", path),
            name_en=w.text(table, "name_en", path),
            mission_zh=w.text(table, "mission_zh", path, required=False),
            mission_en=w.text(table, "mission_en", path, required=False),
            duties=tuple(duties),
            dimensions=tuple(dimensions),
        )

    def dimension(self, table: dict, path: str) -> Dimension:
        w = self.w
        dim_id = w.identifier(table, path)
        weight = w.number(table, "weight", path)
        if weight <= 0 and w.fine(f"{path}.weight"):
            w.problem(f"{path}.weight", "spec.dimension_weight_low", weight=f"{weight:g}")
        kpis = [self.kpi(k, f"{path}.kpis[{i}]", dim_id) for i, k in enumerate(w.tables(table, "kpis", path))]
        if w.fine(*(f"{path}.kpis[{i}].weight" for i in range(len(kpis)))):
            total, listed = _weights([k.weight for k in kpis])
            if listed:
                w.problem(f"{path}.kpis[*].weight", "spec.kpi_weights_sum", dimension=repr(dim_id), **total)
        if kpis and all(k.allow_na for k in kpis):
            w.problem(f"{path}.kpis", "spec.all_na", dimension=repr(dim_id))
        name_zh, name_en = w.text(table, "name_zh", path), w.text(table, "name_en", path)
        return Dimension(dim_id, name_zh, name_en, weight, tuple(kpis))

    def choice(self, table: dict, key: str, path: str, allowed: Any, code: str, **fields: object) -> Any:
        """The value of `key` when it is one of `allowed`, else reported with `code`."""
        value = table.get(key)
        if value not in allowed:
            self.w.problem(f"{path}.{key}", code, value=repr(value), **fields)
        return value

    def kpi(self, table: dict, path: str, dimension_id: str) -> Kpi:
        w = self.w
        kpi_id = w.identifier(table, path)
        if len(kpi_id) > MAX_KPI_ID_LENGTH:
            w.problem(f"{path}.id", "spec.kpi_id_long", value=repr(kpi_id), limit=MAX_KPI_ID_LENGTH)
        unit = self.choice(table, "unit", path, UNITS, "spec.unit_unknown", units=", ".join(UNITS))
        direction = self.choice(table, "direction", path, DIRECTIONS, "spec.direction_unknown")
        method = self.choice(table, "method", path, METHODS, "spec.method_unknown", methods=", ".join(METHODS))
        period = table.get("target_period", "")
        if "target_period" in table and period not in TARGET_PERIODS:
            w.problem(f"{path}.target_period", "spec.target_period_unknown", value=repr(period))
        kpi = Kpi(
            id=kpi_id,
            name_zh=w.text(table, "name_zh", path),
            name_en=w.text(table, "name_en", path),
            unit=str(unit),
            direction=DIRECTIONS.get(direction, 1),
            method=str(method),
            target=w.number(table, "target", path),
            weight=w.number(table, "weight", path),
            min=w.number(table, "min", path),
            max=w.number(table, "max", path),
            whole=w.flag(table, "whole", path),
            allow_na=w.flag(table, "allow_na", path),
            floor=w.number(table, "floor", path, DEFAULT_FLOOR),
            cap=w.number(table, "cap", path, DEFAULT_CAP),
            params=tuple((key, w.number(table, key, path, 0.0)) for key in PARAM_KEYS),
            bands=self.bands(table, path, method),
            source_zh=w.text(table, "source_zh", path),
            source_en=w.text(table, "source_en", path),
            note_zh=w.text(table, "note_zh", path, required=False),
            note_en=w.text(table, "note_en", path, required=False),
            dimension_id=dimension_id,
            target_period=str(period) if period in TARGET_PERIODS else "",
        )
        self.kpi_rules(kpi, path)
        if method in METHODS:
            self.method_rules(kpi, table, path)
        return kpi

    def bands(self, table: dict, path: str, method_name: Any) -> tuple[Band, ...]:
        w = self.w
        raw = table.get("bands")
        method = METHODS.get(method_name)
        if method is None or not method.has_bands:
            if raw is not None:
                banded = " / ".join(m.name for m in METHODS.values() if m.has_bands)
                w.problem(f"{path}.bands", "spec.bands_unused", methods=banded, method=repr(method_name))
            return ()
        if not isinstance(raw, list) or not raw:
            w.problem(f"{path}.bands", "spec.bands_missing")
            return ()
        bands = []
        for i, b in enumerate(raw):
            if not isinstance(b, dict):
                w.problem(f"{path}.bands[{i}]", "spec.band_wrong")
                continue
            bands.append(Band(w.number(b, "from", f"{path}.bands[{i}]"), w.number(b, "points", f"{path}.bands[{i}]")))
        if len(bands) > MAX_BANDS:
            w.problem(f"{path}.bands", "spec.bands_too_many", count=len(bands), limit=MAX_BANDS)
        starts = [b.start for b in bands]
        if any(x >= y for x, y in zip(starts, starts[1:])):
            w.problem(f"{path}.bands", "spec.bands_not_ascending", starts=starts)
        if method.whole_levels and any(s != int(s) for s in starts):
            w.problem(f"{path}.bands", "spec.levels_not_whole", starts=starts)
        return tuple(bands)

    def kpi_rules(self, k: Kpi, path: str) -> None:
        """Checks that need several keys at once: contradictions and impossible bounds."""
        w = self.w
        if k.weight <= 0 and w.fine(f"{path}.weight"):
            w.problem(f"{path}.weight", "spec.kpi_weight_low", weight=f"{k.weight:g}")
        bounds_known = w.fine(f"{path}.min", f"{path}.max", f"{path}.target")
        if bounds_known and k.min >= k.max:
            w.problem(f"{path}.min", "spec.min_max", min=f"{k.min:g}", max=f"{k.max:g}")
        elif bounds_known and not k.min <= k.target <= k.max:
            w.problem(
                f"{path}.target", "spec.target_outside", target=f"{k.target:g}", min=f"{k.min:g}", max=f"{k.max:g}"
            )
        if k.floor >= k.cap and w.fine(f"{path}.floor", f"{path}.cap"):
            w.problem(f"{path}.cap", "spec.cap_floor", cap=f"{k.cap:g}", floor=f"{k.floor:g}")

    def method_rules(self, k: Kpi, table: dict, path: str) -> None:
        """What the KPI's method asks of it: its keys, its direction, its target."""
        w = self.w
        method = METHODS[k.method]
        if w.fine(f"{path}.target", *(f"{path}.{key}" for key in PARAM_KEYS)):
            for code, fields in method.check_target(k.target, k.param, k.direction):
                w.problem(f"{path}.target", code, **fields)
        for key in method.required:
            if key not in table:
                w.problem(f"{path}.{key}", f"spec.needs_{key}")
            elif method.positive_param and key == method.param_key and k.param <= 0 and w.fine(f"{path}.{key}"):
                w.problem(f"{path}.{key}", "spec.param_not_positive", value=f"{k.param:g}")
        if method.direction is not None and k.direction != method.direction and w.fine(f"{path}.direction"):
            code = "spec.direction_must_be_higher" if method.direction == 1 else "spec.direction_must_be_lower"
            w.problem(f"{path}.direction", code, method=method.name)


def _weights(weights: list[float]) -> tuple[dict[str, str], str]:
    """The fields of a weights-sum problem, and "" when the weights add up to 100."""
    if not weights or abs(sum(weights) - WEIGHT_TOTAL) <= 1e-9:
        return {}, ""
    listed = " + ".join(f"{w:g}" for w in weights)
    return {"total": f"{sum(weights):g}", "listed": listed}, listed


def target_problems(k: Kpi, target: float) -> list[str]:
    """What is wrong with `target` for KPI `k` (the spec's default or a roster override)."""
    method = METHODS.get(k.method)
    if method is None:
        return []
    return [t(code, **fields) for code, fields in method.check_target(target, k.param, k.direction)]  # type: ignore[arg-type]
