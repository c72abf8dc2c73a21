"""`generate`: one blank workbook per employee of a roster, plus DIR/manifest.csv.

Files go to DIR/<manager>/<employee_id>_<name>.xlsx (sanitised), each written atomically.
An existing workbook is kept unless `force`; even with `force`, one that already holds
actuals or comments is never overwritten (a returned, filled workbook must not be lost).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.build import BuildOptions, RoleTemplate, build_role_template, now_iso
from kpibook.errors import OutputError, Problem
from kpibook.fingerprint import Key, load_key
from kpibook.manifest import MANIFEST, ManifestEntry, manifest_bytes, manifest_entry
from kpibook.messages import t
from kpibook.outputs import atomic_write
from kpibook.period import Period, parse_period
from kpibook.roster import Employee, load_roster, safe_file_part
from kpibook.spec import Spec, load_spec
from kpibook.targets import check_period_targets


@dataclass
class GenerateResult:
    out_dir: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # existed, not overwritten (no --force)
    refused: list[Problem] = field(default_factory=list)  # --force, but the file holds entries
    manifest: Path | None = None
    seconds: float = 0.0
    roster_note: str = ""  # how the roster was read: encoding and delimiter, or sheet; header row

    @property
    def problems(self) -> list[Problem]:
        return self.refused


def workbook_path(employee: Employee) -> Path:
    """Relative path of an employee's workbook: derived from id and name, always sanitised."""
    folder = safe_file_part(employee.manager)
    return Path(folder) / f"{safe_file_part(employee.employee_id)}_{safe_file_part(employee.name)}.xlsx"


def holds_entries(path: Path) -> bool:
    """True when a workbook at `path` has anything typed into its input cells, or cannot be
    read well enough to tell (then it must not be overwritten either)."""
    from kpibook.read import read_entries  # local: reading is only needed with --force

    try:
        return any(v not in (None, "") for v in read_entries(path).values())
    except Exception:
        return True


def generate(
    roster: str | Path,
    period: str | Period,
    out_dir: str | Path,
    spec: Spec | str | Path | None = None,
    force: bool = False,
    password: str | None = None,
    key: Key | None = None,
    progress: Callable[[int, int], None] | None = None,
    sheet: str | None = None,
) -> GenerateResult:
    started = time.perf_counter()
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    period = period if isinstance(period, Period) else parse_period(period)
    loaded = load_roster(roster, spec, sheet)  # raises before anything is written
    employees = loaded.employees
    check_period_targets(spec, [(e.role_id, e.targets) for e in employees], period)  # so does this
    out = Path(out_dir)
    _check_output_dir(out)
    options = BuildOptions(period=period, key=key or load_key(), generated_at=now_iso(), password=password)
    templates: dict[str, RoleTemplate] = {}
    result = GenerateResult(out, roster_note=loaded.note)
    rows: list[ManifestEntry] = []
    for done, employee in enumerate(employees, 1):
        relative = workbook_path(employee)
        target = out / relative
        if target.exists():
            if not force:
                result.kept.append(target)
                rows.append(_entry(employee, period, relative, target.read_bytes()))
                continue
            if holds_entries(target):
                result.refused.append(Problem(str(target), t("generate.holds_entries")))
                rows.append(_entry(employee, period, relative, target.read_bytes()))
                continue
        if employee.role_id not in templates:
            templates[employee.role_id] = build_role_template(spec, spec.role(employee.role_id), options)
        data = templates[employee.role_id].stamp(employee)
        atomic_write(target, data)
        result.written.append(target)
        rows.append(_entry(employee, period, relative, data))
        if progress:
            progress(done, len(employees))
    result.manifest = out / MANIFEST
    atomic_write(result.manifest, manifest_bytes(rows))
    result.seconds = time.perf_counter() - started
    return result


def _check_output_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError([Problem(str(out), t("generate.out_not_folder"))])
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError([Problem(str(out), t("generate.out_cannot_create", reason=exc.strerror))]) from None
    if not os.access(out, os.W_OK):
        raise OutputError([Problem(str(out), t("generate.out_not_writable"))])


def _entry(employee: Employee, period: Period, relative: Path, data: bytes) -> ManifestEntry:
    return manifest_entry(
        employee.employee_id,
        employee.name,
        employee.role_id,
        employee.department,
        employee.manager,
        period.label,
        relative,
        data,
    )
