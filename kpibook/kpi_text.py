"""How a KPI reads to a person: a value with its unit, and the scoring rule in Chinese and in
English, sentence for sentence the same (the Instructions sheet puts them on two lines).

    format_value(1_300_000, "CNY")   # "1,300,000 CNY"
    format_value(0.97, "%")          # "97%"
    rule_lines(kpi, "97%")           # ("实际 ÷ 目标（97%）× 100；…", "actual ÷ target (97%) × 100; …")

The wording is the catalogue's (`kpi.rule.*`); the numbers are filled in here, the same in
both languages, so a test can compare the two lines number for number.
"""

from __future__ import annotations

from kpibook.messages import CATALOGUE, t
from kpibook.methods import METHODS
from kpibook.scoring import rule_of
from kpibook.spec import Kpi

PLAIN_UNITS = ("", "count", "score", "points")  # a number that needs no unit beside it


def format_number(value: float) -> str:
    """A number with thousands separators and no exponent: 50,000,000, 0.5, -100."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.10g}" if abs(value) >= 1e-4 else f"{value:.10f}".rstrip("0")


def format_value(value: float, unit: str) -> str:
    """A target, bound or level as people write it: 95%, 3 pp, 1,300,000 CNY, 60 days, 8."""
    if unit == "%":
        return f"{format_number(round(value * 100, 10))}%"
    if unit in PLAIN_UNITS:
        return format_number(value)
    return f"{format_number(value)} {unit}"


def rule_lines(kpi: Kpi, target_text: str) -> tuple[str, str]:
    """How `kpi` is scored, (Chinese, English), with the person's target shown as `target_text`."""
    return rule_text(kpi, target_text, "zh"), rule_text(kpi, target_text, "en")


def rule_text(kpi: Kpi, target_text: str, lang: str) -> str:
    """One language's text. Every field any method's wording uses is filled in; each catalogue
    entry takes the ones it needs (so no branch on the method here). A method without an entry
    (one just registered in kpibook.methods) falls back to the method's own bilingual words."""
    rule = rule_of(kpi)
    code = f"kpi.rule.{rule.method}"
    if code not in CATALOGUE:
        return METHODS[rule.method].describe(rule, target_text)
    text = t(
        code,
        lang,
        target=target_text,
        zero=format_value(rule.param, kpi.unit),
        penalty=format_number(rule.param),
        side="≤" if rule.direction == -1 else "≥",
        steps=", ".join(f"≥{format_value(s, kpi.unit)} → {format_number(p)}" for s, p in rule.bands),
        floor=format_number(rule.floor),
    )
    text += t("kpi.rule.limits", lang, floor=format_number(rule.floor), cap=format_number(rule.cap))
    if rule.allow_na:
        text += t("kpi.rule.na", lang)
    return text
