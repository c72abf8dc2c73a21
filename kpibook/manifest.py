"""The manifest: the record of what `generate` issued, written by generate and read by
consolidate (and every later command of the cycle). Its columns are the contract's."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from kpibook.errors import KpibookError, Problem

MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("employee_id", "employee_name", "role_id", "department", "manager", "period", "file", "sha256")


@dataclass(frozen=True)
class ManifestEntry:
    """One issued workbook: who, for which period, which file, and the bytes that were issued."""

    employee_id: str
    employee_name: str
    role_id: str
    department: str
    manager: str
    period: str
    file: str
    sha256: str

    def row(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in MANIFEST_COLUMNS}


def manifest_entry(
    employee_id: str,
    employee_name: str,
    role_id: str,
    department: str,
    manager: str,
    period: str,
    relative: Path,
    data: bytes,
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
    )


def manifest_bytes(entries: list[ManifestEntry]) -> bytes:
    """manifest.csv as bytes: the contract's columns, one row per entry."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(e.row() for e in entries)
    return buffer.getvalue().encode("utf-8")


def read_manifest(path: Path) -> list[ManifestEntry]:
    """The manifest.csv that generate wrote: who should come back."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise KpibookError([Problem(str(path), "not found; give the manifest.csv that generate wrote")]) from None
    except OSError as exc:
        raise KpibookError([Problem(str(path), f"cannot be read ({exc.strerror}); check the path")]) from None
    except UnicodeDecodeError:
        raise KpibookError([Problem(str(path), "is not UTF-8; use the manifest.csv that generate wrote")]) from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise KpibookError([Problem(str(path), "is empty; use the manifest.csv that generate wrote")])
    header = [h.strip() for h in rows[0]]
    missing = [c for c in MANIFEST_COLUMNS if c not in header]
    if missing:
        raise KpibookError(
            [
                Problem(
                    f"{path} row 1", f"column(s) {', '.join(missing)} missing; use the manifest.csv that generate wrote"
                )
            ]
        )
    problems: list[Problem] = []
    entries: list[ManifestEntry] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        entry = ManifestEntry(**{c: values[c] for c in MANIFEST_COLUMNS})
        if not entry.employee_id:
            problems.append(Problem(f"{path} row {number}, column employee_id", "is empty; every row needs an id"))
            continue
        if entry.employee_id in seen:
            problems.append(
                Problem(
                    f"{path} row {number}, column employee_id",
                    f"{entry.employee_id} is also on row {seen[entry.employee_id]}; keep one row",
                )
            )
            continue
        seen[entry.employee_id] = number
        entries.append(entry)
    if problems:
        raise KpibookError(problems, title=f"{path}: {len(problems)} problem(s) in the manifest")
    return entries
