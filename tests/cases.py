"""Generated scoring cases shared by the parity tests (the `formulas` engine and LibreOffice).

A generator draws from a `Source`: hypothesis (`HypothesisSource`, which shrinks a failing
case to a small one) or a seeded `random.Random` (`RandomSource`, for the LibreOffice
workbook, which needs thousands of cases written up front). Both walk the same code, so both
engines see the same kinds of input: blanks, empty text, "N/A" in any case, other text,
numbers stored as text, error values, zero, negatives, huge values, decimals with up to four
places, and actuals built so that the raw points land exactly on a rounding half (x.xx5).

Numbers have at most 12 significant digits (see `number`): LibreOffice and Excel compare and
subtract with a relative tolerance near 1e-14 (2.675 - 2.675000000000001 is 0 there), which no
IEEE-exact engine reproduces; KPI actuals, targets and parameters never need more digits.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st

from kpibook import scoring
from kpibook.scoring import METHODS, ExcelError, RuleParams, Value
from kpibook.spec import MAX_BANDS

T = TypeVar("T")


class Source(Protocol):
    def integer(self, lo: int, hi: int) -> int: ...

    def choice(self, options: Sequence[T]) -> T: ...


class RandomSource:
    def __init__(self, seed: int | str) -> None:
        self.rng = random.Random(seed)

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]


class HypothesisSource:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(st.integers(lo, hi))

    def choice(self, options: Sequence[T]) -> T:
        return options[self.data.draw(st.integers(0, len(options) - 1))]


def chance(src: Source, percent: int) -> bool:
    return src.integer(0, 99) < percent


# ---------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------

MAX_DIGITS = 12  # significant digits of any generated number
HUGE = 10**12


def _decimal(mantissa: int, places: int) -> float:
    return float(Decimal(mantissa).scaleb(-places))


def _fit(mantissa: int, places: int) -> tuple[int, int]:
    """Drop decimal places until the number has at most MAX_DIGITS significant digits."""
    while places > 0 and len(str(abs(mantissa))) > MAX_DIGITS:
        mantissa, places = mantissa // 10, places - 1
    return mantissa, places  # a whole number of 13 digits (10**12) stays whole


def number(src: Source, lo: float = -HUGE, hi: float = HUGE) -> float:
    """A number as someone types it: zero, a whole number, a decimal of up to 4 places, huge.

    Clipped to [lo, hi].
    """
    kind = src.choice(("zero", "small", "small", "decimal", "decimal", "decimal", "huge", "tiny"))
    if kind == "zero":
        value = 0.0
    elif kind == "small":
        value = float(src.integer(-10, 150))
    elif kind == "decimal":
        places = src.integer(1, 4)
        value = _decimal(src.integer(-(10 ** (places + 4)), 10 ** (places + 5)), places)
    elif kind == "huge":
        places = src.integer(0, 4)
        mantissa, places = _fit(src.integer(-(HUGE * 10**places), HUGE * 10**places), places)
        value = _decimal(mantissa, places)
    else:  # tiny but not zero
        value = _decimal(src.integer(1, 99), src.integer(3, 4)) * src.choice((1, -1))
    return min(max(value, lo), hi)


def positive(src: Source) -> float:
    value = abs(number(src))
    return value if value else 1.0


# A target or span that makes x/target*100 a short decimal, so a half can be hit exactly.
FRIENDLY = (1, 2, 4, 5, 8, 10, 16, 20, 25, 40, 50, 80, 100, 125, 200, 250, 400, 500, 1000, 0.5, 0.25, 0.2, 0.8, 0.05)


def half(src: Source) -> Decimal:
    """Points that sit exactly on a rounding half: 87.125, 2.675, 100.005, -0.005..."""
    whole = src.integer(-20, 130)
    return Decimal(whole) + Decimal(src.integer(0, 99)) / 100 + Decimal("0.005")


def near(src: Source, x: Decimal) -> Decimal:
    """`x` itself or one unit of the 4th decimal either side."""
    return x + Decimal(src.choice((0, 0, 0, 1, -1))) / 10000


# ---------------------------------------------------------------------------------------
# Scoring cases
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    rule: RuleParams
    actual: Any  # None (blank cell), str, float, or ExcelError (the cell holds an error)

    @property
    def method(self) -> str:
        return self.rule.method


TEXTS = ("", "N/A", "n/a", "N/a", " N/A", "NA", "n.a.", "abc", "95", "95%", "1,200", "未达标", "-", "0")
ERRORS = ("#N/A", "#DIV/0!", "#VALUE!")


def bands(src: Source, method: str) -> tuple[tuple[float, float], ...]:
    count = src.integer(1, MAX_BANDS)
    if method == "rating":
        start = src.integer(0, 2)
        starts = [float(start + i) for i in range(count)]
    else:
        starts = sorted({number(src, -1000, 1000) for _ in range(count)})
    points: list[float] = []
    for _ in starts:
        if chance(src, 30):
            points.append(float(half(src)))  # ROUND must take the points to 2 decimals
        else:
            points.append(float(src.integer(-10, 130)))
    return tuple(zip(starts, points, strict=True))


def rule(src: Source, method: str) -> RuleParams:
    """Parameters as a KPI row holds them; sometimes ones the spec would refuse (target 0)."""
    floor, cap = 0.0, 120.0
    if chance(src, 25):
        floor = float(src.choice((-20, -5, 0, 10, 50, 0.5)))
        cap = float(src.choice((100, 105, 110, 120, 150, 200, 60.5)))
    direction = src.choice((1, -1))
    target = number(src)
    param = 0.0
    if method == "ratio":
        direction = 1
    elif method == "inverse_ratio":
        direction = -1
    elif method == "linear":
        param = number(src)
        direction = 1 if target >= param else -1
    elif method == "threshold":
        param = src.choice((1.0, 5.0, 10.0, 12.5, 20.0, 25.0, 33.3, 0.5, float(src.integer(0, 100)), number(src)))
    return RuleParams(
        method=method,
        target=target,
        param=param,
        direction=direction,
        floor=floor,
        cap=cap,
        allow_na=chance(src, 50),
        bands=bands(src, method) if method in ("bands", "rating") else (),
    )


def on_half(src: Source, r: RuleParams) -> tuple[RuleParams, float]:
    """Parameters and an actual whose raw points are exactly a rounding half (in decimal)."""
    h = half(src)
    f = Decimal(str(src.choice(FRIENDLY)))
    if r.method == "ratio":  # a / t * 100 = h  ->  a = h * t / 100
        t = f * src.choice((1, 1, -1))
        a = near(src, h * t / 100)
        return replace(r, target=float(t)), float(a)
    if r.method == "inverse_ratio":  # t / a * 100 = h  ->  t = h * a / 100
        a = f
        t = near(src, h * a / 100)
        return replace(r, target=float(t)), float(a)
    if r.method == "linear":  # 100 * (a - p) / (t - p) = h  ->  a = p + h * (t - p) / 100
        p = Decimal(src.integer(-100, 100)) / src.choice((1, 10, 100))
        span = f * src.choice((1, -1))
        t = p + span
        a = near(src, p + h * span / 100)
        return replace(r, target=float(t), param=float(p)), float(a)
    if r.method == "threshold":  # 100 - pen * excess = h  ->  excess = (100 - h) / pen
        pen = f
        excess = (100 - h) / pen
        t = Decimal(src.integer(-50, 50))
        a = near(src, t - excess * r.direction)
        return replace(r, target=float(t), param=float(pen)), float(a)
    # bands / rating: the points themselves are halves; pick an actual on a band start
    starts = [s for s, _ in r.bands]
    return r, src.choice(starts)


def actual(src: Source, r: RuleParams) -> Any:
    kind = src.choice(("number",) * 10 + ("blank", "text", "text", "error", "na"))
    if kind == "blank":
        return None
    if kind == "na":
        return src.choice(("N/A", "n/a"))
    if kind == "text":
        return src.choice(TEXTS)
    if kind == "error":
        return ExcelError(src.choice(ERRORS))
    if r.method in ("bands", "rating") and chance(src, 50):
        starts = [s for s, _ in r.bands]
        return src.choice(starts) + src.choice((0.0, 0.0, 0.5, -0.5, 0.0001, -0.0001, 1.0))
    if r.method == "inverse_ratio" and chance(src, 30):
        return float(src.choice((0, 0, -1, 1, 0.0001)))
    if r.method in ("threshold", "ratio", "linear") and chance(src, 20):
        return r.target + src.choice((0.0, 1.0, -1.0, 0.5, -0.5))  # at or next to the target
    if chance(src, 50):  # a plausible actual: a share of the target, with up to 4 decimals
        share = Decimal(src.integer(-2000, 16000)) / 10000
        value = Decimal(repr(r.target)) * share
        if r.method == "linear":
            value = Decimal(repr(r.param)) + (Decimal(repr(r.target)) - Decimal(repr(r.param))) * share
        mantissa, places = _fit(int(value.scaleb(4).to_integral_value()), 4)
        return _decimal(mantissa, places)
    return number(src)


def case(src: Source, method: str) -> Case:
    r = rule(src, method)
    if chance(src, 25):
        r, a = on_half(src, r)
        return Case(r, a)
    return Case(r, actual(src, r))


def half_cases(method: str, count: int, seed: int | str = 0) -> list[Case]:
    """`count` cases whose raw points are all exactly on a rounding half (give or take 0.0001)."""
    src = RandomSource(f"{seed}:{method}:halves")
    return [Case(*on_half(src, rule(src, method))) for _ in range(count)]


def cases(method: str, count: int, seed: int | str = 0) -> list[Case]:
    """`count` cases for `method`, the same on every run."""
    src = RandomSource(f"{seed}:{method}")
    return [case(src, method) for _ in range(count)]


# ---------------------------------------------------------------------------------------
# The row of parameter cells, as the workbook lays it out (kpibook.layout's columns)
# ---------------------------------------------------------------------------------------

COLUMNS = {"a": "H", "t": "G", "p": "S", "d": "R", "floor": "T", "cap": "U", "na": "V", "code": "Q"}
FROM_COLUMNS = ("W", "X", "Y", "Z", "AA", "AB")
POINTS_COLUMNS = ("AC", "AD", "AE", "AF", "AG", "AH")


def refs(row: int) -> dict[str, str]:
    return {
        **{key: f"{col}{row}" for key, col in COLUMNS.items()},
        "from1": f"{FROM_COLUMNS[0]}{row}",
        "froms": f"{FROM_COLUMNS[0]}{row}:{FROM_COLUMNS[-1]}{row}",
        "points": f"{POINTS_COLUMNS[0]}{row}:{POINTS_COLUMNS[-1]}{row}",
    }


def padded_bands(r: RuleParams) -> list[tuple[float, float]]:
    """The six band slots: unused ones repeat the last band (the workbook's convention)."""
    if not r.bands:
        return []
    return list(r.bands) + [r.bands[-1]] * (MAX_BANDS - len(r.bands))


def parameter_cells(r: RuleParams) -> dict[str, Any]:
    """Column letter -> value of a KPI row's parameter cells (band slots blank when unused)."""
    cells: dict[str, Any] = {
        COLUMNS["t"]: r.target,
        COLUMNS["p"]: r.param,
        COLUMNS["d"]: r.direction,
        COLUMNS["floor"]: r.floor,
        COLUMNS["cap"]: r.cap,
        COLUMNS["na"]: 1 if r.allow_na else 0,
        COLUMNS["code"]: METHODS[r.method].code,
    }
    for i, (start, points) in enumerate(padded_bands(r)):
        cells[FROM_COLUMNS[i]] = start
        cells[POINTS_COLUMNS[i]] = points
    return cells


# ---------------------------------------------------------------------------------------
# Comparing a spreadsheet's value with the Python's
# ---------------------------------------------------------------------------------------


def same(python: Value, sheet: Any) -> bool:
    """Numbers exactly equal; "" and an empty cell alike; text equal; an error matches any error."""
    if isinstance(python, ExcelError):
        return isinstance(sheet, ExcelError)
    if isinstance(python, float):  # a file stores 150.0 as "150": it reads back as an int
        return isinstance(sheet, (int, float)) and not isinstance(sheet, bool) and sheet == python
    if python == "":
        return sheet is None or sheet == ""
    return sheet == python


# ---------------------------------------------------------------------------------------
# Whole role tables: KPI scores -> dimension scores -> total -> grade
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    dimensions: tuple[tuple[str, float], ...]  # (dimension id, weight), in row order
    kpis: tuple[tuple[str, float, Any], ...]  # (dimension id, weight, score as the score cell holds it)
    grades: tuple[tuple[float, str], ...]  # (min, grade), ascending


def weights(src: Source, count: int) -> list[float]:
    """`count` weights adding up to 100: whole numbers, or sometimes decimals (33.3 + 33.3 + 33.4)."""
    if count == 1:
        return [100.0]
    unit = src.choice((1, 1, 1, 10, 5)) if chance(src, 80) else Decimal("0.1")
    units = int(Decimal(100) / Decimal(unit))
    if units < count:
        unit, units = 1, 100
    cuts = sorted({src.integer(1, units - 1) for _ in range(count - 1)})
    while len(cuts) < count - 1:  # collisions: fill with unused cut points
        cuts = sorted(set(cuts) | {next(c for c in range(1, units) if c not in cuts)})
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, units], strict=True)]
    return [float(Decimal(p) * Decimal(unit)) for p in parts]


