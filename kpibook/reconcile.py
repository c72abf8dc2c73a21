"""Reconcile: what `generate` does in a folder that already holds a period's ledger.

The roster and spec are compared with the ledger (kpibook.manifest), one employee at a time:

    new        not in the ledger: a new workbook, issue 1
    reissue    name, role, department, manager, targets or spec changed (or --force), and the
               workbook is blank: a new issue; the old file is moved aside, never deleted
    carry      the same, but the workbook holds entries: a new issue with every entry that
               still has a place carried over (actuals, comments, sign-off); a role change
               never carries actuals. Entries that could not be carried are listed for HR
    restore    unchanged, but the file is gone from the folder: written again, same issue
    withdraw   gone from the roster: marked withdrawn in the ledger, the file is kept
    unchanged  nothing to do

`plan_reconcile` only reads; `apply_plan` writes. Superseded files go to DIR/superseded/ as
<name>.issue<N>.xlsx, so nothing that was issued (or filled in) is ever lost.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.build import RoleTemplate
from kpibook.errors import OutputError, Problem
from kpibook.fill import patch_cells, patch_scorecard
from kpibook.layout import COLUMNS, RoleLayout
from kpibook.manifest import ISSUED, REISSUED, WITHDRAWN, ManifestEntry, manifest_entry, targets_digest
from kpibook.messages import t
from kpibook.outputs import atomic_write
from kpibook.period import Period
from kpibook.read import UnreadableWorkbook, WorkbookData, read_workbook
from kpibook.roster import Employee, safe_file_part
from kpibook.spec import Spec

NEW, REISSUE, CARRY, RESTORE, WITHDRAW, UNCHANGED = "new", "reissue", "carry", "restore", "withdraw", "unchanged"
SUPERSEDED_DIR = "superseded"
SIGNOFF_LABEL = "综合评语"  # how column A of the sign-off block's first row starts (build.py)
SIGNOFF_KEYS = ("overall_comment", "employee_signature", "employee_date", "manager_signature", "manager_date")


@dataclass
class Change:
    """What reconcile does (or, with --dry-run, would do) for one employee."""

    action: str
    employee_id: str
    name: str
    file: str  # the current file after the change, relative to DIR
    issue: int
    reasons: list[str] = field(default_factory=list)  # what changed, in words
    not_carried: list[str] = field(default_factory=list)  # entries that had no place in the new issue
    employee: Employee | None = None
    entry: ManifestEntry | None = None  # the ledger's row before the change
    moved_to: str = ""  # where the superseded file went

    @property
    def needs_hr(self) -> bool:
        return bool(self.not_carried) or (self.action == WITHDRAW and bool(self.reasons))

    def line(self) -> str:
        """One line for the terminal: action, who, file, why."""
        text = t(f"cycle.action.{self.action}", id=self.employee_id, name=self.name, file=self.file, issue=self.issue)
        if self.reasons:
            text += f" ({'; '.join(self.reasons)})"
        if self.moved_to:
            text += " " + t("cycle.moved", path=self.moved_to)
        for entry in self.not_carried:
            text += "\n    " + t("cycle.not_carried", entry=entry)
        return text


def workbook_path(employee: Employee, period: Period | str) -> Path:
    """<manager>/<employee_id>_<name>_<PERIOD>.xlsx: derived from id and name, always sanitised."""
    label = period.label if isinstance(period, Period) else period
    stem = f"{safe_file_part(employee.employee_id)}_{safe_file_part(employee.name)}_{safe_file_part(label)}"
    return Path(safe_file_part(employee.manager)) / f"{stem}.xlsx"


# ---------------------------------------------------------------------------------------
# The plan (reads only)
# ---------------------------------------------------------------------------------------


def plan_reconcile(
    employees: Sequence[Employee],
    spec: Spec,
    period: Period,
    ledger: Sequence[ManifestEntry],
    out: Path,
    force: bool = False,
) -> list[Change]:
    """One Change per employee of the roster and per ledger row no longer on it."""
    known = {e.employee_id: e for e in ledger}
    changes = [_plan_one(employee, known.get(employee.employee_id), spec, period, out, force) for employee in employees]
    on_roster = {e.employee_id for e in employees}
    for entry in ledger:
        if entry.employee_id in on_roster:
            continue
        change = Change(UNCHANGED, entry.employee_id, entry.employee_name, entry.file, entry.issue, entry=entry)
        if not entry.withdrawn:
            change.action = WITHDRAW
            if holds_entries(out / entry.file, entry.sha256):
                change.reasons.append(t("cycle.withdrawn_with_entries"))
        changes.append(change)
    return changes


def _plan_one(
    employee: Employee, entry: ManifestEntry | None, spec: Spec, period: Period, out: Path, force: bool
) -> Change:
    relative = workbook_path(employee, period).as_posix()
    if entry is None:
        return Change(NEW, employee.employee_id, employee.name, relative, 1, employee=employee)
    reasons = differences(entry, employee, spec)
    if entry.withdrawn:
        reasons.append(t("cycle.reason.back"))
    if force and not reasons:
        reasons.append("--force")
    change = Change(
        UNCHANGED, employee.employee_id, employee.name, relative, entry.issue, reasons, employee=employee, entry=entry
    )
    if reasons:
        change.issue = entry.issue + 1
        change.action = CARRY if holds_entries(out / entry.file, entry.sha256) else REISSUE
        if change.action == CARRY:
            old = old_entries(out / entry.file)
            change.not_carried = split_entries(old, spec, employee.role_id, employee.role_id != entry.role_id)[3]
    elif not (out / entry.file).exists():
        change.action, change.file = RESTORE, entry.file
    else:
        change.file = entry.file
    return change


def differences(entry: ManifestEntry, employee: Employee, spec: Spec) -> list[str]:
    """What changed since the ledger's issue, in words ("manager 陈总监 -> 王芳")."""
    reasons = [
        f"{t(f'cycle.field.{field_name}')} {before} -> {after}"
        for field_name, before, after in (
            ("name", entry.employee_name, employee.name),
            ("role", entry.role_id, employee.role_id),
            ("department", entry.department, employee.department),
            ("manager", entry.manager, employee.manager),
        )
        if before != after
    ]
    if entry.targets_sha256 and entry.targets_sha256 != targets_digest(employee.all_targets(spec)):
        reasons.append(t("cycle.reason.targets"))
    if entry.spec_sha256 and entry.spec_sha256 != spec.sha256:
        reasons.append(t("cycle.reason.spec"))
    return reasons


