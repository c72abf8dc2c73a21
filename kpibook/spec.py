"""The role spec: what HR writes in roles.toml, loaded into a typed, validated model.

`load_spec` reads a file, `parse_spec` validates TOML text. Every mistake becomes a
`Problem` naming the TOML key path (and its line where it can be found); all problems of a
file are reported together so that HR fixes them in one pass.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kpibook.errors import Problem, SpecError
from kpibook.guideline import Guideline, parse_guideline
from kpibook.resources import bundled_spec_path

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_KPI_ID_LENGTH = 40  # kpi_<id>_actual must stay a short, readable Excel name
MAX_BANDS = 6
UNITS = ("%", "CNY", "count", "days", "score", "points", "pp")
DIRECTIONS = {"higher": 1, "lower": -1}
DEFAULT_FLOOR = 0.0
DEFAULT_CAP = 120.0
WEIGHT_TOTAL = 100


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
    zero: float = 0.0  # linear: the actual that earns 0 points
    penalty: float = 0.0  # threshold: points lost per unit beyond the limit
    bands: tuple[Band, ...] = ()
    source_zh: str = ""
    source_en: str = ""
    note_zh: str = ""
    note_en: str = ""
    dimension_id: str = ""

    @property
    def param(self) -> float:
        """The one numeric parameter of the method, as the workbook's parameter cell holds it."""
        return {"linear": self.zero, "threshold": self.penalty}.get(self.method, 0.0)


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
        raise SpecError([Problem(str(path), "file not found; give the path of a roles.toml")]) from None
    except OSError as exc:
        raise SpecError(
            [Problem(str(path), f"cannot be read ({exc.strerror}); check the path and its permissions")]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(
            [Problem(str(path), f"is not UTF-8 text (byte {exc.start}); save it as UTF-8 in your editor")]
        ) from None
    return parse_spec(text, source=str(path), sha256=hashlib.sha256(data).hexdigest())


def parse_spec(text: str, source: str = "roles.toml", sha256: str = "") -> Spec:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([Problem(source, f"is not valid TOML: {exc}; fix the syntax at that line")]) from None
    reader = _Reader(source, text)
    spec = reader.spec(raw, sha256 or hashlib.sha256(text.encode()).hexdigest())
    grades = [g.grade for g in spec.grades]
    guideline, problems = parse_guideline(raw.get("calibration"), text, source, grades, spec.role_ids, parse_number)
    reader.problems += problems
    if reader.problems:
        raise SpecError(reader.problems, title=f"{source}: {len(reader.problems)} problem(s) in the role spec")
    return dataclasses.replace(spec, calibration=guideline)


def parse_number(value: Any) -> float | None:
    """A number from TOML or a roster cell: 12, 12.5, "1,200", "95%" (= 0.95). None if not a finite number.

    "95%" is read as the decimal 95 / 100, so it gives exactly the double 0.95 as a spreadsheet
    does (95 * 0.01 would give 0.9500000000000001).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a double
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        percent = text.endswith("%")
        if percent:
            text = text[:-1].strip()
        try:
            decimal = Decimal(text)
        except InvalidOperation:
            return None
        if not decimal.is_finite():
            return None
        number = float(decimal / 100 if percent else decimal)
        return number if math.isfinite(number) else None
    return None


class _Reader:
    """Walks the raw TOML tree, building the model and collecting problems with key paths."""

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.reported: set[str] = set()  # key paths already reported: their dependent checks are skipped

    # -- reporting -----------------------------------------------------------------
    def problem(self, path: str, message: str, anchor: str | None = None, key: str | None = None) -> None:
        line = self._line_of(anchor, key)
        where = f"{self.source}: {path}" + (f" (line {line})" if line else "")
        self.problems.append(Problem(where, message))
        self.reported.add(path)

    def fine(self, *paths: str) -> bool:
        """True when none of `paths` has been reported: a check built on a value that is missing or
        of the wrong type would only repeat that mistake in other words."""
        return not self.reported.intersection(paths)

    def _line_of(self, anchor: str | None, key: str | None) -> int | None:
        """Best-effort line number: the `id = "<anchor>"` line, then `key =` after it."""
        start = 0
        if anchor:
            pattern = re.compile(r'^\s*id\s*=\s*["\']' + re.escape(anchor) + r'["\']')
            found = next((i for i, line in enumerate(self.lines) if pattern.match(line)), None)
            if found is None:
                return None
            start = found
            if not key:
                return found + 1
        if key:
            pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
            for i in range(start, len(self.lines)):
                if i > start and anchor and self.lines[i].lstrip().startswith("[["):
                    break  # the key is not written in this table
                if pattern.match(self.lines[i]):
                    return i + 1
            return start + 1 if anchor else None
        return None

    # -- typed getters ---------------------------------------------------------------
    def text(self, table: dict, key: str, path: str, anchor: str | None, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(f"{path}.{key}", "is missing; add it as a quoted text", anchor)
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(f"{path}.{key}", f"must be a non-empty text in quotes, not {value!r}", anchor, key)
            return str(value)
        return value.strip()

    def number(self, table: dict, key: str, path: str, anchor: str | None, default: float | None = None) -> float:
        value = table.get(key)
        if value is None:
            if default is None:
                self.problem(f"{path}.{key}", "is missing; add a number", anchor)
                return 0.0
            return default
        number = parse_number(value)
        if number is None:
            self.problem(f"{path}.{key}", f'must be a number (e.g. 100, 0.95 or "95%"), not {value!r}', anchor, key)
            return default if default is not None else 0.0
        return number

    def flag(self, table: dict, key: str, path: str, anchor: str | None) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", f"must be true or false, not {value!r}", anchor, key)
            return False
        return value

    def identifier(self, table: dict, path: str, anchor: str | None = None) -> str:
        value = table.get("id")
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            # Locate the line by the bad id itself: `key="id"` alone would find the file's first id line.
            anchor = anchor if anchor is not None else (value if isinstance(value, str) else None)
            self.problem(
                f"{path}.id",
                f"{value!r} is not a valid id: use lower-case letters, digits and _, starting with a letter",
                anchor,
                "id" if anchor else None,
            )
            return str(value)
        return value

    def tables(self, table: dict, key: str, path: str, anchor: str | None = None) -> list[dict]:
        value = table.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.problem(f"{path}.{key}", f"must be one or more [[{key}]] tables", anchor)
            return []
        return value

    # -- the tree -------------------------------------------------------------------------
    def spec(self, raw: dict, sha256: str) -> Spec:
        format_version = raw.get("format_version", 1)
        if format_version != 1:
            self.problem(
                "format_version",
                f"is {format_version!r}; this kpibook reads format_version = 1",
                None,
                "format_version",
            )
        department = raw.get("department")
        if not isinstance(department, dict):
            self.problem("department", "is missing; add a [department] table with id, name_zh and name_en")
            department = {}
        spec_version = raw.get("spec_version", "")
        if not isinstance(spec_version, str) or not spec_version:
            self.problem("spec_version", 'is missing; add e.g. spec_version = "2026.1"', None, "spec_version")
            spec_version = str(spec_version)
        grades = self.grades(self.tables(raw, "grades", "grades") if "grades" in raw else self._missing("grades"))
        roles = [self.role(r, f"roles[{i}]") for i, r in enumerate(self.tables(raw, "roles", "(top level)"))]
        self.unique([r.id for r in roles], "roles", "role id")
        self.unique([k.id for r in roles for k in r.kpis], "roles[*].dimensions[*].kpis", "KPI id")
        self.grades_cover_kpis(grades, roles)
        return Spec(
            format_version=1,
            spec_version=spec_version,
            department_id=self.identifier(department, "department") if department else "",
            department_zh=self.text(department, "name_zh", "department", None),
            department_en=self.text(department, "name_en", "department", None),
            intro_zh=self.text(department, "intro_zh", "department", None, required=False),
            intro_en=self.text(department, "intro_en", "department", None, required=False),
            grades=tuple(grades),
            roles=tuple(roles),
            sha256=sha256,
            source=self.source,
            raw=raw,
        )

    def _missing(self, key: str) -> list[dict]:
        self.problem(key, f"is missing; add the [[{key}]] tables")
        return []

    def unique(self, ids: list[str], path: str, what: str) -> None:
        seen: set[str] = set()
        for value in ids:
            if value in seen:
                self.problem(path, f"{what} {value!r} is used twice; every {what} must be unique", value)
            seen.add(value)

    def grades(self, tables: list[dict]) -> list[Grade]:
        grades = []
        for i, t in enumerate(tables):
            path = f"grades[{i}]"
            grade = t.get("grade")
            if not isinstance(grade, str) or not grade.strip():
                self.problem(f"{path}.grade", 'is missing; give a short text such as "A"')
                grade = "?"
            low, high = self.number(t, "min", path, None), self.number(t, "max", path, None)
            if low >= high:
                self.problem(path, f"grade {grade!r} has min {low:g} >= max {high:g}; min must be below max")
            label_zh = self.text(t, "label_zh", path, None, required=False)
            label_en = self.text(t, "label_en", path, None, required=False)
            grades.append(Grade(grade.strip(), low, high, label_zh, label_en))
        grades.sort(key=lambda g: g.min)
        self.unique([g.grade for g in grades], "grades", "grade")
        for lower, upper in zip(grades, grades[1:]):
            if lower.max < upper.min:
                self.problem(
                    "grades",
                    f"gap between {lower.grade!r} (max {lower.max:g}) and {upper.grade!r} (min {upper.min:g}); "
                    "each band's max must equal the next band's min",
                )
            elif lower.max > upper.min:
                self.problem(
                    "grades",
                    f"{lower.grade!r} (max {lower.max:g}) overlaps {upper.grade!r} (min {upper.min:g}); "
                    "each band's max must equal the next band's min",
                )
        return grades

    def grades_cover_kpis(self, grades: list[Grade], roles: list[Role]) -> None:
        if not grades or not roles:
            return
        lowest_floor = min((k.floor for r in roles for k in r.kpis), default=0.0)
        highest_cap = max((k.cap for r in roles for k in r.kpis), default=DEFAULT_CAP)
        if grades[0].min > lowest_floor:
            self.problem(
                "grades",
                f"the lowest grade starts at {grades[0].min:g} but a score can be as low as "
                f"{lowest_floor:g}; lower that grade's min",
            )
        if grades[-1].max < highest_cap:
            self.problem(
                "grades",
                f"the top grade ends at {grades[-1].max:g} but a score can reach "
                f"{highest_cap:g}; raise that grade's max",
            )

    def role(self, t: dict, path: str) -> Role:
        role_id = self.identifier(t, path)
        duties = []
        raw_duties = t.get("duties")
        if not isinstance(raw_duties, list) or not raw_duties:
            self.problem(f"{path}.duties", 'is missing; list the duties as { zh = "...", en = "..." }', role_id)
            raw_duties = []
        for i, d in enumerate(raw_duties):
            if not isinstance(d, dict):
                self.problem(f"{path}.duties[{i}]", 'must be { zh = "...", en = "..." }', role_id, "duties")
                continue
            duties.append(
                Duty(
                    self.text(d, "zh", f"{path}.duties[{i}]", role_id),
                    self.text(d, "en", f"{path}.duties[{i}]", role_id),
                )
            )
        dimensions = [
            self.dimension(d, f"{path}.dimensions[{i}]")
            for i, d in enumerate(self.tables(t, "dimensions", path, role_id))
        ]
        self.unique([d.id for d in dimensions], f"{path}.dimensions", "dimension id")
        if self.fine(*(f"{path}.dimensions[{i}].weight" for i in range(len(dimensions)))):
            self.weights_sum(
                [d.weight for d in dimensions],
                f"{path}.dimensions[*].weight",
                f"role {role_id!r}: dimension weights",
                role_id,
            )
        return Role(
            id=role_id,
            name_zh=self.text(t, "name_zh", path, role_id),
            name_en=self.text(t, "name_en", path, role_id),
            mission_zh=self.text(t, "mission_zh", path, role_id, required=False),
            mission_en=self.text(t, "mission_en", path, role_id, required=False),
            duties=tuple(duties),
            dimensions=tuple(dimensions),
        )

    def weights_sum(self, weights: list[float], path: str, what: str, anchor: str) -> None:
        if weights and abs(sum(weights) - WEIGHT_TOTAL) > 1e-9:
            listed = " + ".join(f"{w:g}" for w in weights)
            self.problem(path, f"{what} add up to {sum(weights):g} ({listed}); they must add up to 100", anchor)

    def dimension(self, t: dict, path: str) -> Dimension:
        dim_id = self.identifier(t, path)
        anchor = dim_id
        weight = self.number(t, "weight", path, anchor)
        if weight <= 0 and self.fine(f"{path}.weight"):
            self.problem(f"{path}.weight", f"is {weight:g}; a dimension's weight must be above 0", anchor, "weight")
        kpis = [self.kpi(k, f"{path}.kpis[{i}]", dim_id) for i, k in enumerate(self.tables(t, "kpis", path, anchor))]
        if self.fine(*(f"{path}.kpis[{i}].weight" for i in range(len(kpis)))):
            self.weights_sum(
                [k.weight for k in kpis], f"{path}.kpis[*].weight", f"dimension {dim_id!r}: KPI weights", anchor
            )
        if kpis and all(k.allow_na for k in kpis):
            self.problem(
                f"{path}.kpis",
                f"every KPI of dimension {dim_id!r} allows N/A; at least one must always be scored "
                "(set allow_na = false on one)",
                anchor,
            )
        return Dimension(
            dim_id, self.text(t, "name_zh", path, anchor), self.text(t, "name_en", path, anchor), weight, tuple(kpis)
        )

    def kpi(self, t: dict, path: str, dimension_id: str) -> Kpi:
        kpi_id = self.identifier(t, path)
        a = kpi_id
        if len(kpi_id) > MAX_KPI_ID_LENGTH:
            self.problem(f"{path}.id", f"{kpi_id!r} is longer than {MAX_KPI_ID_LENGTH} characters; shorten it", a, "id")
        unit = t.get("unit")
        if unit not in UNITS:
            self.problem(
                f"{path}.unit", f"{unit!r} is not a unit kpibook knows; use one of {', '.join(UNITS)}", a, "unit"
            )
        direction_name = t.get("direction")
        if direction_name not in DIRECTIONS:
            self.problem(f"{path}.direction", f'{direction_name!r} must be "higher" or "lower"', a, "direction")
        direction = DIRECTIONS.get(direction_name, 1)  # type: ignore[arg-type]
        method = t.get("method")
        from kpibook.scoring import METHODS  # the scoring core owns the list of methods

        if method not in METHODS:
            self.problem(
                f"{path}.method", f"{method!r} is not a scoring method; use one of {', '.join(METHODS)}", a, "method"
            )
        kpi = Kpi(
            id=kpi_id,
            name_zh=self.text(t, "name_zh", path, a),
            name_en=self.text(t, "name_en", path, a),
            unit=str(unit),
            direction=direction,
            method=str(method),
            target=self.number(t, "target", path, a),
            weight=self.number(t, "weight", path, a),
            min=self.number(t, "min", path, a),
            max=self.number(t, "max", path, a),
            whole=self.flag(t, "whole", path, a),
            allow_na=self.flag(t, "allow_na", path, a),
            floor=self.number(t, "floor", path, a, DEFAULT_FLOOR),
            cap=self.number(t, "cap", path, a, DEFAULT_CAP),
            zero=self.number(t, "zero", path, a, 0.0),
            penalty=self.number(t, "penalty", path, a, 0.0),
            bands=self.bands(t, path, a, method),
            source_zh=self.text(t, "source_zh", path, a),
            source_en=self.text(t, "source_en", path, a),
            note_zh=self.text(t, "note_zh", path, a, required=False),
            note_en=self.text(t, "note_en", path, a, required=False),
            dimension_id=dimension_id,
        )
        self.kpi_rules(kpi, t, path)
        return kpi

    def bands(self, t: dict, path: str, anchor: str, method: Any) -> tuple[Band, ...]:
        raw = t.get("bands")
        if method not in ("bands", "rating"):
            if raw is not None:
                self.problem(
                    f"{path}.bands",
                    f"is only used by the bands and rating methods, not {method!r}; remove it",
                    anchor,
                    "bands",
                )
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem(f"{path}.bands", "is missing; add bands = [ { from = 0, points = 0 }, ... ]", anchor)
            return ()
        bands = []
        for i, b in enumerate(raw):
            if not isinstance(b, dict):
                self.problem(f"{path}.bands[{i}]", "must be { from = number, points = number }", anchor, "bands")
                continue
            bands.append(
                Band(
                    self.number(b, "from", f"{path}.bands[{i}]", anchor),
                    self.number(b, "points", f"{path}.bands[{i}]", anchor),
                )
            )
        if len(bands) > MAX_BANDS:
            self.problem(f"{path}.bands", f"has {len(bands)} bands; at most {MAX_BANDS} are allowed", anchor, "bands")
        starts = [b.start for b in bands]
        if any(x >= y for x, y in zip(starts, starts[1:])):
            self.problem(f"{path}.bands", f"'from' values {starts} must strictly increase", anchor, "bands")
        if method == "rating" and any(s != int(s) for s in starts):
            self.problem(f"{path}.bands", f"rating levels {starts} must be whole numbers", anchor, "bands")
        return tuple(bands)

    def kpi_rules(self, k: Kpi, t: dict, path: str) -> None:
        """Checks that need several keys at once: contradictions and impossible parameters."""
        a = k.id
        if k.weight <= 0 and self.fine(f"{path}.weight"):
            self.problem(f"{path}.weight", f"is {k.weight:g}; a KPI's weight must be above 0", a, "weight")
        bounds_known = self.fine(f"{path}.min", f"{path}.max", f"{path}.target")
        if bounds_known and k.min >= k.max:
            self.problem(f"{path}.min", f"min {k.min:g} must be below max {k.max:g}", a, "min")
        elif bounds_known and not k.min <= k.target <= k.max:
            self.problem(
                f"{path}.target", f"target {k.target:g} is outside the input bounds [{k.min:g}, {k.max:g}]", a, "target"
            )
        if k.floor >= k.cap and self.fine(f"{path}.floor", f"{path}.cap"):
            self.problem(f"{path}.cap", f"cap {k.cap:g} must be above floor {k.floor:g}", a, "cap")
        for problem in target_problems(k, k.target) if self.fine(f"{path}.target", f"{path}.zero") else ():
            self.problem(f"{path}.target", problem, a, "target")
        if k.method == "linear" and "zero" not in t:
            self.problem(f"{path}.zero", "is missing; the linear method needs the actual that earns 0 points", a)
        if k.method == "threshold":
            if "penalty" not in t:
                self.problem(
                    f"{path}.penalty",
                    "is missing; the threshold method needs the points lost per unit beyond the limit",
                    a,
                )
            elif k.penalty <= 0:
                self.problem(f"{path}.penalty", f"is {k.penalty:g}; it must be above 0", a, "penalty")
        if k.method == "ratio" and k.direction != 1:
            self.problem(
                f"{path}.direction",
                'the ratio method scores "higher is better"; use inverse_ratio or linear for "lower"',
                a,
                "direction",
            )
        if k.method == "inverse_ratio" and k.direction != -1:
            self.problem(
                f"{path}.direction",
                'the inverse_ratio method scores "lower is better"; use ratio for "higher"',
                a,
                "direction",
            )


def target_problems(k: Kpi, target: float) -> list[str]:
    """What is wrong with `target` for KPI `k` (the spec's default or a roster override)."""
    problems = []
    if k.method == "ratio" and target == 0:
        problems.append("is 0, but the ratio method divides by the target; give a target above 0")
    if k.method == "inverse_ratio" and target <= 0:
        problems.append(f"is {target:g}, but the inverse_ratio method needs a target above 0")
    if k.method == "linear":
        if target == k.zero:
            problems.append(f"equals the zero point {k.zero:g}; the linear method needs them to differ")
        elif (target - k.zero) * k.direction < 0:
            side = "above" if k.direction == 1 else "below"
            problems.append(
                f"must be {side} the zero point {k.zero:g} when direction is "
                f"{'higher' if k.direction == 1 else 'lower'}"
            )
    return problems
