"""Writing kpibook's outputs: atomically, with the permissions the user's umask gives, and
never over a file that is not kpibook's own.

Every file kpibook writes (workbooks, manifest, summary, CSV, formula book, reports) goes
through `atomic_write`: a temporary file beside the target, renamed into place, so a crash or
a full disk never leaves half a file where a good one was.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from kpibook.errors import OutputError, Problem
from kpibook.messages import t

_temp_names = itertools.count()


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new, empty temporary file beside `path`, opened for writing.

    O_CREAT with mode 0666 lets the kernel apply the umask, so the file gets the mode an
    ordinary `open(path, "w")` would give (mkstemp's private 0600 would keep colleagues on a
    shared drive out) without reading the umask or a chmod; O_EXCL never opens a file that
    is already there. The folder is created only when the first attempt finds it missing."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = path.parent / f".{path.name}.{os.getpid()}.{next(_temp_names)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # left behind by a crashed run with our pid: take the next name
            continue
        except FileNotFoundError:
            if path.parent.is_dir():
                raise
            path.parent.mkdir(parents=True, exist_ok=True)


def atomic_write(path: Path, data: bytes) -> None:
    """Writes `data` to a temporary file beside `path`, then renames it into place.

    Four system calls for a workbook (open, write, close, rename): generate writes thousands."""
    fd, tmp = _create_temp(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
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
