"""consolidate with everything it remembers across workbooks (kpibook.xlsx_package._SeenParts,
the rows and cells of kpibook.sheet_cells, the cells made in kpibook.read) against consolidate
reading every workbook from scratch with the full hardened parser: the same summary.

The returned folder mixes what a real run sees: workbooks filled by kpibook (most parts the
same bytes as the blank ones), copies saved by LibreOffice and by Gnumeric (every part
rewritten), duplicates of the same workbook, a tampered one and a hostile one."""

from __future__ import annotations

import random
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

import kpibook.read as read_module
from kpibook import ooxml, read, sheet_cells, xlsx_package
from kpibook.consolidate import consolidate
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.read import read_workbook
from kpibook.spec import Spec
from tests.common import PERIOD, ROSTER
from tests.programs import save_with_gnumeric

SCORECARD = "xl/worksheets/sheet1.xml"


def _forget_everything() -> None:
    """Empties every cache of what was read before (as in a new process)."""
    xlsx_package._seen.entries.clear()
    xlsx_package._seen.sighted.clear()
    xlsx_package._seen.size = 0
    sheet_cells._rows.clear()
    sheet_cells._cells.clear()
    read._made_cells.clear()
    read._other_sheets.clear()
    read._rest_of_sheet.cache_clear()


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("fast")
    generate(ROSTER, PERIOD, root / "blank", spec=spec)
    blanks = sorted((root / "blank").rglob("*.xlsx"))
    out = root / "returned"
    out.mkdir()
    rng = random.Random(1515)
    filled = []
    for blank in blanks:
        role = spec.role(read_workbook(blank).metadata["role_id"])
        target = out / blank.name
        fill_workbook(blank, target, spec, manager_actuals(role, rng, na_rate=0.2, blank_rate=0.05))
        filled.append(target)
    from tests.lo import recalculate

    saved = recalculate(filled[:4], root / "lo")  # every part rewritten, shared strings
    for path in saved:
        shutil.move(path, out / f"lo_{path.name}")
    save_with_gnumeric(
        [(filled[4], out / f"gnumeric_{filled[4].name}"), (filled[5], out / f"gnumeric_{filled[5].name}")]
    )
    for path in filled[4:6] + filled[:2]:
        path.unlink()  # the saved copies stand for them
    tampered = filled[6]
    tampered.write_bytes(
        ooxml.rewrite_parts(tampered, {SCORECARD: lambda d: re.sub(rb"<f>([^<]*)</f>", rb"<f>100</f>", d, count=1)})
    )
    hostile = filled[7]
    hostile.write_bytes(ooxml.rewrite_parts(hostile, {SCORECARD: lambda d: d.replace(b"<row ", b"<!-- c --><row ", 1)}))
    return out, root / "blank" / "manifest.csv"


def _shown(value: object) -> object:
    return value.text if isinstance(value, ArrayFormula) else value  # (ArrayFormula compares by identity)


def _sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's values but the signed metadata's (it carries the time of writing)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            ws.title: [tuple(_shown(v) for v in row) for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets
            if ws.title != "_kpibook"
        }
    finally:
        book.close()


@pytest.mark.libreoffice
def test_remembering_what_was_read_changes_nothing_in_the_summary(
    returned: tuple[Path, Path], tmp_path: Path, spec: Spec
) -> None:
    folder, manifest = returned
    runs = {}
    kept: dict[str, tuple[int, int]] = {}
    for name, fast in (("remembered", True), ("from scratch", False)):
        _forget_everything()
        read_module._FAST_PATH = fast
        try:
            out = tmp_path / name
            out.mkdir()
            for _ in range(2):  # the second run reads with everything remembered from the first
                result = consolidate(  # workers=0: in this process, whose memory the test can see
                    [folder], out / "summary.xlsx", spec=spec, manifest=manifest, csv=out / "s.csv", workers=0
                )
            runs[name] = (result, _sheets(out / "summary.xlsx"), (out / "s.csv").read_text(encoding="utf-8-sig"))
            kept[name] = len(xlsx_package._seen.entries), len(sheet_cells._cells.entries)
        finally:
            read_module._FAST_PATH = True
    (fast_result, fast_sheets, fast_csv), (full_result, full_sheets, full_csv) = runs.values()
    assert fast_csv == full_csv
    assert fast_sheets == full_sheets
    statuses = [e.status for e in fast_result.employees]
    assert "rejected" in statuses and "ok" in statuses  # the tampered and hostile ones are in the run
    assert min(kept["remembered"]) > 0, kept  # the shortcuts were taken
    assert kept["from scratch"][1] == 0  # ... and not in the run that reads everything afresh
    with zipfile.ZipFile(next(folder.glob("lo_*.xlsx"))) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()  # LibreOffice's own shape is in the run