GRADE_SCALES = (
    ((0.0, "D"), (60.0, "C"), (80.0, "B"), (95.0, "A"), (105.0, "S")),
    ((0.0, "C"), (80.0, "B"), (100.0, "A")),
    ((50.0, "Pass"),),  # a total below 50 has no grade: #N/A
    ((0.0, "不合格"), (60.0, "合格"), (90.0, "优秀")),
)


def score(src: Source, complete: bool) -> Any:
    """What a KPI score cell can hold: 2-decimal points, or (when not complete) "", "invalid", an error."""
    kind = src.choice(("number",) * 8 + ("na",) + (() if complete else ("blank", "invalid", "error")))
    if kind == "na":
        return "N/A"
    if kind == "blank":
        return ""
    if kind == "invalid":
        return "invalid"
    if kind == "error":
        return ExcelError(src.choice(("#DIV/0!", "#N/A")))
    if chance(src, 15):
        return float(src.choice((0, 100, 120, 60, 95, 105)))
    return float(Decimal(src.integer(-2000, 15000)) / 100)


def table(src: Source) -> Table:
    complete = chance(src, 75)
    dims = [f"d{i}" for i in range(src.integer(1, 5))]
    dim_weights = weights(src, len(dims))
    kpis: list[tuple[str, float, Any]] = []
    for d in dims:
        count = src.integer(1, 4)
        for w in weights(src, count):
            kpis.append((d, w, score(src, complete)))
    if chance(src, 30):  # dimension rows need not follow the KPI order
        order = list(range(len(kpis)))
        for i in range(len(order) - 1, 0, -1):
            j = src.integer(0, i)
            order[i], order[j] = order[j], order[i]
        kpis = [kpis[i] for i in order]
    return Table(tuple(zip(dims, dim_weights, strict=True)), tuple(kpis), src.choice(GRADE_SCALES))


def tables(count: int, seed: int | str = 0) -> list[Table]:
    src = RandomSource(f"{seed}:tables")
    return [table(src) for _ in range(count)]


def python_table(t: Table) -> dict[str, Any]:
    """Every computed cell of a table by the Python twins: per-KPI lists, dimensions, total, grade."""
    scores = [s for _, _, s in t.kpis]
    pendings = [scoring.kpi_pending(s) for s in scores]
    dims = {
        d: scoring.dimension_score([s for dd, _, s in t.kpis if dd == d], [w for dd, w, _ in t.kpis if dd == d])
        for d, _ in t.dimensions
    }
    total = scoring.total_score(list(dims.values()), [w for _, w in t.dimensions], sum(pendings))
    return {
        "weighted": [scoring.kpi_weighted(s, w) for _, w, s in t.kpis],
        "counted": [scoring.kpi_counted_weight(s, w) for _, w, s in t.kpis],
        "pending": [float(p) for p in pendings],
        "dimension": [dims[d] for d, _ in t.dimensions],
        "total": total,
        "grade": scoring.grade_of(total, [m for m, _ in t.grades], [g for _, g in t.grades]),
        "pending_count": float(sum(pendings)),
    }
