"""`generate`: one blank workbook per employee of a roster, plus DIR/manifest.csv (the ledger).

Files go to DIR/<manager>/<employee_id>_<name>_<PERIOD>.xlsx (sanitised), each written
atomically. Into a folder that already holds a ledger, generate reconciles (kpibook.reconcile):
new employees get a workbook, changed ones a new issue (blank, or with their entries carried
over), those gone from the roster are withdrawn, and nothing that was issued is deleted or
overwritten. A ledger for another period is refused (exit 2).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.build import BuildOptions, RoleTemplate, build_role_template, now_iso
from kpibook.errors import KpibookError, OutputError, Problem
from kpibook.fingerprint import Key, load_key
from kpibook.manifest import MANIFEST, ManifestEntry, manifest_bytes, read_manifest
from kpibook.messages import t
from kpibook.outputs import atomic_write
from kpibook.period import Period, parse_period
from kpibook.reconcile import (
    CARRY,
    NEW,
    REISSUE,
    RESTORE,
    UNCHANGED,
    WITHDRAW,
    Change,
    apply_plan,
    holds_entries,
    needs_hr_problems,
    plan_reconcile,
    workbook_path,
)
from kpibook.roster import load_roster
from kpibook.spec import Spec, load_spec
from kpibook.targets import check_period_targets

__all__ = ["GenerateResult", "generate", "holds_entries", "workbook_path"]


@dataclass
class GenerateResult:
    out_dir: Path
    written: list[Path] = field(default_factory=list)  # workbooks written this run
    kept: list[Path] = field(default_factory=list)  # in the ledger and unchanged: not touched
    refused: list[Problem] = field(default_factory=list)  # what HR must look at (exit 1)
    changes: list[Change] = field(default_factory=list)  # the plan, one per employee
    manifest: Path | None = None
    dry_run: bool = False
    seconds: float = 0.0
    roster_note: str = ""  # how the roster was read: encoding and delimiter, or sheet; header row

    @property
    def problems(self) -> list[Problem]:
        return self.refused

    @property
    def counts(self) -> dict[str, int]:
        actions = (NEW, REISSUE, CARRY, RESTORE, WITHDRAW, UNCHANGED)
        return {a: sum(c.action == a for c in self.changes) for a in actions}

    def change_lines(self) -> list[str]:
        """One line per change (unchanged employees are left out), then the summary."""
        lines = [c.line() for c in self.changes if c.action != UNCHANGED]
        lines.append(t("cycle.summary", lang=None, **self.counts))
        if self.dry_run:
            lines.append(t("cycle.dry_run"))
        return lines


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
    dry_run: bool = False,
) -> GenerateResult:
    """Writes (or reconciles) the period's workbooks under `out_dir` and its ledger.

    `force` reissues every employee even when nothing changed (blank ones rewritten, filled
    ones with their entries carried); `dry_run` plans and writes nothing."""
    started = time.perf_counter()
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    period = period if isinstance(period, Period) else parse_period(period)
    loaded = load_roster(roster, spec, sheet)  # raises before anything is written
    employees = loaded.employees
    check_period_targets(spec, [(e.role_id, e.targets) for e in employees], period)  # so does this
    out = Path(out_dir)
    ledger = _ledger(out, period)
    if not dry_run:
        _check_output_dir(out)
    options = BuildOptions(period=period, key=key or load_key(), generated_at=now_iso(), password=password)
    templates: dict[str, RoleTemplate] = {}

    def template_of(role_id: str) -> RoleTemplate:
        if role_id not in templates:
            templates[role_id] = build_role_template(spec, spec.role(role_id), options)
        return templates[role_id]

    result = GenerateResult(out, dry_run=dry_run, roster_note=loaded.note)
    result.changes = plan_reconcile(employees, spec, period, ledger, out, force)
    if not dry_run:
        rows = apply_plan(result.changes, out, spec, period, template_of, progress)
        result.manifest = out / MANIFEST
        atomic_write(result.manifest, manifest_bytes(rows))
    written = (NEW, REISSUE, CARRY, RESTORE)
    result.written = [out / c.file for c in result.changes if c.action in written and not dry_run]
    result.kept = [out / c.file for c in result.changes if c.action == UNCHANGED and c.employee]
    result.refused = needs_hr_problems(result.changes, out)
    result.seconds = time.perf_counter() - started
    return result


def _ledger(out: Path, period: Period) -> list[ManifestEntry]:
    """The folder's ledger (empty when there is none); another period's is refused (exit 2)."""
    path = out / MANIFEST
    if not path.is_file():
        return []
    entries = read_manifest(path)
    other = sorted({e.period for e in entries if e.period.upper() != period.label})
    if other:
        suggestion = out.parent / f"{out.name}-{period.label}" if out.name else Path(period.label)
        message = t("cycle.other_period", ledger=", ".join(other), period=period.label, suggestion=suggestion)
        raise KpibookError([Problem(str(path), message)])
    return entries


def _check_output_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError([Problem(str(out), t("generate.out_not_folder"))])
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError([Problem(str(out), t("generate.out_cannot_create", reason=exc.strerror))]) from None
    if not os.access(out, os.W_OK):
        raise OutputError([Problem(str(out), t("generate.out_not_writable"))])
