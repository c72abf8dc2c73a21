"""`kpibook demo` writes the same files every run apart from timestamps, compared part by part
with tools/compare_outputs.py: the comparison a refactor runs between the demo output before
and after it (see the tool's docstring), proven here to see a changed part and to pass equal runs."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

from kpibook.demo import demo

TOOL = Path(__file__).resolve().parents[1] / "tools" / "compare_outputs.py"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compare_outputs", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_output_is_the_same_apart_from_timestamps(tmp_path: Path) -> None:
    compare = _tool()
    # both runs write to the same folder: the summary signs its rows, file paths included
    for name in ("first", "second"):
        assert demo(tmp_path / "out").exit_code == 0
        (tmp_path / "out").rename(tmp_path / name)
    assert compare.differences(tmp_path / "first", tmp_path / "second") == []

    # the comparison sees a one-byte change inside a part of a workbook
    summary = tmp_path / "second" / "summary.xlsx"
    with zipfile.ZipFile(summary) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(summary, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"<v>", b"<v>9", 1)
            archive.writestr(info, data)
    assert compare.differences(tmp_path / "first", tmp_path / "second") == [
        "summary.xlsx!xl/worksheets/sheet2.xml: differs"
    ]