def holds_entries(path: Path, issued_sha256: str = "") -> bool:
    """True when the workbook at `path` has anything typed into an input cell, or cannot be read
    well enough to tell (then it must not be treated as blank either). A file whose bytes are
    still those the ledger issued (`issued_sha256`) is blank without being parsed."""
    if not path.exists():
        return False
    if issued_sha256 and _sha256(path) == issued_sha256:
        return False
    try:
        return any(v not in (None, "") for v in _entries(read_workbook(path)).values())
    except (UnreadableWorkbook, OSError):
        return True


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def old_entries(path: Path) -> dict[str, object]:
    """The entries of the issue being replaced; a file that cannot be read is one entry that
    cannot be carried (it is moved aside like any other, and HR is told)."""
    try:
        return _entries(read_workbook(path))
    except UnreadableWorkbook as exc:
        return {"file": t("cycle.unreadable", reason=exc.message)}
    except OSError as exc:
        return {"file": t("cycle.unreadable", reason=exc.strerror)}


# ---------------------------------------------------------------------------------------
# Carrying entries
# ---------------------------------------------------------------------------------------


def _entries(data: WorkbookData) -> dict[str, object]:
    """A workbook's entries by what they are, whatever layout it has: "actual:<kpi>",
    "comment:<kpi>" and the sign-off keys of RoleLayout.signoff_cells."""
    found: dict[str, object] = {}
    for name in data.names:
        if name.startswith("kpi_") and name.endswith("_actual"):
            kpi_id, ref = name[4:-7], data.ref(name)
            found[f"actual:{kpi_id}"] = data.value(name)
            row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ$").replace("$", "")
            comment = data.cells.get(f"{COLUMNS['comment']}{row}")
            found[f"comment:{kpi_id}"] = comment.value if comment else None
    label_row = next(
        (
            ref[1:]
            for ref, cell in data.cells.items()
            if ref[:1] == "A" and ref[1:].isdigit() and str(cell.value).startswith(SIGNOFF_LABEL)
        ),
        "",
    )
    if label_row:
        r = int(label_row)
        cells = {"overall_comment": f"C{r}", "employee_signature": f"C{r + 1}", "employee_date": f"H{r + 1}"}
        cells |= {"manager_signature": f"C{r + 2}", "manager_date": f"H{r + 2}"}
        for key, ref in cells.items():
            cell = data.cells.get(ref)
            found[key] = cell.value if cell else None
    return {k: v for k, v in found.items() if v not in (None, "")}


def split_entries(
    entries: dict[str, object], spec: Spec, role_id: str, role_changed: bool
) -> tuple[dict[str, object], dict[str, str], dict[str, object], list[str]]:
    """(actuals, comments by KPI id, sign-off by key, entries left behind) for the new issue."""
    kpi_ids = {k.id for k in spec.role(role_id).kpis}
    actuals: dict[str, object] = {}
    comments: dict[str, str] = {}
    signoff: dict[str, object] = {}
    left: list[str] = []
    for key, value in entries.items():
        kind, _, kpi_id = key.partition(":")
        if key == "file":  # the old file could not be read (old_entries)
            left.append(str(value))
        elif kind == "actual" and kpi_id in kpi_ids and not role_changed:
            actuals[kpi_id] = value
        elif kind == "comment" and kpi_id in kpi_ids:
            comments[kpi_id] = str(value)
        elif key in SIGNOFF_KEYS:
            signoff[key] = value
        else:
            why = t("cycle.why.role") if role_changed and kind == "actual" else t("cycle.why.kpi_gone")
            left.append(f"{key} = {value!r} ({why})")
    return actuals, comments, signoff, left


