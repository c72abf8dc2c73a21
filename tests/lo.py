"""Drive headless LibreOffice as an independent spreadsheet engine for tests.

LibreOffice normally keeps the cached values of an .xlsx on load.  We run it
with a private, per-process profile whose ``registrymodifications.xcu`` forces
"always recalculate" for OOXML and ODF files, so every converted file carries
values computed by LibreOffice itself.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

import openpyxl

__all__ = [
    "PDF_FILTER",
    "XLSX_FILTER",
    "cached_values",
    "defined_name_value",
    "recalculate",
    "soffice_path",
    "to_pdf",
]

XLSX_FILTER = "xlsx:Calc MS Excel 2007 XML"
PDF_FILTER = "pdf:calc_pdf_Export"
TIMEOUT_S = 300.0

_RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# One soffice per profile at a time: a second instance on the same profile
# would hand its job to the first one (or fail on the profile lock).
_LOCK = threading.Lock()


def soffice_path() -> str | None:
    """Return the LibreOffice executable (env ``KPIBOOK_SOFFICE`` first)."""
    override = os.environ.get("KPIBOOK_SOFFICE")
    if override:
        return shutil.which(override) or (override if Path(override).is_file() else None)
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def _profile_dir() -> Path:
    """Create (once per process) a private LibreOffice profile forcing recalc."""
    root = Path(tempfile.mkdtemp(prefix=f"kpibook-lo-{os.getpid()}-"))
    atexit.register(shutil.rmtree, root, True)
    user = root / "user"
    user.mkdir()
    (user / "registrymodifications.xcu").write_text(_RECALC_XCU, encoding="utf-8")
    return root


def _require_soffice() -> str:
    exe = soffice_path()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) not found on PATH; set KPIBOOK_SOFFICE")
    return exe


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run soffice in its own process group; kill the whole group on timeout."""
    env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
    with subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            raise RuntimeError(f"soffice timed out after {timeout:.0f}s\ncmd: {args}\nstderr:\n{err}") from None
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def _output_paths(paths: list[Path], out_dir: Path, suffix: str) -> list[Path]:
    outs = [out_dir / Path(p).with_suffix(suffix).name for p in paths]
    if len(set(outs)) != len(outs):
        raise ValueError(f"input file names collide in {out_dir}: {[str(p) for p in paths]}")
    for src, dst in zip(paths, outs, strict=True):
        if Path(src).resolve() == dst.resolve():
            raise ValueError(f"output would overwrite input: {src}")
    return outs


def _convert(paths: list[Path], out_dir: Path, target: str, suffix: str) -> list[Path]:
    """Convert all *paths* in one soffice run; return outputs in input order."""
    if not paths:
        return []
    exe = _require_soffice()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    srcs = [Path(p).resolve() for p in paths]
    for src in srcs:
        if not src.is_file():
            raise FileNotFoundError(src)
    outs = _output_paths(srcs, out_dir, suffix)
    for out in outs:
        out.unlink(missing_ok=True)
    args = [
        exe,
        f"-env:UserInstallation={_profile_dir().as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        "--convert-to",
        target,
        "--outdir",
        str(out_dir.resolve()),
        *map(str, srcs),
    ]
    with _LOCK:
        result = _run(args, TIMEOUT_S)
    missing = [str(o) for o in outs if not o.is_file()]
    if missing:
        raise RuntimeError(
            f"soffice (exit {result.returncode}) did not produce {missing}\n"
            f"cmd: {args}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return outs


def recalculate(paths: list[Path], out_dir: Path) -> list[Path]:
    """Recalculate every formula of each .xlsx with LibreOffice; save as xlsx.

    Outputs keep the input file name and are written to *out_dir*.
    """
    return _convert(list(paths), out_dir, XLSX_FILTER, ".xlsx")


def to_pdf(path: Path, out_dir: Path) -> Path:
    """Recalculate *path* with LibreOffice and export it as PDF into *out_dir*."""
    return _convert([path], out_dir, PDF_FILTER, ".pdf")[0]


def shown_text(path: Path, out_dir: Path) -> str:
    """The first sheet of *path* as LibreOffice shows it (number formats applied), as CSV text."""
    target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"  # UTF-8, cells as shown
    return _convert([path], out_dir, target, ".csv")[0].read_text(encoding="utf-8")


def cached_values(path: Path, sheet: str | None = None) -> dict[str, object]:
    """Cached cell values of *sheet* (default: active) as ``{"A1": value}``.

    Only cells present in the file are listed; a present-but-empty cell maps
    to ``None``.
    """
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        ws = wb[sheet] if sheet is not None else wb.active
        if ws is None:
            raise ValueError(f"{path} has no active sheet")
        return {cell.coordinate: cell.value for cell in ws._cells.values()}
    finally:
        wb.close()


def defined_name_value(path: Path, name: str) -> object:
    """Cached value of the workbook-scoped defined name *name* (one cell)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        if name not in wb.defined_names:
            raise KeyError(f"defined name {name!r} not found in {path}")
        dests = list(wb.defined_names[name].destinations)
        if len(dests) != 1 or ":" in dests[0][1]:
            raise ValueError(f"defined name {name!r} is not a single cell: {dests}")
        title, ref = dests[0]
        return wb[title][ref.replace("$", "")].value
    finally:
        wb.close()
