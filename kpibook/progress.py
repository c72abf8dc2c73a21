"""The records of `kpibook status`: each manager's progress and who is outstanding, shared by
kpibook.status (which computes them) and kpibook.reminders (which writes them as e-mails)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.errors import Problem
from kpibook.manifest import ManifestEntry
from kpibook.messages import t
from kpibook.records import INCOMPLETE, MISSING, OK, REJECTED

COUNTS = ("issued", "returned", OK, INCOMPLETE, REJECTED, MISSING)


@dataclass
class Outstanding:
    """One person whose workbook is not yet in and ok: what is wrong, and what to send back."""

    entry: ManifestEntry
    status: str  # incomplete | rejected | missing
    reasons: list[str]
    attachments: list[Path]  # their current blank workbook, or the one that came back and was not ok


@dataclass
class ManagerProgress:
    manager: str
    manager_email: str
    counts: dict[str, int]
    outstanding: list[Outstanding] = field(default_factory=list)


@dataclass
class StatusResult:
    period: str
    due: dt.date | None
    managers: list[ManagerProgress]
    reminders: list[Path] = field(default_factory=list)  # .eml files written
    sent: list[str] = field(default_factory=list)  # managers whose reminder went out by SMTP
    problems: list[Problem] = field(default_factory=list)  # reminders that could not be sent

    @property
    def complete(self) -> bool:
        return all(not m.outstanding for m in self.managers)

    @property
    def exit_code(self) -> int:
        return 0 if self.complete and not self.problems else 1

    def lines(self) -> list[str]:
        """The progress table, one row per manager, then the due date."""
        header = [t("status.manager")] + [t(f"status.count.{c}") for c in COUNTS]
        rows = [[m.manager] + [str(m.counts[c]) for c in COUNTS] for m in self.managers]
        totals = [t("status.total")] + [str(sum(m.counts[c] for m in self.managers)) for c in COUNTS]
        widths = [max(_width(r[i]) for r in [header, *rows, totals]) for i in range(len(header))]
        lines = [_row(r, widths) for r in [header, *rows, totals]]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.insert(len(lines) - 1, lines[1])
        due = self.due.isoformat() if self.due else "?"
        lines.append(t("status.due", period=self.period, due=due))
        return lines


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    first = cells[0] + " " * (widths[0] - _width(cells[0]))
    rest = [" " * (w - _width(c)) + c for c, w in zip(cells[1:], widths[1:], strict=True)]
    return "  ".join([first, *rest]).rstrip()
