"""The Calibrate button of HR's workbook (`kpibook xl setup`), run through xlwings' remote
`Book(json=...)` interface as xlwings Lite and Server run it: the same library call as
`kpibook calibrate`, on a real summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpibook.calibration_book import read_calibration
from kpibook.demo import demo
from kpibook.fingerprint import load_key
from kpibook.xl import lite, scripts
from kpibook.xl.setup import setup_workbook
from tests.test_xl_scripts import added_sheet, tools_book, written


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("calib_xl") / "demo"
    return demo(out).summary


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """HR's workbook as `kpibook xl setup` writes it."""
    return setup_workbook(tmp_path / "tools.xlsx").out


def test_calibrate_button_writes_the_workbook_beside_the_summary(summary: Path, tools: Path) -> None:
    book = tools_book(tools, input=summary)
    result = scripts.run(scripts.calibrate_summary, book)
    assert result.ok, result.message
    out = summary.with_name("summary_calibration.xlsx")
    assert len(read_calibration(out, load_key()).rows) == 20
    shown = written(book, added_sheet(book, scripts.CALIBRATION_SHEET))
    assert shown[0] == ["kpibook calibrate"] and any("20 employee(s) to calibrate" in r[0] for r in shown[1:])
    assert "20 employee(s)" in result.message and str(out) in result.message


def test_calibrate_button_needs_a_summary(tools: Path, tmp_path: Path) -> None:
    result = scripts.run(scripts.calibrate_summary, tools_book(tools, input=tmp_path / "nothing.xlsx"))
    assert not result.ok and "nothing.xlsx: not found; give the summary.xlsx" in result.message


def test_the_button_is_everywhere() -> None:
    assert scripts.BUTTONS["calibrate"] is scripts.calibrate_summary
    assert lite.kpibook_calibrate in lite.SCRIPTS
