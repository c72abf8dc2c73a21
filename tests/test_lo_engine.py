"""Sanity checks that LibreOffice really recalculates workbooks for us."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.lo import cached_values, recalculate, soffice_path

pytestmark = pytest.mark.libreoffice

SHEET_XML = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def soffice() -> str:
    exe = soffice_path()
    if exe is None:
        pytest.skip(
            "LibreOffice (soffice) not found: install libreoffice-calc-nogui to run the spreadsheet-engine tests"
        )
    return exe


@pytest.fixture(scope="module")
def recalculated(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One workbook without cached values, recalculated by LibreOffice."""
    tmp = tmp_path_factory.mktemp("lo_fresh")
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row, (label, num) in enumerate([("x", 3), ("y", 4), ("x", 5)], start=1):
        ws.cell(row, 1, label)
        ws.cell(row, 2, num)
    ws["D1"], ws["E1"] = 2.675, 1
    ws["C1"] = "=ROUND(D1/E1*100,2)"
    ws["C2"] = "=ROUND(2.675,2)"
    ws["C3"] = '=IF(F1="","",1)'
    ws["C4"] = "=CHOOSE(2,1/0,5)"
    ws["C5"] = "=LOOKUP(3,{1,2,4},{10,20,40})"
    ws["C6"] = '=SUMPRODUCT((A1:A3="x")*B1:B3)'
    src = tmp / "fresh.xlsx"
    wb.save(src)
    [out] = recalculate([src], tmp / "out")
    return cached_values(out)


def test_round_half_and_functions(recalculated: dict[str, object]) -> None:
    assert recalculated["C1"] == 267.5
    assert recalculated["C2"] == 2.68  # binary 2.675 must still round up
    assert recalculated["C4"] == 5
    assert recalculated["C5"] == 20
    assert recalculated["C6"] == 8


def test_empty_string_result_reads_back_empty(recalculated: dict[str, object]) -> None:
    # LibreOffice writes t="str" with an empty <v/>; openpyxl reads that as None.
    assert recalculated.get("C3") in (None, "")


def _inject_cached(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts[SHEET_XML].decode()
    assert old in xml
    parts[SHEET_XML] = xml.replace(old, new).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_stale_cached_values_are_recomputed(soffice: str, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = 2
    ws["B1"] = "=A1*21"
    src = tmp_path / "stale.xlsx"
    wb.save(src)
    _inject_cached(src, "<f>A1*21</f><v></v>", "<f>A1*21</f><v>999</v>")
    assert cached_values(src)["B1"] == 999
    [out] = recalculate([src], tmp_path / "out")
    assert cached_values(out)["B1"] == 42
