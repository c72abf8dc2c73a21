"""The scoring methods: one object per method, carrying everything about it.

A method's Excel formula fragment and its Python computation stand side by side, with what the
spec needs to know about it (the parameter key it reads, its required keys, whether it has
bands, whether its direction is fixed, the checks on its target), how the workbook takes its
actual (a number, or a level from a list) and its description in words (zh and en).

Spec reading (kpibook.spec), the workbook (kpibook.layout, kpibook.build), the demo filler
(kpibook.fill), the audit and the xlwings layer loop over `METHODS` and ask the method; none
of them branches on a method's name. A seventh method is one more `Method(...)` in `METHODS`.

Excel placeholders: {a} actual, {t} target, {p} parameter (zero point / penalty), {d}
direction (+1 / -1), {floor}, {cap}, {from1} first band start, {froms} band starts (row
range), {points} band points. Each Python function receives the same quantities and performs
the same operations in the same order as its formula (tests/test_parity*.py).

This module knows nothing about files or the spec model: it is the bottom of the core layer.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kpibook.messages import t

NUMBER = "number"  # the actual is a number typed in a range
LIST = "list"  # the actual is a level picked from a list (the band starts)


@dataclass(frozen=True)
class RuleParams:
    """The per-row parameters of a KPI, exactly as its parameter cells hold them."""

    method: str
    target: float
    param: float = 0.0
    direction: int = 1
    floor: float = 0.0
    cap: float = 120.0
    allow_na: bool = False
    bands: tuple[tuple[float, float], ...] = ()  # (from, points), ascending


# A target check: (message code in kpibook.messages, its fields) for each problem found.
TargetCheck = Callable[[float, float, int], list[tuple[str, dict[str, object]]]]


@dataclass(frozen=True)
class Method:
    """One scoring method, all of it in one place."""

    name: str
    code: int  # position in the CHOOSE of the score formula (the workbook's column Q)
    python: Callable[[float, RuleParams], float]
    excel: str
    describe: Callable[[RuleParams, str], str]  # one KPI's rule in words (zh / en), `str` = its target text
    param_key: str | None = None  # the spec key that fills the parameter cell {p}
    required: tuple[str, ...] = ()  # spec keys the method cannot do without
    has_bands: bool = False
    whole_levels: bool = False  # band starts must be whole numbers (levels)
    positive_param: bool = False  # the parameter must be above 0
    input_kind: str = NUMBER
    direction: int | None = None  # fixed direction, or None when the spec chooses
    target_checks: TargetCheck | None = None
    sample: Callable[[RuleParams, random.Random], float] | None = None  # the demo's typical actual

    def words(self, lang: str | None = None) -> str:
        """The method in general, for the formula legend and the audit sheet (catalogue `method.<name>`)."""
        return t(f"method.{self.name}", lang)

    def param_of(self, values: dict[str, float]) -> float:
        """The number of the parameter cell, from the KPI's keys (0 when the method has none)."""
        return values.get(self.param_key, 0.0) if self.param_key else 0.0

    def check_target(self, target: float, param: float, direction: int) -> list[tuple[str, dict[str, object]]]:
        return self.target_checks(target, param, direction) if self.target_checks else []


def _divide(x: float, y: float) -> float:
    if y == 0:
        raise ZeroDivisionError
    return x / y


def _lookup(a: float, bands: Sequence[tuple[float, float]]) -> float:
    """LOOKUP(a, froms, points): the points of the last band whose start is <= a."""
    starts = [s for s, _ in bands]
    return bands[bisect.bisect_right(starts, a) - 1][1]


# -- ratio --------------------------------------------------------------------------------
def _ratio(a: float, r: RuleParams) -> float:
    return _divide(a, r.target) * 100


def _ratio_checks(target: float, _param: float, _direction: int) -> list[tuple[str, dict[str, object]]]:
    return [("spec.ratio_target_zero", {})] if target == 0 else []


# -- inverse_ratio ------------------------------------------------------------------------
def _inverse_ratio(a: float, r: RuleParams) -> float:
    return r.cap if a <= 0 else _divide(r.target, a) * 100


def _inverse_checks(target: float, _param: float, _direction: int) -> list[tuple[str, dict[str, object]]]:
    return [("spec.inverse_target", {"target": f"{target:g}"})] if target <= 0 else []


