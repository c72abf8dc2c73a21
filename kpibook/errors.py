"""Errors a user can act on.

Every user-facing error names where the problem is (file, sheet and cell, or TOML key)
and what to do. The CLI prints them without a traceback and exits with `exit_code`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where."""

    where: str  # "roles.toml: roles[1].dimensions[0].weight (line 42)", "roster.csv row 5, column role"
    message: str  # what is wrong and what to do

    def __str__(self) -> str:
        from kpibook.messages import t  # the catalogue imports nothing of kpibook's but itself

        return t("general.where", where=self.where, message=self.message)


class KpibookError(Exception):
    """A mistake in the user's input or environment; never a bug in kpibook."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | str, title: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem("kpibook", problems)]
        self.problems = problems
        self.title = title
        super().__init__(self.render())

    def render(self) -> str:
        lines = [self.title] if self.title else []
        lines += [f"  {p}" if self.title else str(p) for p in self.problems]
        return "\n".join(lines)


class SpecError(KpibookError):
    """The role spec (roles.toml) is invalid."""


class RosterError(KpibookError):
    """The roster is invalid; nothing is generated."""


class OutputError(KpibookError):
    """An output cannot be written (exists, locked, unwritable)."""