def carried_bytes(
    template: RoleTemplate, employee: Employee, issue: int, old: Path, role_changed: bool
) -> tuple[bytes, list[str]]:
    """The new issue's bytes with the old file's entries typed in, and the entries left behind."""
    layout: RoleLayout = template.layout
    split = split_entries(old_entries(old), template.spec, employee.role_id, role_changed)
    actuals, comments, signoff, left = split
    values = layout.cell_values(actuals, employee.all_targets(template.spec), comments)
    values |= {layout.signoff_cells[key]: value for key, value in signoff.items()}
    return patch_scorecard(template.stamp(employee, issue), lambda xml: patch_cells(xml, values)), left


# ---------------------------------------------------------------------------------------
# Applying the plan (writes)
# ---------------------------------------------------------------------------------------


def apply_plan(
    changes: Sequence[Change],
    out: Path,
    spec: Spec,
    period: Period,
    template_of: Callable[[str], RoleTemplate],
    progress: Callable[[int, int], None] | None = None,
) -> list[ManifestEntry]:
    """Carries out the plan under `out`; returns the ledger's new rows (roster order, then the
    withdrawn). Old files are moved to out/superseded/, never deleted or overwritten."""
    manager_emails = {c.employee.name: c.employee.email for c in changes if c.employee and c.employee.email}
    rows: list[ManifestEntry] = []
    for done, change in enumerate(changes, 1):
        rows.append(_apply_one(change, out, spec, period, template_of, manager_emails))
        if progress:
            progress(done, len(changes))
    return rows


def _apply_one(
    change: Change,
    out: Path,
    spec: Spec,
    period: Period,
    template_of: Callable[[str], RoleTemplate],
    manager_emails: dict[str, str],
) -> ManifestEntry:
    entry, employee = change.entry, change.employee
    if change.action in (WITHDRAW, UNCHANGED) and entry is not None:
        state = WITHDRAWN if change.action == WITHDRAW or employee is None else entry.state
        return entry.replace(state=state)
    assert employee is not None
    template = template_of(employee.role_id)
    target = out / change.file
    if change.action == CARRY and entry is not None:
        data, change.not_carried = carried_bytes(
            template, employee, change.issue, out / entry.file, employee.role_id != entry.role_id
        )
    else:
        data = template.stamp(employee, change.issue)
    if change.action in (REISSUE, CARRY) and entry is not None:
        change.moved_to = move_aside(out, out / entry.file, entry.issue)
    if target.exists():  # not the ledger's file (or a leftover): kept beside, never overwritten
        moved = move_aside(out, target, 0)
        change.moved_to = change.moved_to or moved
    atomic_write(target, data)
    state = (
        ISSUED if change.action == NEW or (change.action == RESTORE and entry and entry.state == ISSUED) else REISSUED
    )
    return manifest_entry(
        employee.employee_id,
        employee.name,
        employee.role_id,
        employee.department,
        employee.manager,
        period.label,
        Path(change.file),
        data,
        issue=change.issue,
        state=state,
        spec_sha256=spec.sha256,
        targets_sha256=targets_digest(employee.all_targets(spec)),
        email=employee.email,
        manager_email=manager_emails.get(employee.manager, ""),
    )


def move_aside(out: Path, path: Path, issue: int) -> str:
    """Moves `path` into out/superseded/ under a name no other file has; returns the new path
    relative to `out` ("" when there was nothing to move)."""
    if not path.exists():
        return ""
    folder = out / SUPERSEDED_DIR
    folder.mkdir(exist_ok=True)
    tag = f".issue{issue}" if issue else ".unlisted"
    for n in range(1, 10_000):
        candidate = folder / f"{path.stem}{tag}{'' if n == 1 else f'.{n}'}{path.suffix}"
        if not os.path.lexists(candidate):
            os.rename(path, candidate)
            return candidate.relative_to(out).as_posix()
    raise OutputError([Problem(str(folder), t("cycle.too_many_superseded", file=path.name))])


def needs_hr_problems(changes: Sequence[Change], out: Path) -> list[Problem]:
    """What HR must look at after the run: entries not carried, withdrawn employees with entries."""
    problems = []
    for change in changes:
        if change.not_carried:
            problems.append(Problem(str(out / change.file), t("cycle.hr.not_carried", count=len(change.not_carried))))
        if change.action == WITHDRAW and change.reasons:
            problems.append(Problem(str(out / change.file), t("cycle.hr.withdrawn")))
    return problems