# -- linear -------------------------------------------------------------------------------
def _linear(a: float, r: RuleParams) -> float:
    return _divide(100 * (a - r.param), r.target - r.param)


def _linear_checks(target: float, zero: float, direction: int) -> list[tuple[str, dict[str, object]]]:
    if target == zero:
        return [("spec.linear_target_is_zero", {"zero": f"{zero:g}"})]
    if (target - zero) * direction < 0:
        code = "spec.linear_target_above" if direction == 1 else "spec.linear_target_below"
        return [(code, {"zero": f"{zero:g}"})]
    return []


# -- threshold ----------------------------------------------------------------------------
def _threshold(a: float, r: RuleParams) -> float:
    return 100 - r.param * max(0.0, r.direction * (r.target - a))


def _threshold_sample(r: RuleParams, rng: random.Random) -> float:
    return r.target + rng.choice((-1, 0, 0, 1, 2))  # around the limit, where the rule bites


# -- bands and rating ---------------------------------------------------------------------
def _bands(a: float, r: RuleParams) -> float:
    return r.floor if a < r.bands[0][0] else _lookup(a, r.bands)


def _level_sample(r: RuleParams, rng: random.Random) -> float:
    return rng.choice([start for start, _ in r.bands])


_BANDS_EXCEL = "IF({a}<{from1},{floor},LOOKUP({a},{froms},{points}))"


# -- the rules in words (bilingual, as the Instructions sheet and the formula book show them)
def _describe_ratio(_r: RuleParams, t: str) -> str:
    return f"实际 ÷ 目标 × 100 / actual ÷ target ({t}) × 100"


def _describe_inverse(_r: RuleParams, t: str) -> str:
    return f"目标 ÷ 实际 × 100,越低越好 / target ({t}) ÷ actual × 100, lower is better; 0 or less earns the cap"


def _describe_linear(r: RuleParams, t: str) -> str:
    return f"线性:{r.param:g} 得 0 分,目标 {t} 得 100 分 / straight line: {r.param:g} earns 0, the target {t} earns 100"


def _describe_threshold(r: RuleParams, t: str) -> str:
    side = "≤" if r.direction == -1 else "≥"
    return (
        f"达到 {side} {t} 得 100 分,每超出 1 个单位扣 {r.param:g} 分 / 100 when actual {side} {t}; "
        f"minus {r.param:g} points per unit beyond it"
    )


def _describe_steps(kind: str) -> Callable[[RuleParams, str], str]:
    def describe(r: RuleParams, _t: str) -> str:
        steps = ", ".join(f"≥{s:g} → {p:g}" for s, p in r.bands)
        return f"{kind}: {steps}; 低于最低档得 {r.floor:g} 分 / below the first band: {r.floor:g}"

    return describe


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method(
            "ratio",
            1,
            _ratio,
            "{a}/{t}*100",
            _describe_ratio,
            direction=1,
            target_checks=_ratio_checks,
        ),
        Method(
            "inverse_ratio",
            2,
            _inverse_ratio,
            "IF({a}<=0,{cap},{t}/{a}*100)",
            _describe_inverse,
            direction=-1,
            target_checks=_inverse_checks,
        ),
        Method(
            "linear",
            3,
            _linear,
            "100*({a}-{p})/({t}-{p})",
            _describe_linear,
            param_key="zero",
            required=("zero",),
            target_checks=_linear_checks,
        ),
        Method(
            "threshold",
            4,
            _threshold,
            "100-{p}*MAX(0,{d}*({t}-{a}))",
            _describe_threshold,
            param_key="penalty",
            required=("penalty",),
            positive_param=True,
            sample=_threshold_sample,
        ),
        Method(
            "bands",
            5,
            _bands,
            _BANDS_EXCEL,
            _describe_steps("分档 bands"),
            has_bands=True,
        ),
        Method(
            "rating",
            6,
            _bands,
            _BANDS_EXCEL,
            _describe_steps("评级 rating"),
            has_bands=True,
            whole_levels=True,
            input_kind=LIST,
            sample=_level_sample,
        ),
    )
}
METHOD_BY_CODE = {m.code: m for m in METHODS.values()}
PARAM_KEYS = tuple(sorted({m.param_key for m in METHODS.values() if m.param_key}))
