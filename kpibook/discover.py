"""Finding the returned workbooks under the inputs: the one rule `consolidate` and `audit` share.

Files named explicitly are taken as given (the reader says what is wrong with them); folders
are walked recursively. In a folder, Office lock files (~$...) and hidden files are noted and
skipped, other spreadsheet types are reported (not read), links out of the folder are not
followed, and FIFOs or devices are refused on their stat, so nothing can block. No file is
opened here.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kpibook.errors import KpibookError, Problem
from kpibook.messages import t

ERROR, WARNING, INFO = "error", "warning", "info"
# Spreadsheets that are not .xlsx: found in a folder they are reported, not read.
OTHER_SPREADSHEETS = {".xls", ".xlsm", ".xlsb", ".xltx", ".xltm", ".ods", ".et", ".numbers"}


# How Windows, macOS, WPS and WeChat name a copy: "x - 副本.xlsx", "x - Copy.xlsx", "Copy of x.xlsx",
# "x (1).xlsx", "x（1）.xlsx", "副本x.xlsx", "x copy.xlsx".
_COPY_NAME = re.compile(r"副本|\bcopy\b|\(\d+\)|（\d+）", re.IGNORECASE)


def looks_like_copy(path: str | Path) -> bool:
    """True when the file's name says it is a copy of another (the one to remove of two)."""
    return bool(_COPY_NAME.search(Path(path).stem))


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something found under the inputs that was not read, and why."""

    path: str
    severity: str  # error (a workbook could not be read) | warning | info (expected, e.g. a lock file)
    code: str  # "lock_file", "link.outside", "not_regular_file", "not_xlsx", ...
    message: str  # what it is and what to do


def find_workbooks(inputs: Iterable[str | Path], exclude: Sequence[Path] = ()) -> tuple[list[Path], list[Skipped]]:
    """Every .xlsx under `inputs` (files as given, folders recursively and sorted), each real file
    once, in the order of the inputs; and what was skipped. A missing input is a user mistake:
    KpibookError (could not run)."""
    excluded = {os.path.realpath(p) for p in exclude}
    found: dict[str, Path] = {}  # realpath -> path as the user will recognise it
    skipped: list[Skipped] = []
    roots = [Path(p) for p in inputs]
    missing = [Problem(str(r), t("discover.no_such_input")) for r in roots if not os.path.lexists(r)]
    if missing:
        raise KpibookError(missing)
    for root in roots:
        # named explicitly: read whatever it is (a link is followed: the user chose it)
        candidates = _walk(root, skipped) if root.is_dir() else [root]
        for path in candidates:
            real = os.path.realpath(path)
            if real in excluded or real in found:
                continue
            if _regular_file(path, skipped):
                found[real] = path
    return list(found.values()), skipped


def _walk(root: Path, skipped: list[Skipped]) -> list[Path]:
    root_real = os.path.realpath(root)
    paths: list[Path] = []

    def unreadable(error: OSError) -> None:
        skipped.append(
            Skipped(
                str(error.filename or root),
                WARNING,
                "folder.unreadable",
                t("discover.folder_unreadable", reason=error.strerror),
            )
        )

    for folder, dirs, names in os.walk(root, onerror=unreadable, followlinks=False):
        dirs.sort()
        for name in dirs:
            link = Path(folder) / name
            if link.is_symlink() and not _inside(os.path.realpath(link), root_real):
                skipped.append(
                    Skipped(
                        str(link),
                        WARNING,
                        "link.outside",
                        t("discover.link_folder_outside", root=root, target=os.path.realpath(link)),
                    )
                )
        for name in sorted(names):
            path = Path(folder) / name
            suffix = path.suffix.lower()
            if name.startswith("~$"):
                if suffix in (".xlsx", *OTHER_SPREADSHEETS):
                    skipped.append(
                        Skipped(
                            str(path),
                            INFO,
                            "lock_file",
                            t("discover.lock_file"),
                        )
                    )
                continue
            if name.startswith("."):
                if suffix == ".xlsx":
                    skipped.append(Skipped(str(path), INFO, "hidden_file", t("discover.hidden_file")))
                continue
            if suffix in OTHER_SPREADSHEETS:
                skipped.append(
                    Skipped(
                        str(path),
                        WARNING,
                        "not_xlsx",
                        t("discover.not_xlsx", suffix=suffix),
                    )
                )
                continue
            if suffix != ".xlsx":
                continue
            if path.is_symlink() and not _inside(os.path.realpath(path), root_real):
                skipped.append(
                    Skipped(
                        str(path),
                        ERROR,
                        "link.outside",
                        t("discover.link_file_outside", root=root, target=os.path.realpath(path)),
                    )
                )
                continue
            paths.append(path)
    return paths


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _regular_file(path: Path, skipped: list[Skipped]) -> bool:
    try:
        mode = os.stat(path).st_mode  # follows a link that stays inside the folder
    except OSError as exc:
        skipped.append(Skipped(str(path), ERROR, "unreadable.os", t("discover.file_unreadable", reason=exc.strerror)))
        return False
    if not stat.S_ISREG(mode):
        skipped.append(
            Skipped(
                str(path),
                ERROR,
                "not_regular_file",
                t("discover.not_regular_file"),
            )
        )
        return False
    return True
