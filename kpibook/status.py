"""`kpibook status`: who still owes HR what, per manager, against the ledger.

    result = status(["returned/"], manifest="out/manifest.csv", reminders="reminders/")

Every returned workbook is judged exactly as consolidate judges it (kpibook.consolidate.review);
nothing is written except, on request, one reminder e-mail per manager with something
outstanding (kpibook.reminders), as .eml files or sent through an SMTP server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from kpibook import reminders as mail
from kpibook.consolidate import discover, review
from kpibook.discover import ERROR, WARNING
from kpibook.errors import KpibookError
from kpibook.fingerprint import Key, load_key
from kpibook.manifest import ManifestEntry, read_manifest
from kpibook.messages import t
from kpibook.period import parse_period
from kpibook.progress import COUNTS, ManagerProgress, Outstanding, StatusResult
from kpibook.records import MISSING, OK, EmployeeRow, Issue
from kpibook.spec import Spec, load_spec


def status(
    inputs: Sequence[str | Path] | str | Path,
    manifest: str | Path,
    spec: Spec | str | Path | None = None,
    key: Key | None = None,
    reminders: str | Path | None = None,
    smtp: str | None = None,
    sender: str = "",
    require_signoff: bool = False,
) -> StatusResult:
    """Progress per manager against the ledger; with `reminders` (a folder) or `smtp`
    ("host:port"), one reminder per manager with something outstanding."""
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    ledger_path = Path(manifest)
    entries = read_manifest(ledger_path)
    if smtp:
        mail.parse_server(smtp)  # a bad --smtp is refused before any work
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    files, skipped = discover([Path(p) for p in inputs])
    reviewed = review(files, spec, key or load_key(), entries, require_signoff=require_signoff)
    issues = reviewed.issues + skipped
    rows = {r.employee_id: r for r in reviewed.employees}
    result = StatusResult(reviewed.period, _due(entries), [])
    by_manager: dict[str, list[ManifestEntry]] = {}
    for entry in entries:
        if not entry.withdrawn:
            by_manager.setdefault(entry.manager, []).append(entry)
    for manager, people in by_manager.items():
        result.managers.append(_progress(manager, people, rows, issues, ledger_path.parent))
    if reminders is not None or smtp:
        mail.remind(result, Path(reminders) if reminders is not None else None, smtp, sender)
    return result


def _due(entries: Sequence[ManifestEntry]) -> dt.date | None:
    periods = {e.period for e in entries if e.period}
    try:
        return parse_period(periods.pop()).due if len(periods) == 1 else None
    except KpibookError:
        return None


def _progress(
    manager: str, people: list[ManifestEntry], rows: dict[str, EmployeeRow], issues: list[Issue], folder: Path
) -> ManagerProgress:
    counts = dict.fromkeys(COUNTS, 0)
    counts["issued"] = len(people)
    email = next((p.manager_email for p in people if p.manager_email), "")
    progress = ManagerProgress(manager, email, counts)
    for entry in people:
        row = rows.get(entry.employee_id)
        state = row.status if row else MISSING
        counts[state] += 1
        counts["returned"] += state != MISSING
        if state == OK:
            continue
        files = [Path(f) for f in row.file.split("; ")] if row and row.file else []
        mine = [i for i in issues if Path(i.file) in files and i.severity in (ERROR, WARNING)]
        reasons = _reasons(mine) or [t("status.not_returned")]
        superseded = any(i.code == "superseded" for i in mine)
        attachments = files if files and not superseded else [folder / entry.file]
        progress.outstanding.append(Outstanding(entry, state, reasons, [p for p in attachments if p.is_file()]))
    return progress


def _reasons(issues: list[Issue]) -> list[str]:
    """What is wrong, one line each; blank actuals as one line naming their cells."""
    blank = [i.cell for i in issues if i.code == "actual.blank"]
    lines = [_reason(i) for i in issues if i.code != "actual.blank"]
    if blank:
        lines.insert(0, t("status.blanks", count=len(blank), cells=", ".join(blank)))
    return lines


def _reason(issue: Issue) -> str:
    where = "!".join(p for p in (issue.sheet, issue.cell) if p)
    return f"{where}: {issue.message}" if where else issue.message
