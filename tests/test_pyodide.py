"""xlwings Lite runs Python in the browser (Pyodide), where no process can start: the Consolidate
and Audit buttons must read every workbook in-process there.

Pyodide cannot run here; it is simulated as kpibook detects it (sys.platform == "emscripten"),
with every way of starting a process made to fail the test, so a button that still tried to
start a worker would not pass."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest

from kpibook import pool
from tests.test_xl_scripts import added_sheet, returned, scripts, tools, tools_book, written  # noqa: F401


@pytest.fixture
def in_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started where none can be (Pyodide)")

    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", no_process)
    monkeypatch.setattr(pool, "_context", no_process)


def test_processes_are_available_except_in_the_browser() -> None:
    assert pool.processes_available("linux") and pool.processes_available("win32")
    assert not pool.processes_available("emscripten") and not pool.processes_available("wasi")


def test_map_isolated_runs_in_process_in_the_browser(in_the_browser: None) -> None:
    results = dict(pool.map_isolated(len, ["a", "bb", "ccc"], workers=4))
    assert results == {0: 1, 1: 2, 2: 3}


def test_consolidate_button_in_the_browser(in_the_browser: None, returned: Path, tools: Path, tmp_path: Path) -> None:  # noqa: F811 (fixtures)
    out = tmp_path / "summary.xlsx"
    book = tools_book(tools, input=returned, output=out)
    result = scripts.run(scripts.consolidate_folder, book)
    assert result.ok, result.message
    table = written(book, added_sheet(book, scripts.SUMMARY_SHEET))
    status = table[0].index("status")
    assert len(table) == 25 and {row[status] for row in table[1:]} == {"正常"}  # as the summary shows "ok"


def test_audit_button_in_the_browser(in_the_browser: None, returned: Path, tools: Path) -> None:  # noqa: F811 (fixtures)
    book = tools_book(tools, input=returned)
    result = scripts.run(scripts.audit_active, book)
    assert result.ok, result.message
    rows = written(book, added_sheet(book, scripts.AUDIT_SHEET))
    assert rows[1:] and all(row[1] == "no findings" for row in rows[1:]), rows[:3]
