"""Consolidate and audit in the cycle, on real files: the ledger (superseded, withdrawn, targets
digest), keys that were not given, the sign-off columns and --require-signoff.

Five people are issued with HR's key, their workbooks filled as managers would, and returned.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from kpibook.audit import audit
from kpibook.consolidate import consolidate
from kpibook.errors import KpibookError
from kpibook.fill import fill_workbook, manager_actuals, patch_cells, rewrite_scorecard
from kpibook.fingerprint import DEMO_KEY, Key, key_of, load_key
from kpibook.generate import generate
from kpibook.layout import RoleLayout
from kpibook.manifest import MANIFEST, read_manifest
from kpibook.read import read_workbook
from kpibook.records import SIGNOFF_COLUMNS
from kpibook.spec import Spec
from kpibook.summary import EMPLOYEES_HEADER_ROW
from tests.test_audit import METADATA_PART, SCORECARD_PART, rewrite, set_value
from tests.test_reconcile import sample_rows, write_roster

HR_SECRET = b"the HR key of the cycle tests, 40 bytes long"
ENGLISH = {**os.environ, "LC_ALL": "en_US.UTF-8"}
SIGNED_ON = 46392.0  # 2027-01-05


@dataclass
class Cycle:
    roster: Path
    out: Path  # the issued workbooks and the ledger
    returned: Path  # what managers sent back
    rows: list[dict[str, str]]
    key: Key

    @property
    def manifest(self) -> Path:
        return self.out / MANIFEST

    def current(self, employee_id: str) -> Path:
        return self.out / next(e.file for e in read_manifest(self.manifest) if e.employee_id == employee_id)

    def returned_copy(self, employee_id: str) -> Path:
        return next(self.returned.rglob(f"{employee_id}_*.xlsx"))


pytestmark = pytest.mark.usefixtures("english")  # tests/conftest.py


def fill(source: Path, dest: Path, spec: Spec, signoff: dict[str, object] | None = None) -> Path:
    role = spec.role(read_workbook(source).metadata["role_id"])
    fill_workbook(source, dest, spec, manager_actuals(role, random.Random(source.name), na_rate=0))
    if signoff:
        cells = RoleLayout(role, spec.grades).signoff_cells
        values = {cells[k]: v for k, v in signoff.items()}
        rewrite_scorecard(dest, dest, lambda xml: patch_cells(xml, values))
    return dest


@pytest.fixture()
def cycle(tmp_path: Path, spec: Spec) -> Cycle:
    rows = sample_rows()
    roster = write_roster(tmp_path / "roster.csv", rows)
    key = key_of(HR_SECRET)
    generate(roster, "2026Q4", tmp_path / "out", spec=spec, key=key)
    result = Cycle(roster, tmp_path / "out", tmp_path / "returned", rows, key)
    for entry in read_manifest(result.manifest):
        fill(result.out / entry.file, result.returned / entry.file, spec)
    return result


def run(cycle: Cycle, spec: Spec, tmp_path: Path, key: Key | None = None, **options: object):  # type: ignore[no-untyped-def]
    return consolidate(
        [cycle.returned], tmp_path / "summary.xlsx", spec=spec, manifest=cycle.manifest, key=key or cycle.key, **options
    )


def by_id(result) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {r.employee_id: r for r in result.employees}


def codes_of(result, name: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {i.code for i in result.issues if Path(i.file).name == name}


def test_all_returned_and_verified_is_ok(cycle: Cycle, spec: Spec, tmp_path: Path) -> None:
    result = run(cycle, spec, tmp_path)
    assert result.counts["ok"] == 5 and result.exit_code == 0, [i.line() for i in result.problems]


def test_superseded_copy_is_rejected_naming_the_current_file(cycle: Cycle, spec: Spec, tmp_path: Path) -> None:
    cycle.rows[0]["target.sm_revenue"] = "6500000"
    generate(write_roster(cycle.roster, cycle.rows), "2026Q4", cycle.out, spec=spec, key=cycle.key)
    current = read_manifest(cycle.manifest)[0]
    old = cycle.returned_copy("E1001")
    result = run(cycle, spec, tmp_path)
    row = by_id(result)["E1001"]
    assert row.status == "rejected"
    (issue,) = [i for i in result.issues if i.code == "superseded"]
    assert issue.file == str(old) and current.file in issue.message and "issue 1" in issue.message
    # the manager then sends the current issue too: it counts, the old copy stays in Issues
    fill(cycle.current("E1001"), cycle.returned / "inbox" / Path(current.file).name, spec)
    again = run(cycle, spec, tmp_path)
    assert by_id(again)["E1001"].status == "ok" and "superseded" in codes_of(again, old.name)


def test_withdrawn_employee_is_reported_not_counted(cycle: Cycle, spec: Spec, tmp_path: Path) -> None:
    generate(write_roster(cycle.roster, cycle.rows[:4]), "2026Q4", cycle.out, spec=spec, key=cycle.key)
    result = run(cycle, spec, tmp_path)
    assert "E1005" not in by_id(result) and len(result.employees) == 4
    (issue,) = [i for i in result.issues if i.code == "withdrawn"]
    assert issue.severity == "warning" and "E1005" in issue.message and result.exit_code == 1


def tamper_targets(path: Path, dest: Path, spec: Spec, hidden_too: bool) -> Path:
    """Raises the first KPI's target in the visible cell (and, with `hidden_too`, in the signed
    copy in _kpibook), as someone who unprotected the sheets would."""
    md = read_workbook(path).metadata
    layout = RoleLayout(spec.role(md["role_id"]), spec.grades)
    kpi = layout.role.kpis[0].id
    targets = json.loads(md["targets"])
    lower = float(targets[kpi]) * 0.5
    edits = {SCORECARD_PART: lambda xml: set_value(xml, layout.kpi_cell(kpi, "target"), repr(lower))}
    if hidden_too:
        forged = json.dumps(dict(targets, **{kpi: repr(lower)}), sort_keys=True)
        edits[METADATA_PART] = lambda xml: xml.replace(md["targets"].encode(), forged.encode())
    return rewrite(path, dest, edits)


@pytest.mark.parametrize("hidden_too", [False, True], ids=["visible cell", "visible and hidden copies"])
def test_tampered_target_is_caught_with_and_without_the_key(
    cycle: Cycle, spec: Spec, tmp_path: Path, hidden_too: bool
) -> None:
    victim = cycle.returned_copy("E1002")
    tamper_targets(victim, victim, spec, hidden_too)
    with_key = run(cycle, spec, tmp_path)
    assert by_id(with_key)["E1002"].status == "rejected" and by_id(with_key)["E1001"].status == "ok"
    expected = {"audit.fingerprint_mismatch"} if hidden_too else {"audit.target_changed"}
    assert codes_of(with_key, victim.name) >= expected
    without = run(cycle, spec, tmp_path, key=load_key_demo())
    assert by_id(without)["E1002"].status == "rejected"
    tampered_codes = codes_of(without, victim.name)
    assert ("targets.ledger" if hidden_too else "audit.target_changed") in tampered_codes, tampered_codes
    clean = codes_of(without, cycle.returned_copy("E1001").name)
    assert "unverifiable" in clean and "targets.ledger" not in clean, "clean and tampered read differently"


def load_key_demo() -> Key:
    return Key(DEMO_KEY, "demo")


def test_nothing_unverifiable_is_ok_and_all_unverifiable_is_one_message(
    cycle: Cycle, spec: Spec, tmp_path: Path
) -> None:
    other = key_of(b"some other key that HR never used")
    with pytest.raises(KpibookError) as raised:
        run(cycle, spec, tmp_path, key=other)
    assert len(raised.value.problems) == 1 and cycle.key.key_id in str(raised.value)
    assert not (tmp_path / "summary.xlsx").exists()
    stranger = generate(
        write_roster(tmp_path / "one.csv", cycle.rows[:1]), "2026Q4", tmp_path / "x", spec=spec, key=other
    )
    fill(stranger.written[0], cycle.returned / "inbox" / "E1001_other_key.xlsx", spec)
    shutil.rmtree(cycle.returned / "陈总监")
    mixed = run(cycle, spec, tmp_path)
    (issue,) = [i for i in mixed.issues if i.code == "unverifiable"]
    assert other.key_id in issue.message and "--key-file" in issue.message
    assert "ok" not in {r.status for r in mixed.employees if r.employee_id == "E1001"}


def test_cli_key_file_and_the_one_key_rule(cycle: Cycle, tmp_path: Path) -> None:
    key_file = tmp_path / "hr.key"
    key_file.write_bytes(HR_SECRET + b"\n")
    base = [sys.executable, "-m", "kpibook", "consolidate", str(cycle.returned), "--manifest", str(cycle.manifest)]
    done = subprocess.run(base + ["--out", str(tmp_path / "s.xlsx")], capture_output=True, text=True, env=ENGLISH)
    assert done.returncode == 2 and "key id" in done.stderr and done.stderr.count("\n") <= 2, done.stderr
    keyed = subprocess.run(
        base + ["--out", str(tmp_path / "s.xlsx"), "--key-file", str(key_file)], capture_output=True, text=True
    )
    assert keyed.returncode == 0, keyed.stderr
    short = {**ENGLISH, "KPIBOOK_KEY": "13 bytes key!"}
    for env in (short, {**ENGLISH, "KPIBOOK_KEY_FILE": str(write(tmp_path / "k", b"13 bytes key!"))}):
        refused = subprocess.run(base + ["--out", str(tmp_path / "t.xlsx")], capture_output=True, text=True, env=env)
        assert refused.returncode == 2 and "shorter than 16" in refused.stderr
    help_text = subprocess.run(base[:4] + ["--help"], capture_output=True, text=True).stdout
    assert "at least 16 bytes" in help_text and "KPIBOOK_KEY" in help_text
    assert load_key(key_file).key_id == cycle.key.key_id, "a key file's line end is ignored"


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_audit_says_cannot_verify_apart_from_tampered(cycle: Cycle, spec: Spec, tmp_path: Path) -> None:
    clean = cycle.returned_copy("E1001")
    nobody = audit([clean], spec=spec, key=load_key_demo())
    assert nobody.workbooks[0].verdict == "unverifiable" and nobody.exit_code == 2
    assert (
        "CANNOT VERIFY" in nobody.workbooks[0].verdict_line() and cycle.key.key_id in nobody.workbooks[0].verdict_line()
    )
    tampered = tamper_targets(clean, tmp_path / "tampered.xlsx", spec, hidden_too=False)
    both = audit([clean, tampered], spec=spec, key=load_key_demo())
    assert [w.verdict for w in both.workbooks] == ["unverifiable", "findings"] and both.exit_code == 1
    assert audit([clean], spec=spec, key=cycle.key).exit_code == 0


def test_signoff_columns_dates_and_require_signoff(cycle: Cycle, spec: Spec, tmp_path: Path) -> None:
    signed = cycle.returned_copy("E1001")
    both = {"employee_signature": "王芳", "employee_date": SIGNED_ON, "manager_signature": "陈总监"}
    fill(cycle.current("E1001"), signed, spec, both | {"manager_date": SIGNED_ON, "overall_comment": "稳定"})
    bad_date = cycle.returned_copy("E1002")
    fill(cycle.current("E1002"), bad_date, spec, both | {"manager_date": "下周一"})
    result = run(cycle, spec, tmp_path, csv=tmp_path / "summary.csv")
    row = by_id(result)["E1001"]
    assert row.signoff["signoff.employee_date"] == dt.date(2027, 1, 5) and row.signoff["overall_comment"] == "稳定"
    layout = RoleLayout(spec.role("sales_manager"), spec.grades)
    (date_issue,) = [i for i in result.issues if i.code == "signoff.date"]
    assert date_issue.cell == layout.signoff_cells["manager_date"] and "下周一" in date_issue.message
    ws = openpyxl.load_workbook(result.out)["Employees"]
    header = [c.value for c in ws[EMPLOYEES_HEADER_ROW]]  # row 1 holds the Chinese labels
    assert header[-5:] == list(SIGNOFF_COLUMNS)
    first = next(r for r in ws.iter_rows(min_row=EMPLOYEES_HEADER_ROW + 1) if r[0].value == "E1001")
    date_cell = first[header.index("signoff.employee_date")]
    assert date_cell.is_date and date_cell.value.date() == dt.date(2027, 1, 5), "a real date, not text"
    assert "2027-01-05" in (tmp_path / "summary.csv").read_text(encoding="utf-8-sig")
    from kpibook.summary_read import read_summary

    signed = read_summary(result.out, key=cycle.key)  # the signed summary verifies with its dates
    assert len(signed.employees) == 5
    required = run(cycle, spec, tmp_path, require_signoff=True)
    statuses = {r.employee_id: r.status for r in required.employees}
    assert statuses == {"E1001": "ok", "E1002": "incomplete", "E1003": "incomplete", "E1004": "incomplete",
                        "E1005": "incomplete"}  # fmt: skip
    missing = [i for i in required.issues if i.code == "signoff.missing" and Path(i.file).name == bad_date.name]
    assert len(missing) == 1 and "manager" in missing[0].message
