"""`kpibook xl ...`, run as a user runs it: a separate process, exit codes, stdout and stderr."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kpibook.generate import generate
from kpibook.xl import scripts
from kpibook.xl.setup import CONF_SHEET, UDF_MODULES
from kpibook.xl.udfs import FUNCTIONS
from tests.common import ROOT, bundled_spec


def kpibook(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    env.pop("XLWINGS_ON_SERVER", None)
    return subprocess.run(
        [sys.executable, "-m", "kpibook", "xl", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd or ROOT,
        timeout=120,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def settings(path: Path) -> dict[str, str]:
    wb = openpyxl.load_workbook(path)
    return {row[0]: row[1] for row in wb[CONF_SHEET].iter_rows(values_only=True)}


def test_functions_lists_every_worksheet_function():
    done = kpibook("functions")
    assert done.returncode == 0, done.stderr
    for function in FUNCTIONS:
        assert f"{function.__name__}(" in done.stdout
    assert "KPIBOOK_SCORE(actual, target, method, [param]" in done.stdout


def test_lite_prints_main_py_and_requirements(tmp_path):
    done = kpibook("lite", "--wheel", "https://intranet.example/kpibook-0.1.0-py3-none-any.whl")
    assert done.returncode == 0, done.stderr
    assert "# ---- main.py ----" in done.stdout and "# ---- requirements.txt ----" in done.stdout
    assert "from kpibook.xl.lite import *" in done.stdout
    assert done.stdout.rstrip().endswith("https://intranet.example/kpibook-0.1.0-py3-none-any.whl")


def test_lite_writes_the_two_files_and_keeps_them(tmp_path):
    done = kpibook("lite", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    main, requirements = tmp_path / "main.py", tmp_path / "requirements.txt"
    compile(main.read_text(encoding="utf-8"), "main.py", "exec")
    assert "xlwings" in requirements.read_text(encoding="utf-8").splitlines()
    again = kpibook("lite", "--out", tmp_path)
    assert again.returncode == 2 and "main.py: exists; use --force" in again.stderr and "Traceback" not in again.stderr
    assert kpibook("lite", "--out", tmp_path, "--force").returncode == 0


def test_setup_makes_a_new_workbook_for_the_add_in(tmp_path):
    out = tmp_path / "hr_tools.xlsm"
    done = kpibook("setup", out, "--input", tmp_path / "returned", "--spec", ROOT / "roles.toml")
    assert done.returncode == 0, done.stderr
    assert f"UDF Modules = {UDF_MODULES}" in done.stdout
    assert settings(out)["UDF Modules"] == "kpibook.xl.udfs;kpibook.xl.classic"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [scripts.CONTROL_SHEET, CONF_SHEET]
    names = {name: d.attr_text for name, d in wb.defined_names.items()}
    assert names[scripts.INPUT] == "'kpibook'!$B$3" and names[scripts.STATUS] == "'kpibook'!$B$6"
    assert wb["kpibook"]["B3"].value == str(tmp_path / "returned")
    assert wb["kpibook"]["B5"].value == str(ROOT / "roles.toml")
    content_types = zipfile.ZipFile(out).read("[Content_Types].xml")
    assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types  # an .xlsm Excel accepts
    assert any("RunPython" in str(c.value) for c in wb["kpibook"]["A"])  # the VBA to paste


def test_setup_copies_an_existing_workbook_and_never_changes_it(tmp_path):
    source = tmp_path / "department.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Summary"
    wb.active["A1"] = "HR's own numbers"
    wb.save(source)
    before = sha256(source)
    done = kpibook("setup", source, "--interpreter", r"C:\Users\hr\kpibook\python.exe")
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "department_kpibook.xlsm"
    assert sha256(source) == before
    assert openpyxl.load_workbook(copy)["Summary"]["A1"].value == "HR's own numbers"
    assert settings(copy)["Interpreter_Win"] == r"C:\Users\hr\kpibook\python.exe"
    in_place = kpibook("setup", source, "--out", source)
    assert in_place.returncode == 2 and "never changes a workbook in place" in in_place.stderr
    existing = kpibook("setup", source)
    assert existing.returncode == 2 and "exists; give another file with --out, or --force" in existing.stderr
    assert sha256(source) == before


def test_setup_refuses_an_employee_scorecard(tmp_path):
    workbook = sorted(
        generate(ROOT / "samples" / "roster.csv", "2026Q4", tmp_path / "wb", spec=bundled_spec()).written
    )[0]
    before = sha256(workbook)
    done = kpibook("setup", workbook, "--out", tmp_path / "copy.xlsm")
    assert done.returncode == 2
    assert str(workbook) in done.stderr and "employee's kpibook scorecard" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "copy.xlsm").exists() and sha256(workbook) == before


@pytest.mark.parametrize("name", ["tools.csv", "tools"])
def test_setup_wants_an_excel_file_name(tmp_path, name):
    done = kpibook("setup", tmp_path / name)
    assert done.returncode == 2 and "must be an .xlsx or .xlsm workbook" in done.stderr


def test_vba_prints_the_three_button_macros():
    done = kpibook("vba")
    assert done.returncode == 0, done.stderr
    for macro in ("KpibookRecompute", "KpibookConsolidate", "KpibookAudit"):
        assert f"Sub {macro}()" in done.stdout
    assert 'RunPython "import kpibook.xl.classic as k; k.recompute()"' in done.stdout


def test_xl_without_a_subcommand_is_a_usage_error():
    done = kpibook()
    assert done.returncode == 2 and "SUBCOMMAND" in done.stderr
