"""The manifest, the cycle's ledger: the record of what `generate` issued, written by generate
(and its reconcile) and read by consolidate, status and every later command of the cycle.

One row per employee: the current file and its sha256, the period, the spec and targets it was
issued with, its issue number (1, then 2, 3, ... on each reissue) and its state (issued,
reissued, withdrawn). Written with a UTF-8 BOM so that Excel on Chinese Windows shows it
correctly. Its columns are the contract's; a manifest written before the ledger columns
existed is still read (issue 1, state issued, digests unknown).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kpibook.errors import KpibookError, Problem
from kpibook.fingerprint import canonical_targets
from kpibook.messages import t

MANIFEST = "manifest.csv"
BASE_COLUMNS = ("employee_id", "employee_name", "role_id", "department", "manager", "period", "file", "sha256")
LEDGER_COLUMNS = ("issue", "state", "spec_sha256", "targets_sha256", "email", "manager_email")
MANIFEST_COLUMNS = BASE_COLUMNS + LEDGER_COLUMNS
ISSUED, REISSUED, WITHDRAWN = "issued", "reissued", "withdrawn"
STATES = (ISSUED, REISSUED, WITHDRAWN)


@dataclass(frozen=True)
class ManifestEntry:
    """One employee's current workbook: who, for which period, which file, the bytes issued."""

    employee_id: str
    employee_name: str
    role_id: str
    department: str
    manager: str
    period: str
    file: str
    sha256: str
    issue: int = 1
    state: str = ISSUED
    spec_sha256: str = ""
    targets_sha256: str = ""  # targets_digest of the per-person targets issued ("" if unknown)
    email: str = ""
    manager_email: str = ""

    @property
    def withdrawn(self) -> bool:
        return self.state == WITHDRAWN

    def row(self) -> dict[str, str]:
        return {c: str(getattr(self, c)) for c in MANIFEST_COLUMNS}

    def replace(self, **changes: object) -> ManifestEntry:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def targets_digest(targets: Mapping[str, float]) -> str:
    """sha256 of the targets as exact text: the same targets give the same digest in every file."""
    text = json.dumps(canonical_targets(targets), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def manifest_entry(
    employee_id: str,
    employee_name: str,
    role_id: str,
    department: str,
    manager: str,
    period: str,
    relative: Path,
    data: bytes,
    **ledger: object,
) -> ManifestEntry:
    """The entry for a workbook whose bytes are `data`, at `relative` under the output folder."""
    return ManifestEntry(
        employee_id=employee_id,
        employee_name=employee_name,
        role_id=role_id,
        department=department,
        manager=manager,
        period=period,
        file=relative.as_posix(),
        sha256=hashlib.sha256(data).hexdigest(),
        **ledger,  # type: ignore[arg-type]
    )


def manifest_bytes(entries: list[ManifestEntry]) -> bytes:
    """manifest.csv as bytes: UTF-8 with BOM, the contract's columns, one row per entry."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(e.row() for e in entries)
    return buffer.getvalue().encode("utf-8-sig")


def read_manifest(path: Path) -> list[ManifestEntry]:
    """The manifest.csv that generate wrote: who should come back."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise KpibookError([Problem(str(path), t("manifest.not_found"))]) from None
    except OSError as exc:
        raise KpibookError([Problem(str(path), t("manifest.unreadable", reason=exc.strerror))]) from None
    except UnicodeDecodeError:
        raise KpibookError([Problem(str(path), t("manifest.not_utf8"))]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise KpibookError([Problem(str(path), t("manifest.empty"))])
    header = [h.strip() for h in rows[0]]
    missing = [c for c in BASE_COLUMNS if c not in header]
    if missing:
        raise KpibookError(
            [Problem(t("manifest.row", path=path, row=1), t("manifest.columns_missing", columns=", ".join(missing)))]
        )
    problems: list[Problem] = []
    entries: list[ManifestEntry] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        entry = _entry_of(values, t("manifest.row", path=path, row=number), problems)
        if entry is None:
            continue
        if entry.employee_id in seen:
            problems.append(
                Problem(
                    t("manifest.column", where=t("manifest.row", path=path, row=number), column="employee_id"),
                    t("manifest.duplicate", id=entry.employee_id, row=seen[entry.employee_id]),
                )
            )
            continue
        seen[entry.employee_id] = number
        entries.append(entry)
    if problems:
        raise KpibookError(problems, title=t("manifest.problems", path=path, count=len(problems)))
    return entries


def _entry_of(values: dict[str, str], where: str, problems: list[Problem]) -> ManifestEntry | None:
    if not values["employee_id"]:
        problems.append(Problem(t("manifest.column", where=where, column="employee_id"), t("manifest.no_id")))
        return None
    issue_text = values.get("issue") or "1"
    if not issue_text.isdigit() or int(issue_text) < 1:
        problems.append(
            Problem(t("manifest.column", where=where, column="issue"), t("manifest.bad_issue", value=repr(issue_text)))
        )
        return None
    state = values.get("state") or ISSUED
    if state not in STATES:
        problems.append(
            Problem(
                t("manifest.column", where=where, column="state"),
                t("manifest.bad_state", value=repr(state), states=", ".join(STATES)),
            )
        )
        return None
    ledger = {c: values.get(c, "") for c in LEDGER_COLUMNS if c not in ("issue", "state")}
    return ManifestEntry(**{c: values[c] for c in BASE_COLUMNS}, issue=int(issue_text), state=state, **ledger)
