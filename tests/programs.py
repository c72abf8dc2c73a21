"""The other spreadsheet programs a manager may save a workbook with, driven for tests.

LibreOffice is in tests/lo.py. Here: Gnumeric (`ssconvert --recalc`, Debian package
`gnumeric`) and two JavaScript libraries behind web and in-app previewers and editors, ExcelJS
and SheetJS (`npm install` in tests/node, which .ci/run does). Tests that need a missing program
are skipped with a loud message, unless KPIBOOK_REQUIRE_LIBREOFFICE=1 (CI): then they fail.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from lxml import etree

NODE_DIR = Path(__file__).resolve().parent / "node"
SCRIPT = NODE_DIR / "interop.js"
TIMEOUT_S = 300
REQUIRED = os.environ.get("KPIBOOK_REQUIRE_LIBREOFFICE", "") not in ("", "0")
GNUMERIC_NS = "http://www.gnumeric.org/v10.dtd"


def require(program: str) -> None:
    """Skips the test (fails it in CI) when `program` ("gnumeric" or "node") cannot run here."""
    if program == "gnumeric":
        missing = None if shutil.which("ssconvert") else "Gnumeric's ssconvert (apt-get install gnumeric)"
    else:
        missing = (
            None
            if shutil.which("node") and (NODE_DIR / "node_modules" / "exceljs").is_dir()
            else "node with ExcelJS and SheetJS (cd tests/node && npm ci)"
        )
    if missing is None:
        return
    message = f"{missing} not found: the interop tests with it did NOT run"
    if REQUIRED:
        pytest.fail(f"KPIBOOK_REQUIRE_LIBREOFFICE is set but {message}", pytrace=False)
    pytest.skip(message)


def _run(args: Sequence[str]) -> str:
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(args[:3])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def save_with_gnumeric(pairs: Sequence[tuple[Path, Path]]) -> None:
    """Opens each workbook in Gnumeric, recalculates and saves it as .xlsx (Excel 2007 format)."""
    for source, dest in pairs:
        _run(["ssconvert", "--recalc", "--export-type=Gnumeric_Excel:xlsx2", str(source), str(dest)])


def save_with_node(library: str, pairs: Sequence[tuple[Path, Path]]) -> None:
    """Reads each workbook with `library` ("exceljs" or "sheetjs") and writes it back, as a web
    editor built on it saves what it opened."""
    _run(["node", str(SCRIPT), f"save-{library}", *[str(p) for pair in pairs for p in pair]])


def open_with_node(path: Path) -> dict[str, dict[str, object]]:
    """What ExcelJS and SheetJS read: {"exceljs": {...}, "sheetjs": {...}}; "error" when one fails."""
    return json.loads(_run(["node", str(SCRIPT), "open", str(path)]))


def open_with_gnumeric(path: Path, tmp: Path) -> dict[str, object]:
    """What Gnumeric reads: sheets, defined names, charts per sheet (with their series'
    data references), and the messages ssconvert printed while reading."""
    out = tmp / (path.stem + ".gnumeric")
    done = subprocess.run(
        ["ssconvert", str(path), str(out)], capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    assert done.returncode == 0, done.stderr
    root = etree.fromstring(gzip.decompress(out.read_bytes()))
    ns = {"gnm": GNUMERIC_NS}
    sheets, charts = [], {}
    for sheet in root.iterfind("gnm:Sheets/gnm:Sheet", ns):
        name = sheet.findtext("gnm:Name", namespaces=ns)
        sheets.append(name)
        charts[name] = [
            [dim.text for dim in graph.iter() if isinstance(dim.tag, str) and dim.tag.endswith("dimension")]
            for graph in sheet.iterfind("gnm:Objects/gnm:SheetObjectGraph", ns)
        ]
    names = [n.findtext("gnm:name", namespaces=ns) for n in root.iterfind("gnm:Names/gnm:Name", ns)]
    return {"sheets": sheets, "names": names, "charts": charts, "messages": done.stderr}
