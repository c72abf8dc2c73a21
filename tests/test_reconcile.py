"""Regenerating into a folder with a ledger: every reconcile case on real files.

A small roster (five people of the sample) is generated, then changed as HR changes it (a
target, a manager, a role, someone leaving, someone joining), and generate runs again. The
tests read the ledger, the workbooks' _kpibook issue and entries, and the superseded folder.
"""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kpibook.errors import KpibookError
from kpibook.fill import fill_workbook, manager_actuals, patch_cells, rewrite_scorecard
from kpibook.generate import generate
from kpibook.layout import RoleLayout
from kpibook.manifest import MANIFEST, read_manifest
from kpibook.read import read_workbook
from kpibook.reconcile import CARRY, NEW, REISSUE, RESTORE, UNCHANGED, WITHDRAW
from kpibook.spec import Spec
from tests.common import ROOT, read_entries

SAMPLE = ROOT / "samples" / "roster.csv"
ENGLISH = {**os.environ, "LC_ALL": "en_US.UTF-8"}
SIGNED_ON = 46388.0  # 2027-01-01 as Excel stores a date


pytestmark = pytest.mark.usefixtures("english")  # tests/conftest.py


def sample_rows() -> list[dict[str, str]]:
    with open(SAMPLE, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))[:5]


def write_roster(path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def ledger(out: Path) -> dict[str, object]:
    return {e.employee_id: e for e in read_manifest(out / MANIFEST)}


def fill_in_place(path: Path, spec: Spec, sign: bool = True) -> dict[str, object]:
    """Types actuals, a comment and the sign-off into the workbook where it lies (a shared drive)."""
    role = spec.role(read_workbook(path).metadata["role_id"])
    actuals = manager_actuals(role, random.Random(7), na_rate=0)
    staged = path.with_suffix(".staged")
    fill_workbook(path, staged, spec, actuals, comments={role.kpis[0].id: "见 CRM 报表"})
    if sign:
        cells = RoleLayout(role, spec.grades).signoff_cells
        values = {
            cells["employee_signature"]: "王芳",
            cells["employee_date"]: SIGNED_ON,
            cells["manager_signature"]: "陈总监",
            cells["manager_date"]: SIGNED_ON,
            cells["overall_comment"]: "全年表现稳定",
        }
        rewrite_scorecard(staged, staged, lambda xml: patch_cells(xml, values))
    os.replace(staged, path)
    return actuals


@pytest.fixture()
def issued(tmp_path: Path, spec: Spec) -> tuple[Path, Path, list[dict[str, str]]]:
    rows = sample_rows()
    roster = write_roster(tmp_path / "roster.csv", rows)
    out = tmp_path / "out"
    first = generate(roster, "2026Q4", out, spec=spec)
    assert [c.action for c in first.changes] == [NEW] * 5
    return roster, out, rows


def actions(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.employee_id: c.action for c in result.changes}


def test_first_issue_names_the_period_and_writes_the_ledger(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = issued
    entries = ledger(out)
    entry = entries["E1001"]
    assert entry.file == "陈总监/E1001_王芳_2026Q4.xlsx"
    assert (entry.issue, entry.state, entry.period) == (1, "issued", "2026Q4")
    assert entry.spec_sha256 == spec.sha256 and len(entry.targets_sha256) == 64
    assert read_workbook(out / entry.file).metadata["issue"] == "1"
    assert (out / MANIFEST).read_bytes().startswith(b"\xef\xbb\xbf"), "BOM: Excel on Chinese Windows reads it right"
    assert entries["E1004"].manager_email == "wang.fang@example.com", "the manager's own roster row gives the address"


def test_nothing_changed_touches_nothing(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, _ = issued
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.xlsx")}
    again = generate(roster, "2026Q4", out, spec=spec)
    assert set(actions(again).values()) == {UNCHANGED} and not again.written and not again.refused
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.xlsx")} == before


def test_target_change_on_a_blank_workbook_reissues_it(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, rows = issued
    old = ledger(out)["E1001"]
    old_bytes = (out / old.file).read_bytes()
    rows[0]["target.sm_revenue"] = "6500000"
    again = generate(write_roster(roster, rows), "2026Q4", out, spec=spec)
    assert actions(again)["E1001"] == REISSUE and actions(again)["E1002"] == UNCHANGED
    new = ledger(out)["E1001"]
    assert (new.issue, new.state) == (2, "reissued") and new.targets_sha256 != old.targets_sha256
    assert read_workbook(out / new.file).metadata["issue"] == "2"
    assert '"sm_revenue": "6500000.0"' in read_workbook(out / new.file).metadata["targets"]
    moved = out / "superseded" / "E1001_王芳_2026Q4.issue1.xlsx"
    assert moved.read_bytes() == old_bytes, "the old issue is moved aside, never deleted"
    assert not again.refused


def test_target_change_on_a_filled_workbook_carries_every_entry(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, rows = issued
    path = out / ledger(out)["E1001"].file
    actuals = fill_in_place(path, spec)
    filled = read_entries(path)
    rows[0]["target.sm_revenue"] = "6500000"
    again = generate(write_roster(roster, rows), "2026Q4", out, spec=spec)
    assert actions(again)["E1001"] == CARRY and not again.refused
    assert read_entries(path) == filled, "actuals, comment and sign-off all carried into issue 2"
    audit = read_workbook(path)
    assert audit.metadata["issue"] == "2"
    assert all(audit.value(f"kpi_{k}_actual") == v for k, v in actuals.items())
    assert (out / "superseded" / "E1001_王芳_2026Q4.issue1.xlsx").exists()


def test_role_change_never_carries_actuals_and_asks_hr(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, rows = issued
    path = out / ledger(out)["E1001"].file
    fill_in_place(path, spec)
    rows[0]["role"] = "sales_specialist"
    rows[0]["target.sm_revenue"] = ""
    again = generate(write_roster(roster, rows), "2026Q4", out, spec=spec)
    change = next(c for c in again.changes if c.employee_id == "E1001")
    assert change.action == CARRY and change.not_carried
    assert all("actual:" in entry or "comment:" in entry for entry in change.not_carried)
    assert [p.where for p in again.refused] == [str(path)], "exit 1: HR must look at what was left behind"
    entries = read_entries(path)
    role = spec.role("sales_specialist")
    layout = RoleLayout(role, spec.grades)
    assert all(entries[f"Scorecard!{layout.kpi_cell(k.id, 'actual')}"] in (None, "") for k in role.kpis)
    assert entries[f"Scorecard!{layout.signoff_cells['employee_signature']}"] == "王芳", "sign-off still carried"


def test_manager_move_reissues_under_the_new_manager(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, rows = issued
    old_file = ledger(out)["E1004"].file
    rows[3]["manager"] = "陈总监"
    again = generate(write_roster(roster, rows), "2026Q4", out, spec=spec)
    assert actions(again)["E1004"] == REISSUE
    new = ledger(out)["E1004"]
    assert new.file.startswith("陈总监/") and (out / new.file).exists()
    assert not (out / old_file).exists(), "one current copy only: the old one is under superseded/"
    assert (out / "superseded" / f"{Path(old_file).stem}.issue1.xlsx").exists()


def test_someone_gone_is_withdrawn_and_their_file_kept(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, rows = issued
    blank_file = ledger(out)["E1005"].file
    filled_file = out / ledger(out)["E1004"].file
    fill_in_place(filled_file, spec, sign=False)
    again = generate(write_roster(roster, rows[:3]), "2026Q4", out, spec=spec)
    assert actions(again)["E1005"] == WITHDRAW and actions(again)["E1004"] == WITHDRAW
    assert ledger(out)["E1005"].state == "withdrawn" and (out / blank_file).exists()
    assert [p.where for p in again.refused] == [str(filled_file)], "withdrawn with entries: HR decides"
    back = generate(write_roster(roster, rows), "2026Q4", out, spec=spec)
    assert actions(back)["E1005"] == REISSUE and ledger(out)["E1005"].issue == 2


def test_a_damaged_workbook_is_moved_aside_and_reported(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, rows = issued
    path = out / ledger(out)["E1001"].file
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    rows[0]["target.sm_revenue"] = "6500000"
    again = generate(write_roster(roster, rows), "2026Q4", out, spec=spec)
    change = next(c for c in again.changes if c.employee_id == "E1001")
    assert change.action == CARRY and "cannot be read" in change.not_carried[0]
    assert [p.where for p in again.refused] == [str(path)]
    assert (out / "superseded" / "E1001_王芳_2026Q4.issue1.xlsx").read_bytes() == b"PK\x03\x04 not really a workbook"
    assert read_workbook(path).metadata["issue"] == "2"


def test_new_employee_and_a_deleted_file(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, rows = issued
    (out / ledger(out)["E1002"].file).unlink()
    extra = dict(rows[1], employee_id="E2001", name="新人", email="")
    again = generate(write_roster(roster, rows + [extra]), "2026Q4", out, spec=spec)
    assert actions(again)["E2001"] == NEW and actions(again)["E1002"] == RESTORE
    assert ledger(out)["E1002"].issue == 1 and (out / ledger(out)["E1002"].file).exists()


def test_dry_run_writes_nothing(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, rows = issued
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    rows[0]["target.sm_revenue"] = "6500000"
    plan = generate(write_roster(roster, rows), "2026Q4", out, spec=spec, dry_run=True)
    assert actions(plan)["E1001"] == REISSUE and plan.manifest is None
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert any("dry run" in line for line in plan.change_lines())


def test_another_period_is_refused_naming_a_folder(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, _ = issued
    with pytest.raises(KpibookError) as raised:
        generate(roster, "2027Q1", out, spec=spec)
    assert "2026Q4" in str(raised.value) and "out-2027Q1" in str(raised.value)
    done = subprocess.run(
        [sys.executable, "-m", "kpibook", "generate", "--roster", str(roster), "--period", "2027Q1", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=ENGLISH,
    )  # fmt: skip
    assert done.returncode == 2 and "2026Q4" in done.stderr and "Traceback" not in done.stderr


def test_cli_prints_one_line_per_change_and_exits_1_when_hr_must_act(issued, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    roster, out, rows = issued
    fill_in_place(out / ledger(out)["E1005"].file, spec, sign=False)
    write_roster(roster, rows[:4])
    command = [sys.executable, "-m", "kpibook", "generate", "--roster", str(roster), "--period", "2026Q4"]
    done = subprocess.run(command + ["--out", str(out)], capture_output=True, text=True, cwd=ROOT, env=ENGLISH)
    assert done.returncode == 1, done.stderr
    assert "withdraw  E1005" in done.stdout and "1 withdrawn, 4 unchanged" in done.stdout
    assert "holds entries" in done.stderr


def test_outputs_get_the_umasks_permissions(tmp_path: Path, spec: Spec) -> None:
    previous = os.umask(0o027)
    try:
        result = generate(write_roster(tmp_path / "r.csv", sample_rows()), "2026Q4", tmp_path / "out", spec=spec)
    finally:
        os.umask(previous)
    for path in [*result.written, result.manifest]:
        assert path is not None and path.stat().st_mode & 0o777 == 0o666 & ~0o027, path


@pytest.mark.libreoffice
def test_carried_issue_recalculates_in_libreoffice_and_consolidates_ok(
    soffice: str, issued, spec: Spec, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The new issue with carried entries, opened and saved by LibreOffice, computes what the
    scoring core computes from the carried actuals and the new target, and consolidate (with
    the ledger) counts it ok."""
    from kpibook import scoring
    from kpibook.consolidate import consolidate
    from tests.lo import cached_values, recalculate

    roster, out, rows = issued
    path = out / ledger(out)["E1001"].file
    actuals = fill_in_place(path, spec)
    rows[0]["target.sm_revenue"] = "6500000"
    generate(write_roster(roster, rows), "2026Q4", out, spec=spec)
    (saved,) = recalculate([path], tmp_path / "lo")
    role = spec.role("sales_manager")
    layout = RoleLayout(role, spec.grades)
    targets = {k.id: k.target for k in role.kpis} | {"sm_revenue": 6_500_000.0}
    want = scoring.score_role(role, spec.grades, actuals, targets)
    got = cached_values(saved, "Scorecard")
    assert got[layout.total_cell] == pytest.approx(want.total) and got[layout.grade_cell] == want.grade
    result = consolidate([saved], tmp_path / "summary.xlsx", spec=spec, manifest=out / MANIFEST)
    row = next(r for r in result.employees if r.employee_id == "E1001")
    assert row.status == "ok" and row.total_score == pytest.approx(want.total), [i.line() for i in result.issues]
    assert str(row.signoff["signoff.employee_date"]) == "2027-01-01", "the date survives LibreOffice as a date"
