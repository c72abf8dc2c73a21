"""Writing kpibook's outputs: atomically, with the permissions the user's umask gives, and
never over a file that is not kpibook's own.

Every file kpibook writes (workbooks, manifest, summary, CSV, formula book, reports) goes
through `atomic_write`: a temporary file beside the target, renamed into place, so a crash or
a full disk never leaves half a file where a good one was.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from kpibook.errors import OutputError, Problem
from kpibook.messages import t


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Writes `data` to a temporary file beside `path`, then renames it into place.

    The file gets the mode an ordinary `open(path, "w")` would give (0666 less the umask):
    mkstemp's private 0600 would keep colleagues on a shared drive out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_file(path: Path, data: bytes) -> None:
    """`atomic_write` for an output the user named: failures become a clear error (exit 2)."""
    try:
        atomic_write(path, data)
    except PermissionError:
        raise OutputError([Problem(str(path), t("output.busy"))]) from None
    except OSError as exc:
        raise OutputError([Problem(str(path), t("output.cannot_write", reason=exc.strerror))]) from None


def check_writable(path: Path, is_ours: Callable[[Path], bool], option: str, what: str = "a summary") -> None:
    """Fails early (exit 2), before any work is done, when an output could not be written or
    would replace a file that is not kpibook's own earlier output (a returned workbook, a roster)."""
    if path.is_dir():
        raise OutputError([Problem(str(path), t("output.is_folder", option=option))])
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError([Problem(str(parent), t("output.no_folder", option=option))])
    if not os.access(parent, os.W_OK):
        raise OutputError([Problem(str(parent), t("output.folder_not_writable", option=option))])
    if not os.path.lexists(path):
        return
    if not path.is_file() or path.is_symlink():
        raise OutputError([Problem(str(path), t("output.not_regular_file", option=option))])
    if not is_ours(path):
        raise OutputError([Problem(str(path), t("output.not_ours", option=option, what=what))])
    try:
        with open(path, "r+b"):  # opened, never written: fails if Excel holds the file (Windows)
            pass
    except PermissionError:
        raise OutputError([Problem(str(path), t("output.busy"))]) from None


def progress_bar(stream: TextIO = sys.stderr) -> Callable[[int, int], None]:
    """A one-line progress bar on a terminal; silent when output is redirected."""
    if not stream.isatty():
        return lambda _done, _total: None

    def show(done: int, total: int) -> None:
        if total < 20 or (done % max(1, total // 100) and done != total):
            return
        width = 30
        filled = width * done // total
        stream.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


def check_suffix(path: Path, suffix: str, option: str) -> None:
    """Fails early (exit 2) when an output's name does not end in `suffix` (any case): kpibook
    never writes one type of file under another type's name."""
    if not path.name.lower().endswith(suffix):
        raise OutputError([Problem(str(path), t("consolidate.wrong_suffix", option=option, suffix=suffix))])
