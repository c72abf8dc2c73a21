"""The key acceptance test of the audit: clean workbooks opened and saved by LibreOffice produce
no finding at all, over all four roles, blank and filled (0 false positives); tampering still
shows after LibreOffice has saved the file.

LibreOffice rewrites a lot when it saves: shared strings for every text, `<f aca="false">`,
numbers at 15 significant digits, empty-string results as t="str" with an empty <v>, other
style indices, an empty <workbookProtection/> (its xlsx export does not write the structure
lock), operator="between" on custom and list validations. None of that is tampering.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kpibook.audit import audit, audit_workbook
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.read import read_workbook
from kpibook.spec import Spec
from tests.lo import recalculate
from tests.test_audit import (
    ROSTER,
    SCORECARD_PART,
    describe,
    found,
    replace_cell,
    rewrite,
    set_value,
    style_of,
)

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory: pytest.TempPathFactory, spec: Spec, soffice: str) -> dict[str, list[Path]]:
    """Every generated workbook (blank), each filled as managers would (some N/A, some blank,
    some text or out of bounds), each filled by a tool that does not recalculate, and a few
    tampered ones: all opened, recalculated and saved by LibreOffice in one run."""
    root = tmp_path_factory.mktemp("lo")
    generate(ROSTER, "2026Q4", root / "gen", spec=spec)
    blank = sorted((root / "gen").rglob("*.xlsx"))
    rng = random.Random(11)
    filled, stale = [], []
    for index, path in enumerate(blank):
        role = spec.role(read_workbook(path).metadata["role_id"])
        actuals = manager_actuals(role, rng, na_rate=0.3, blank_rate=0.2 if index % 5 == 0 else 0.0)
        if index % 7 == 3:
            actuals[role.kpis[-1].id] = "about 5"  # text in a number cell: the score shows "invalid"
        if index % 7 == 4:
            actuals[role.kpis[0].id] = role.kpis[0].max * 10  # out of bounds: validation is for Excel's UI only
        filled.append(
            fill_workbook(
                path,
                root / "filled" / f"f_{path.name}",
                spec,
                actuals,
                comments={role.kpis[0].id: "依据 CRM 报表 <Q4> & 财务确认"},
            )
        )
        stale.append(fill_workbook(path, root / "stale" / f"s_{path.name}", spec, actuals, cache_values=False))
    out = {"blank": blank, "filled": filled, "stale": stale}
    converted = recalculate(blank + filled + stale, root / "lo")
    n = len(blank)
    return {
        "blank": converted[:n],
        "filled": converted[n : 2 * n],
        "stale": converted[2 * n :],
        "sources": out["filled"],
    }


def test_libreoffice_really_rewrote_the_files(saved_by_libreoffice: dict[str, list[Path]]) -> None:
    data = read_workbook(saved_by_libreoffice["filled"][0])
    assert data.saved_by_libreoffice
    # LibreOffice's export writes an empty <workbookProtection/> (no lock): the audit must not hold it against it
    assert not data.structure_locked and data.workbook_protection
    assert data.value("total_score") is not None  # it wrote its own cached values


@pytest.mark.parametrize("kind", ["blank", "filled", "stale"])
def test_no_false_positive_after_libreoffice(
    spec: Spec, saved_by_libreoffice: dict[str, list[Path]], kind: str
) -> None:
    result = audit(saved_by_libreoffice[kind], spec=spec)
    assert len(result.workbooks) == 24
    roles = {w.role_id for w in result.workbooks}
    assert roles == set(spec.role_ids)
    bad = [line for w in result.workbooks if w.verdict != "clean" for line in (w.verdict_line(), describe(w))]
    assert bad == [], "\n".join(bad)


def test_libreoffice_values_agree_with_the_recomputation(
    spec: Spec, saved_by_libreoffice: dict[str, list[Path]]
) -> None:
    """The audit compares LibreOffice's cached totals with the scoring core's: they agree (that is
    why the files above are clean), and they are real numbers for complete workbooks."""
    complete = 0
    for path in saved_by_libreoffice["filled"]:
        audited = audit_workbook(path, spec)
        assert audited.scores is not None
        cached = audited.data.value("total_score") if audited.data else None
        if isinstance(audited.scores.total, float):
            complete += 1
            assert cached == pytest.approx(audited.scores.total, rel=1e-12)
        else:
            assert cached == audited.scores.total
    assert complete >= 10


def test_tampering_shows_in_a_file_libreoffice_saved(
    spec: Spec, saved_by_libreoffice: dict[str, list[Path]], tmp_path: Path
) -> None:
    """Rewriting LibreOffice's XML (shared strings, aca formulas) is caught the same way."""
    path = saved_by_libreoffice["filled"][0]
    data = read_workbook(path)
    total = data.ref("total_score")
    score = data.ref(next(n for n in data.names if n.startswith("kpi_") and n.endswith("_score")))
    forged = rewrite(path, tmp_path / "forged.xlsx", {SCORECARD_PART: lambda x: set_value(x, total, "119.5")})
    assert found(audit_workbook(forged, spec)) == {("cached_value", "Scorecard", total)}
    overwritten = rewrite(
        path,
        tmp_path / "overwritten.xlsx",
        {
            SCORECARD_PART: lambda x: replace_cell(
                x, score, b'<c r="%s" s="%s" t="n"><v>120</v></c>' % (score.encode(), style_of(x, score))
            )
        },
    )
    assert ("formula_missing", "Scorecard", score) in found(audit_workbook(overwritten, spec))


def test_libreoffice_recalculates_a_forged_cache_away(
    spec: Spec, saved_by_libreoffice: dict[str, list[Path]], tmp_path: Path
) -> None:
    """A forged cached total is a finding until a spreadsheet recalculates and saves the file; a
    formula overwritten by a constant survives that round trip."""
    path = saved_by_libreoffice["filled"][1]
    data = read_workbook(path)
    total = data.ref("total_score")
    score = data.ref(next(n for n in data.names if n.startswith("kpi_") and n.endswith("_score")))
    forged = rewrite(path, tmp_path / "forged.xlsx", {SCORECARD_PART: lambda x: set_value(x, total, "119.5")})
    overwritten = rewrite(
        path,
        tmp_path / "overwritten.xlsx",
        {
            SCORECARD_PART: lambda x: replace_cell(
                x, score, b'<c r="%s" s="%s" t="n"><v>120</v></c>' % (score.encode(), style_of(x, score))
            )
        },
    )
    assert found(audit_workbook(forged, spec)) == {("cached_value", "Scorecard", total)}
    forged_again, overwritten_again = recalculate([forged, overwritten], tmp_path / "again")
    assert audit_workbook(forged_again, spec).verdict == "clean"
    assert ("formula_missing", "Scorecard", score) in found(audit_workbook(overwritten_again, spec))
