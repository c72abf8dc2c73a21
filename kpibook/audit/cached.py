"""The audit's check of cached values: every formula's stored value against kpibook's own
recomputation from the actuals and the signed targets (see kpibook.audit for why).
"""

from __future__ import annotations

from kpibook import scoring
from kpibook.audit.codes import Report, WorkbookAudit, word
from kpibook.audit.expected import ExpectedWorkbook
from kpibook.audit.values import same, show
from kpibook.engines import judge_cached
from kpibook.layout import RoleLayout
from kpibook.messages import t
from kpibook.read import WorkbookData


def check_cached_values(data: WorkbookData, expected: ExpectedWorkbook, result: WorkbookAudit, report: Report) -> None:
    """One cached_value finding per formula whose stored value no conforming spreadsheet computes
    (kpibook.engines), an engine_rounding info line where one rounded a decimal half its own way,
    or a single stale_cache warning when every stored value is still the blank workbook's."""
    layout = expected.layout
    card = data.scorecard
    # the formulas read the actuals where the layout puts them; a moved name (reported already)
    # must not make every cached value look forged
    actuals = {k.id: _value_at(data, layout.kpi_cell(k.id, "actual")) for k in layout.role.kpis}
    want = layout.formula_values(_scores_of(actuals, result, layout))  # what a spreadsheet computes
    cached: dict[str, object] = {}
    for ref in expected.formulas:
        cell = data.cells.get(ref)
        if cell is None or cell.formula is None or cell.value is None or (card, ref) in report.flagged:
            continue  # no cache (openpyxl and some tools write none), or the formula is reported already
        cached[ref] = cell.value
    judged = judge_cached(layout, actuals, result.targets, cached, want, same)
    if judged.refused and all(same(value, expected.blank[ref]) for ref, value in cached.items()):
        total = layout.total_cell
        report.add(
            "stale_cache",
            card,
            total,
            expected=word("recalculated", total=show(want[total])),
            found=word("total", total=show(cached.get(total))),
        )
        return
    for ref in judged.refused:
        report.add(
            "cached_value",
            card,
            ref,
            expected=show(want[ref]),
            found=show(cached[ref]),
        )
    program = data.app or t("interop.unknown_program")
    for ref in judged.rounded:  # kpibook.engines: an engine's own rounding of a decimal half, not a finding
        report.add("engine_rounding", card, ref, expected=show(want[ref]), found=show(cached[ref]), program=program)


def _value_at(data: WorkbookData, ref: str) -> object:
    cell = data.cells.get(ref)
    return cell.value if cell else None


def _scores_of(actuals: dict[str, object], result: WorkbookAudit, layout: RoleLayout) -> scoring.RoleScores:
    """The scores the formulas compute from the cells they read: the audit's own (computed once,
    from the same cells) unless a defined name was moved to another cell, reported already."""
    if result.scores is not None and all(actuals[k] is result.actuals.get(k) for k in actuals):
        return result.scores
    return scoring.score_role(layout.role, layout.grades, actuals, result.targets)
