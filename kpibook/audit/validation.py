"""The audit's check of the actual cells' data validation: removed, widened (accepts more than
the spec allows: a warning, since kpibook still checks every entry) or changed (narrower).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kpibook.audit.codes import Report
from kpibook.audit.expected import ExpectedWorkbook, norm, position
from kpibook.audit.values import STRING_LITERAL, close, shown_number
from kpibook.read import WorkbookData

_NUMBER = re.compile(r"(?<![A-Z0-9_.$])(\d+(?:\.\d*)?(?:E[+-]?\d+)?)")


def _covers(sqref: str, row: int, col: int) -> bool:
    for r1, c1, r2, c2 in _ranges(sqref):
        if r1 <= row <= r2 and c1 <= col <= c2:
            return True
    return False


@lru_cache(maxsize=4096)
def _ranges(sqref: str) -> tuple[tuple[int, int, int, int], ...]:
    """ "H8 H10:H12" -> ((8, 8, 8, 8), (10, 8, 12, 8)): (first row, first col, last row, last col)."""
    out = []
    for part in sqref.split():
        corners = part.replace("$", "").split(":")
        try:
            (r1, c1), (r2, c2) = position(corners[0]), position(corners[-1])
        except ValueError:
            continue
        out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return tuple(out)


def _canonical(formula: str) -> str:
    """A validation formula in comparable form: normalized, numbers as doubles (0.0 == 0)."""
    text = norm(formula)
    out, last = [], 0
    for m in STRING_LITERAL.finditer(text):  # string literals are kept as they are
        out += [_NUMBER.sub(lambda n: shown_number(float(n.group(1))), text[last : m.start()]), m.group(0)]
        last = m.end()
    out.append(_NUMBER.sub(lambda n: shown_number(float(n.group(1))), text[last:]))
    return "".join(out)


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _list_items(formula: str) -> set[str]:
    text = formula.strip()
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    return {item.strip() for item in text.split(",")}


def _compare_validation(want: dict[str, str], found: dict[str, str]) -> tuple[str, str] | None:
    """None when the found validation is the spec's; else (code, what differs)."""
    kind = found.get("type") or "none"
    if kind == "none":
        return "validation_removed", "any value is accepted"
    if not _true(found.get("showErrorMessage")) or (found.get("errorStyle") or "stop") != "stop":
        return "validation_widened", "a wrong value is no longer refused (the error alert is off or only warns)"
    if kind != want["type"] and not {kind, want["type"]} <= {"decimal", "whole"}:
        return "validation_widened", f"the rule type is {kind} instead of {want['type']}"
    if want["type"] in ("decimal", "whole"):
        operator = found.get("operator") or "between"
        low, high = _as_number(found.get("formula1", "")), _as_number(found.get("formula2", ""))
        want_low, want_high = float(want["formula1"]), float(want["formula2"])
        if operator != "between" or low is None or high is None:
            return "validation_widened", f"the rule is '{operator} {found.get('formula1')} {found.get('formula2')}'"
        wider = (
            low < want_low
            and not close(low, want_low)
            or high > want_high
            and not close(high, want_high)
            or (kind == "decimal" and want["type"] == "whole")
        )
        if wider:
            return (
                "validation_widened",
                f"the rule accepts {kind} numbers from {shown_number(low)} to {shown_number(high)}",
            )
        if not (close(low, want_low) and close(high, want_high) and kind == want["type"]):
            return (
                "validation_changed",
                f"the rule accepts {kind} numbers from {shown_number(low)} to {shown_number(high)}",
            )
        return None
    if want["type"] == "list":
        items, want_items = _list_items(found.get("formula1", "")), _list_items(want["formula1"])
        if items == want_items:
            return None
        return (
            "validation_changed" if items <= want_items else "validation_widened"
        ), f"the list is {found.get('formula1', '')}"
    if _canonical(found.get("formula1", "")) != _canonical(want["formula1"]):
        return "validation_widened", f"the rule is ={found.get('formula1', '')}"
    return None


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true")


def check_validations(data: WorkbookData, expected: ExpectedWorkbook, report: Report) -> None:
    card = data.scorecard
    wanted = {position(ref): ref for ref in expected.validations}
    found: dict[str, dict[str, str]] = {}
    for validation in data.validations:  # the first rule covering a cell is the one Excel applies
        for cell_position, ref in wanted.items():
            if ref not in found and _covers(validation.get("sqref", ""), *cell_position):
                found[ref] = validation
    for ref, want in expected.validations.items():
        rule = found.get(ref)
        problem = _compare_validation(want, rule) if rule else ("validation_removed", "any value can be typed")
        if problem:
            code, detail = problem
            rule_text = (
                f"={want['formula1']}"
                if want["type"] == "custom"
                else want["formula1"]
                if want["type"] == "list"
                else f"a {want['type']} number from {shown_number(float(want['formula1']))} "
                f"to {shown_number(float(want['formula2']))}"
            )
            verb = {"validation_removed": "removed", "validation_widened": "widened"}.get(code, "changed")
            report.add(
                code,
                card,
                ref,
                f"the data validation of this actual cell was {verb}",
                expected=f"{rule_text}, other values refused",
                found=detail,
            )
