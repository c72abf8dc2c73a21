"""The cycle's checks of returned workbooks, for consolidate (and status):

- against the ledger (kpibook.manifest): a superseded issue is rejected naming the current
  file, a newer one than the ledger knows is rejected, a withdrawn employee's workbook is
  reported and not counted, and the signed targets must match the ledger's digest, so a target
  edited in both the visible cell and the hidden copy is caught even without HR's key;
- the key: a workbook whose fingerprint cannot be verified (signed with a key that was not
  given) is never ok; when that is true of every workbook, one message instead of one per file;
- the sign-off (kpibook.signoff).

The functions work on consolidate's per-file outcomes through the small `Returned` protocol,
so consolidate imports this module and not the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from kpibook.audit import WorkbookAudit
from kpibook.discover import ERROR, WARNING
from kpibook.errors import KpibookError, Problem
from kpibook.layout import RoleLayout
from kpibook.manifest import ManifestEntry, targets_digest
from kpibook.messages import t
from kpibook.records import INCOMPLETE, OK, Issue
from kpibook.signoff import read_signoff
from kpibook.spec import Spec

UNVERIFIABLE = "unverifiable"  # the Issue code of a workbook signed with a key that was not given


class Returned(Protocol):
    file: str
    status: str
    employee_id: str
    employee_name: str
    issue: int
    targets_sha256: str
    unverified_key: str
    issues: list[Issue]

    def reject(self, issue: Issue) -> None: ...


def issue_number(audit: WorkbookAudit) -> int:
    """The workbook's issue number (1 for workbooks from before the ledger had one)."""
    text = (audit.data.metadata.get("issue", "") if audit.data else "").strip()
    return int(text) if text.isdigit() else 1


def signed_targets_digest(audit: WorkbookAudit) -> str:
    return targets_digest(audit.targets) if audit.targets else ""


def unverified_key(audit: WorkbookAudit) -> str:
    """The id of the key a workbook was signed with when this run's key cannot check it, else ""."""
    if not any(f.code == "key_unknown" for f in audit.findings):
        return ""
    return (audit.data.metadata.get("key_id", "") if audit.data else "") or "?"


def reject_unverifiable(outcome: Returned, key_id: str, sheet: str, cell: str) -> None:
    """Never ok without verification: the key_unknown warning becomes a rejection naming the key."""
    outcome.issues = [i for i in outcome.issues if i.code != "audit.key_unknown"]
    outcome.reject(Issue(outcome.file, sheet, cell, ERROR, t("key.unverifiable", key_id=key_id), UNVERIFIABLE))


def refuse_all_unverifiable(outcomes: Sequence[Returned]) -> None:
    """Exit 2 with one message when no workbook at all could be verified with the key given and
    nothing else is wrong with any of them (a tampered target is still reported file by file)."""
    recognised = [o for o in outcomes if o.employee_id]
    if recognised and all(_only_unverifiable(o) for o in recognised):
        key_ids = ", ".join(sorted({o.unverified_key for o in recognised}))
        message = t("key.all_unverifiable", count=len(recognised), key_ids=key_ids)
        raise KpibookError([Problem("--key-file", message)])


def _only_unverifiable(o: Returned) -> bool:
    return bool(o.unverified_key) and all(i.code == UNVERIFIABLE for i in o.issues if i.severity == ERROR)


def apply_signoff(outcome: Returned, audit: WorkbookAudit, spec: Spec, require: bool) -> dict[str, object]:
    """The sign-off values for the summary; bad dates reported at their cell; with `require`, an
    ok workbook without both sign-offs becomes incomplete."""
    if audit.data is None or audit.role_id not in spec.role_ids:
        return {}
    layout = RoleLayout(spec.role(audit.role_id), spec.grades)
    shown, issues, complete = read_signoff(audit.signoff, layout, outcome.file, audit.data.scorecard, require)
    outcome.issues += issues
    if not complete and outcome.status == OK:
        outcome.status = INCOMPLETE
    return shown


def check_ledger(by_id: dict[str, list[Returned]], entries: Sequence[ManifestEntry], issues: list[Issue]) -> None:
    """Superseded, newer, withdrawn and tampered-target workbooks, against the ledger's rows.

    A withdrawn employee's workbooks leave `by_id` (reported in `issues`, not counted); when an
    employee sent the current issue besides older ones, only the current one stays in the group."""
    for entry in entries:
        group = by_id.get(entry.employee_id)
        if not group:
            continue
        if entry.withdrawn:
            for o in by_id.pop(entry.employee_id):
                message = t("ledger.withdrawn", id=entry.employee_id, name=entry.employee_name)
                issues.append(Issue(o.file, "", "", WARNING, message, "withdrawn"))
            continue
        for o in group:
            _check_one(o, entry)
        current = [o for o in group if o.issue == entry.issue]
        if current:
            group[:] = current  # the superseded copies stay in Issues only


def _check_one(o: Returned, entry: ManifestEntry) -> None:
    fields = {"found": o.issue, "current": entry.issue, "current_file": entry.file}
    if o.issue < entry.issue:
        o.reject(Issue(o.file, "", "", ERROR, t("ledger.superseded", lang=None, **fields), "superseded"))
    elif o.issue > entry.issue:
        o.reject(Issue(o.file, "", "", ERROR, t("ledger.newer", lang=None, **fields), "issue.unknown"))
    elif entry.targets_sha256 and o.targets_sha256 and o.targets_sha256 != entry.targets_sha256:
        o.reject(Issue(o.file, "", "", ERROR, t("ledger.targets", current_file=entry.file), "targets.ledger"))
