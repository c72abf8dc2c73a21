"""A summary read back is trusted only when consolidate wrote it, unedited, under the key given."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from kpibook.demo import demo
from kpibook.errors import KpibookError
from kpibook.fingerprint import Key
from kpibook.summary import EMPLOYEES_HEADER_ROW
from kpibook.summary_read import read_summary
from tests.common import plant_chart_point
from tests.lo import recalculate


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    demo(out)
    return out


def refusal(path: Path, key: Key | None = None) -> str:
    with pytest.raises(KpibookError) as caught:
        read_summary(path, key)
    return str(caught.value)


def test_the_demo_summary_reads_back_verified(demo_out: Path) -> None:
    data = read_summary(demo_out / "summary.xlsx")
    assert data.period == "2026Q4"
    assert len(data.employees) == 24
    statuses = sorted({str(e["status"]) for e in data.employees})
    assert statuses == ["incomplete", "missing", "ok", "rejected"]
    ok = [e for e in data.employees if e["status"] == "ok"]
    assert ok and all(isinstance(e["total_score"], (int, float)) for e in ok)
    assert data.header[:3] == ["employee_id", "employee_name", "role_id"]
    assert {i["severity"] for i in data.issues} >= {"error", "warning"}
    assert data.kpis_signed and len(data.kpis) == 36  # the bundled spec's KPIs, signed too
    assert all(k["role_id"] and k["kpi_id"] for k in data.kpis)
    assert any(isinstance(k["mean_score"], float) for k in data.kpis)


def test_an_edited_kpi_name_is_refused(demo_out: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.xlsx"
    book = openpyxl.load_workbook(demo_out / "summary.xlsx")
    book["KPIs"]["C2"] = "改过的名字"
    book.save(edited)
    assert "the KPIs rows were changed after consolidate" in refusal(edited)


def test_an_edited_score_is_refused(demo_out: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.xlsx"
    book = openpyxl.load_workbook(demo_out / "summary.xlsx")
    sheet = book["Employees"]
    column = [c.value for c in sheet[EMPLOYEES_HEADER_ROW]].index("total_score") + 1
    first = EMPLOYEES_HEADER_ROW + 1
    row = next(r for r in range(first, sheet.max_row + 1) if isinstance(sheet.cell(r, column).value, float))
    sheet.cell(row, column).value = 119.0
    book.save(edited)
    assert "changed after consolidate wrote this summary" in refusal(edited)


def test_another_key_is_named(demo_out: Path) -> None:
    message = refusal(demo_out / "summary.xlsx", Key(b"another key, 32 bytes or so long", "0123abcd0123"))
    assert "signed with key demo" in message and "0123abcd0123" in message


def test_a_scorecard_is_not_a_summary(demo_out: Path) -> None:
    workbook = next((demo_out / "workbooks").rglob("*.xlsx"))
    assert "not a department summary" in refusal(workbook)


def test_a_text_file_is_not_an_xlsx(tmp_path: Path) -> None:
    fake = tmp_path / "summary.xlsx"
    fake.write_text("employee_id,name\n", encoding="utf-8")
    assert "not an Excel workbook" in refusal(fake)


def test_inputs_are_not_changed(demo_out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "s.xlsx"
    shutil.copy(demo_out / "summary.xlsx", copy)
    before = copy.read_bytes()
    read_summary(copy)
    assert copy.read_bytes() == before


def test_a_forged_chart_bar_is_refused(demo_out: Path, tmp_path: Path) -> None:
    """The Overview charts draw the Overview cells: a bar made to show another number (its cache
    forged, every cell untouched) means the file was edited after consolidate wrote it."""
    overview = openpyxl.load_workbook(demo_out / "summary.xlsx", data_only=True)["Overview"]
    forged = plant_chart_point(demo_out / "summary.xlsx", tmp_path / "summary.xlsx", "99", series=0, index=1)
    said = refusal(forged)
    assert "Overview!D24" in said and "99" in said and f"holds {overview['D24'].value}" in said, said
    assert "kpibook consolidate" in said
    assert read_summary(demo_out / "summary.xlsx").period == "2026Q4"  # the honest file reads


@pytest.mark.libreoffice
def test_a_summary_saved_again_by_libreoffice_still_verifies(demo_out: Path, tmp_path: Path) -> None:
    """HR opening the summary and saving it is not an edit: the same cells, the same digest."""
    [saved] = recalculate([demo_out / "summary.xlsx"], tmp_path)
    data = read_summary(saved)
    assert len(data.employees) == 24 and len(data.kpis) == 36
