"""`kpibook consolidate` on a returned folder as managers really send it back.

One module-scoped folder holds: workbooks filled as managers would (kpibook.fill), copies
opened and saved by LibreOffice (so they carry its cached values), half-filled and renamed
ones, and every bad case the issue lists. Each test checks one promise of the summary.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from kpibook import scoring
from kpibook.cli import main
from kpibook.consolidate import consolidate
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.layout import COLUMNS, RoleLayout
from kpibook.records import EMPLOYEE_COLUMNS, SIGNOFF_COLUMNS, STATUS_IDS, STATUS_LABELS, STATUSES, ConsolidateResult
from kpibook.roster import read_roster
from kpibook.spec import Kpi, Spec, load_spec
from kpibook.summary import dimension_ids
from tests.lo import recalculate

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "samples" / "roster.csv"
PERIOD = "2026Q4"
HOSTILE_NAME = '=HYPERLINK("http://evil.example","click")'


@dataclass
class Returned:
    """The returned folder and what each file in it should lead to."""

    root: Path  # the folder consolidate reads
    manifest: Path
    outside: Path  # a folder outside root (a symlink points there)
    actuals: dict[str, dict[str, object]] = field(default_factory=dict)  # good workbooks: employee -> actuals
    expect_status: dict[str, str] = field(default_factory=dict)  # employee -> status
    bad_files: dict[str, str] = field(default_factory=dict)  # file name -> issue code expected for it
    hashes: dict[str, str] = field(default_factory=dict)  # every input's sha256 before the run


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite_part(source: Path, dest: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Copies a workbook with one zip part changed, as a hand-edited or forged file would be."""
    with zipfile.ZipFile(source) as archive:
        parts = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            out.writestr(name, change(data) if name == part else data)
    return dest


def add_part(source: Path, dest: Path, part: str, data: bytes) -> Path:
    shutil.copy(source, dest)
    with zipfile.ZipFile(dest, "a") as archive:
        archive.writestr(part, data)
    return dest


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(ROOT / "roles.toml")


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample roster, with a name that is a formula (it must stay text everywhere)."""
    path = tmp_path_factory.mktemp("roster") / "roster.csv"
    rows = list(csv.reader(ROSTER.read_text(encoding="utf-8").splitlines()))
    rows[2][1] = HOSTILE_NAME  # E1002
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory, spec: Spec, roster: Path) -> Returned:
    base = tmp_path_factory.mktemp("consolidate")
    blank = base / "blank"
    generate(roster, PERIOD, blank, spec=spec)
    employees = {e.employee_id: e for e in read_roster(roster, spec)}
    manifest_text = (blank / "manifest.csv").read_text(encoding="utf-8-sig")
    files = {row["employee_id"]: blank / row["file"] for row in csv.DictReader(manifest_text.splitlines())}
    root, outside, work = base / "returned", base / "outside", base / "work"
    for folder in (root, outside, work):
        folder.mkdir()
    r = Returned(root, blank / "manifest.csv", outside)
    rng = random.Random(4)

    def filled(employee_id: str, dest: Path, actuals: dict[str, object] | None = None) -> Path:
        role = spec.role(employees[employee_id].role_id)
        actuals = actuals if actuals is not None else manager_actuals(role, rng)
        fill_workbook(files[employee_id], dest, spec, actuals)
        r.actuals[employee_id] = actuals
        return dest

    def kpi(employee_id: str, allow_na: bool = False) -> Kpi:
        role = spec.role(employees[employee_id].role_id)
        return next(k for k in role.kpis if k.allow_na == allow_na and k.method != "rating")

    def good(employee_id: str, dest: Path, actuals: dict[str, object] | None = None) -> None:
        filled(employee_id, dest, actuals)
        r.expect_status[employee_id] = "ok"

    def bad(employee_id: str, dest: Path, status: str, code: str, actuals: dict[str, object] | None = None) -> Path:
        filled(employee_id, dest, actuals)
        r.actuals.pop(employee_id)
        r.expect_status[employee_id] = status
        r.bad_files[dest.name] = code
        return dest

    # Good workbooks, filled as managers would; one renamed and moved, one with a formula-like file name.
    for employee_id in ("E1001", "E1002", "E1004", "E1014", "E1015", "E1020", "E1021"):
        good(employee_id, root / employees[employee_id].manager / files[employee_id].name)
    good("E1008", root / "inbox" / "final version (2).xlsx")
    good("E1006", root / "inbox" / "=1+2.xlsx")
    # Opened and saved by LibreOffice: its own cached values, shared strings, rewritten formulas.
    saved = []
    for employee_id in ("E1003", "E1016", "E1022"):
        saved.append(filled(employee_id, work / files[employee_id].name))
        r.expect_status[employee_id] = "ok"
    for path in recalculate(saved, root / "libreoffice"):
        assert path.is_file()
    # Identical copy of a good workbook in two folders: counted once.
    good("E1024", root / "李伟" / files["E1024"].name)
    shutil.copy(root / "李伟" / files["E1024"].name, root / "inbox" / "E1024 copy.xlsx")
    # Half-filled: incomplete.
    for employee_id in ("E1005", "E1017"):
        role = spec.role(employees[employee_id].role_id)
        actuals = manager_actuals(role, rng)
        for k in role.kpis[1::2]:
            actuals.pop(k.id, None)
        bad(employee_id, root / "inbox" / files[employee_id].name, "incomplete", "actual.blank", actuals)
    # Missing: E1007 never came back. E1018's copy is truncated (attached to E1018 by its file name).
    data = filled("E1018", work / "E1018.xlsx").read_bytes()
    r.actuals.pop("E1018")
    (root / "inbox" / files["E1018"].name).write_bytes(data[: len(data) // 2])
    r.bad_files[files["E1018"].name] = "unreadable.truncated"
    r.expect_status.update({"E1007": "missing", "E1018": "rejected"})
    # Wrong period: E1009 sent last quarter's workbook.
    q3 = base / "q3"
    one = base / "one.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    one.write_text("\n".join([lines[0]] + [x for x in lines if x.startswith("E1009,")]) + "\n", encoding="utf-8")
    generate(one, "2026Q3", q3, spec=spec)
    q3_file = next(q3.rglob("*.xlsx"))
    actuals = manager_actuals(spec.role(employees["E1009"].role_id), rng)
    fill_workbook(q3_file, root / "inbox" / "E1009_q3.xlsx", spec, actuals)
    r.expect_status["E1009"] = "rejected"
    r.bad_files["E1009_q3.xlsx"] = "period"
    # Tampered: a score formula overwritten by a constant; a target changed.
    layout10 = RoleLayout(spec.role(employees["E1010"].role_id), spec.grades)
    score_cell = layout10.kpi_cell(layout10.role.kpis[0].id, "score")
    source = filled("E1010", work / "E1010.xlsx")
    rewrite_part(
        source,
        root / "inbox" / "E1010_tampered_formula.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rb'(<c r="%s"[^>]*?)(?: t="\w+")?>.*?</c>' % score_cell.encode(),
            rb"\1><v>120</v></c>",
            xml,
            count=1,
            flags=re.S,
        ),
    )
    r.actuals.pop("E1010")
    r.expect_status["E1010"] = "rejected"
    r.bad_files["E1010_tampered_formula.xlsx"] = "audit"
    layout11 = RoleLayout(spec.role(employees["E1011"].role_id), spec.grades)
    target_cell = layout11.kpi_cell(layout11.role.kpis[0].id, "target")
    source = filled("E1011", work / "E1011.xlsx")
    rewrite_part(
        source,
        root / "inbox" / "E1011_tampered_target.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'(<c r="%s"[^>]*>)<v>[^<]*</v>' % target_cell.encode(), rb"\g<1><v>1</v>", xml, count=1),
    )
    r.actuals.pop("E1011")
    r.expect_status["E1011"] = "rejected"
    r.bad_files["E1011_tampered_target.xlsx"] = "audit"
    # Wrong actuals: text in a number cell, an error value, a figure out of bounds.
    role12 = spec.role(employees["E1012"].role_id)
    bad(
        "E1012",
        root / "inbox" / "E1012_text.xlsx",
        "rejected",
        "actual.text",
        manager_actuals(role12, rng, na_rate=0) | {kpi("E1012").id: "about 5 million"},
    )
    role13 = spec.role(employees["E1013"].role_id)
    bad(
        "E1013",
        root / "inbox" / "E1013_error.xlsx",
        "rejected",
        "actual.error",
        manager_actuals(role13, rng, na_rate=0) | {kpi("E1013").id: scoring.ExcelError("#DIV/0!")},
    )
    role19 = spec.role(employees["E1019"].role_id)
    k19 = kpi("E1019")
    bad(
        "E1019",
        root / "inbox" / "E1019_bounds.xlsx",
        "rejected",
        "actual.bounds",
        manager_actuals(role19, rng, na_rate=0) | {k19.id: k19.max * 10 + 1},
    )
    # Two different workbooks for one employee: both rejected, never one picked.
    bad("E1023", root / "inbox" / "E1023_a.xlsx", "rejected", "duplicate")
    bad("E1023", root / "李伟" / "E1023_b.xlsx", "rejected", "duplicate")
    # Files that are not kpibook workbooks at all.
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    (root / "junk").mkdir()
    (root / "junk" / "legacy.xlsx").write_bytes(ole2 + bytes(4000))
    encrypted = ole2 + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(500)  # Office's password wrapper
    (root / "junk" / "protected.xlsx").write_bytes(encrypted)
    (root / "junk" / "budget.xlsx").write_text("employee_id,actual\nE1001,5000000\n", encoding="utf-8")
    (root / "junk" / "empty.xlsx").write_bytes(b"")
    other = openpyxl.Workbook()
    other.active["A1"] = "not a scorecard"
    other.save(root / "junk" / "other.xlsx")
    add_part(root / "inbox" / "E1012_text.xlsx", root / "junk" / "macro.xlsx", "xl/vbaProject.bin", b"\x00" * 64)
    rewrite_part(
        work / "E1010.xlsx",
        root / "junk" / "entities.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml.split(b"?>", 1)[-1],
    )
    r.bad_files.update(
        {
            "legacy.xlsx": "unreadable.legacy_xls",
            "protected.xlsx": "unreadable.password_protected",
            "budget.xlsx": "unreadable.text_file",
            "empty.xlsx": "unreadable.empty",
            "other.xlsx": "unreadable.not_kpibook",
            "macro.xlsx": "unreadable.macro_workbook",
            "entities.xlsx": "unreadable.xml_entities",
        }
    )
    # Things in the folder that must not be read: a lock file, a link out of the folder, a FIFO.
    (root / "inbox" / "~$final version (2).xlsx").write_bytes(b"\x00" * 165)
    r.bad_files["~$final version (2).xlsx"] = "lock_file"
    shutil.copy(work / "E1010.xlsx", outside / "secret.xlsx")
    os.symlink(outside / "secret.xlsx", root / "junk" / "link.xlsx")
    r.bad_files["link.xlsx"] = "link.outside"
    os.mkfifo(root / "junk" / "pipe.xlsx")
    r.bad_files["pipe.xlsx"] = "not_regular_file"
    (root / "inbox" / "scan.xls").write_bytes(ole2 + bytes(100))
    r.bad_files["scan.xls"] = "not_xlsx"
    for path in sorted(root.rglob("*")) + sorted(outside.rglob("*")):
        if path.is_file():
            r.hashes[str(path)] = _sha(path)
    return r


@pytest.fixture(scope="module")
def run(returned: Returned, spec: Spec, tmp_path_factory: pytest.TempPathFactory) -> ConsolidateResult:
    out = tmp_path_factory.mktemp("summary")
    return consolidate(
        [returned.root], out / "summary.xlsx", spec=spec, manifest=returned.manifest, csv=out / "summary.csv", workers=2
    )


def rows_by_id(result: ConsolidateResult) -> dict[str, object]:
    return {r.employee_id: r for r in result.employees if r.employee_id}


def issues_of(result: ConsolidateResult, file_name: str) -> list[object]:
    return [i for i in result.issues if Path(i.file).name == file_name]


# ---------------------------------------------------------------------------------------
# Statuses and scores
# ---------------------------------------------------------------------------------------


def test_every_employee_of_the_manifest_has_its_expected_status(run: ConsolidateResult, returned: Returned) -> None:
    rows = rows_by_id(run)
    assert len(rows) == 24
    got = {e: rows[e].status for e in returned.expect_status}
    assert got == returned.expect_status
    assert {r.status for r in run.employees} <= set(STATUSES)


def test_every_good_total_is_the_scoring_cores(
    run: ConsolidateResult, returned: Returned, spec: Spec, roster: Path
) -> None:
    employees = {e.employee_id: e for e in read_roster(roster, spec)}
    rows = rows_by_id(run)
    checked = 0
    for employee_id, status in returned.expect_status.items():
        if status != "ok":
            continue
        employee = employees[employee_id]
        expected = scoring.score_role(
            spec.role(employee.role_id), spec.grades, returned.actuals[employee_id], employee.all_targets(spec)
        )
        row = rows[employee_id]
        assert row.total_score == expected.total and row.grade == expected.grade, employee_id
        assert row.dimensions == expected.dimensions
        checked += 1
    assert checked == 13  # 9 filled by kpibook.fill, 3 saved by LibreOffice, 1 sent twice (identical)
    assert all(r.total_score is None and r.grade == "" for r in run.employees if r.status != "ok")


def test_libreoffice_saved_copies_are_ok_without_findings(run: ConsolidateResult, returned: Returned) -> None:
    saved = [p for p in (returned.root / "libreoffice").iterdir()]
    assert len(saved) == 3
    for path in saved:
        assert not [i for i in run.issues if i.file == str(path)], path


def test_every_bad_file_is_rejected_with_its_reason(run: ConsolidateResult, returned: Returned) -> None:
    for name, code in returned.bad_files.items():
        issues = issues_of(run, name)
        assert any(i.code.startswith(code) for i in issues), (name, code, issues)
        assert all(i.message and i.message[0] != " " for i in issues)
        if code in ("lock_file", "not_xlsx", "link.outside", "not_regular_file"):
            continue  # never read
        rows = [r for r in run.employees if any(Path(f).name == name for f in r.file.split("; "))]
        if Path(returned.root / "junk" / name).exists():
            assert rows == [], f"{name} is no one's workbook: listed in Issues, never counted"
            continue
        assert len(rows) == 1, name
        expected = "incomplete" if code == "actual.blank" else "rejected"
        assert rows[0].status == expected, name


def test_issues_name_the_cell(run: ConsolidateResult, returned: Returned, spec: Spec) -> None:
    text = issues_of(run, "E1012_text.xlsx")
    assert [i for i in text if i.code == "actual.text" and i.sheet == "Scorecard" and re.fullmatch(r"H\d+", i.cell)]
    tampered = [i for i in issues_of(run, "E1010_tampered_formula.xlsx") if i.severity == "error"]
    layout = RoleLayout(spec.role("sales_specialist"), spec.grades)
    assert any(i.cell == layout.kpi_cell(layout.role.kpis[0].id, "score") for i in tampered), tampered
    target = [i for i in issues_of(run, "E1011_tampered_target.xlsx") if i.severity == "error"]
    assert target and all(i.code.startswith("audit.") for i in target)
    blank = [i for i in issues_of(run, "E1005_陈晨_2026Q4.xlsx") if i.code == "actual.blank"]
    assert blank and all(i.cell.startswith(COLUMNS["actual"]) for i in blank)


def test_duplicates_are_reported_never_picked(run: ConsolidateResult) -> None:
    row = rows_by_id(run)["E1023"]
    assert row.status == "rejected" and "E1023_a.xlsx" in row.file and "E1023_b.xlsx" in row.file
    for name in ("E1023_a.xlsx", "E1023_b.xlsx"):
        (issue,) = [i for i in issues_of(run, name) if i.code == "duplicate"]
        assert "E1023_a.xlsx" in issue.message and "E1023_b.xlsx" in issue.message
    row = rows_by_id(run)["E1024"]
    copies = [i for i in run.issues if i.code == "duplicate.copy"]
    assert row.status == "ok" and len(copies) == 1 and ";" not in row.file
    assert copies[0].severity == "warning" and row.file in copies[0].message and copies[0].file != row.file
    assert {Path(row.file).name, Path(copies[0].file).name} == {"E1024 copy.xlsx", "E1024_谢雨_2026Q4.xlsx"}


def test_missing_and_unreadable_files_keep_the_manifest_row(run: ConsolidateResult) -> None:
    rows = rows_by_id(run)
    assert rows["E1007"].status == "missing" and rows["E1007"].file == ""
    assert [i for i in run.issues if i.code == "missing" and "E1007" in i.message]
    assert rows["E1018"].status == "rejected" and rows["E1018"].file.endswith("E1018_林峰_2026Q4.xlsx")
    assert not [r for r in run.employees if not r.employee_id]  # files of no one are never counted
    for name in ("legacy.xlsx", "protected.xlsx", "budget.xlsx", "empty.xlsx", "other.xlsx", "macro.xlsx"):
        assert issues_of(run, name), f"{name} is in neither the Employees rows nor the Issues"


def test_inputs_are_never_modified(run: ConsolidateResult, returned: Returned) -> None:
    after = {
        str(p): _sha(p)
        for p in sorted(returned.root.rglob("*")) + sorted(returned.outside.rglob("*"))
        if p.is_file() and not p.is_symlink() or p.is_symlink() and p.resolve().is_file()
    }
    for path, digest in returned.hashes.items():
        assert after.get(path) == digest, path
    assert not [p for p in returned.root.rglob("*") if p.name.endswith(".tmp")]


def test_exit_code_reports_problems(run: ConsolidateResult) -> None:
    assert run.exit_code == 1
    assert run.period == PERIOD
    # rejected: 8 employees of the manifest; the 7 files that are no one's workbook are not counted
    assert run.counts == {"ok": 13, "incomplete": 2, "rejected": 8, "missing": 1}


# ---------------------------------------------------------------------------------------
# The summary workbook and the CSV
# ---------------------------------------------------------------------------------------


def test_employees_sheet_is_a_table_with_the_contract_columns(run: ConsolidateResult, spec: Spec) -> None:
    wb = openpyxl.load_workbook(run.out)
    """Row 1: Chinese labels for people; row 2: the table's column ids for scripts; statuses
    shown in Chinese (正常 / 未完成 / 退回 / 未交)."""
    ws = wb["Employees"]
    labels = [c.value for c in ws[1]]
    assert labels[:10] == ["工号", "姓名", "岗位", "部门", "直属上级", "考核期间", "状态", "总分", "等级", "文件"]
    assert labels[10] == "维度：业绩"
    header = [c.value for c in ws[2]]
    assert header == list(EMPLOYEE_COLUMNS) + [f"dim.{d}" for d in dimension_ids(spec)] + list(SIGNOFF_COLUMNS)
    assert len(ws.tables) == 1
    (table,) = ws.tables.values()
    assert table.ref == f"A2:{openpyxl.utils.get_column_letter(len(header))}{len(run.employees) + 2}"
    assert [c.name for c in table.tableColumns] == header
    frame = pd.read_excel(run.out, sheet_name="Employees", header=1, dtype={"employee_id": str}, engine="calamine")
    assert len(frame) == len(run.employees)
    assert set(frame.status) == {"正常", "未完成", "退回", "未交"}
    ok = frame[frame.status == "正常"]
    assert ok.total_score.notna().all() and frame[frame.status != "正常"].total_score.isna().all()
    assert set(wb.sheetnames) >= {"Employees", "Issues", "Overview", "KPIs", "Audit"}
    assert [c.value for c in wb["Issues"][1]] == ["file", "sheet", "cell", "severity", "code", "message"]
    assert wb["Issues"].max_row == len(run.issues) + 1
    codes = [c.value for c in wb["Issues"]["E"]][1:]
    assert codes == [i.code for i in run.issues] and all(codes)


def test_no_formula_in_the_summary_but_the_overviews(run: ConsolidateResult) -> None:
    wb = openpyxl.load_workbook(run.out)
    formulas = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or isinstance(cell.value, ArrayFormula):
                    formulas.append((ws.title, cell.coordinate, cell.value))
    assert formulas and {sheet for sheet, _, _ in formulas} == {"Overview"}
    allowed = {
        "COUNTIF",
        "COUNTIFS",
        "SUMPRODUCT",
        "IF",
        "SUM",
        "COUNT",
        "AVERAGE",
        "AVERAGEIFS",
        "MEDIAN",
        "MIN",
        "MAX",
        "ISNUMBER",
    }  # all in Excel 2010, LibreOffice and WPS
    for _, _, value in formulas:
        text = value.text if isinstance(value, ArrayFormula) else value
        assert text.startswith("=") and "evil" not in text, text
        assert set(re.findall(r"([A-Z][A-Z0-9.]*)\(", text)) <= allowed, text
        assert set(re.findall(r"(\w+)!", text)) <= {"Employees"}, text
    # the hostile name stays a string in Employees, and in the raw XML a text cell
    names = [c.value for c in wb["Employees"]["B"]]
    assert HOSTILE_NAME in names
    assert "=1+2.xlsx" in "".join(str(c.value) for c in wb["Employees"]["J"])


def test_hostile_text_in_the_manifest_is_cleaned(returned: Returned, spec: Spec, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    rows = list(csv.DictReader(returned.manifest.open(encoding="utf-8-sig")))
    rows[0]["employee_name"] = "王\x07芳\x1b"
    rows[0]["department"] = "+SUM(A1:A9)"
    rows[2]["employee_name"] = "_x0041_B"  # Excel would show "AB" unless the underscore is escaped
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = consolidate(
        [returned.root / "陈总监"], tmp_path / "s.xlsx", spec=spec, manifest=manifest, csv=tmp_path / "s.csv", workers=1
    )
    ws = openpyxl.load_workbook(result.out)["Employees"]
    assert ws["B3"].value == "王芳" and ws["D3"].value == "+SUM(A1:A9)" and ws["D3"].data_type == "s"
    # calamine decodes _xHHHH_ escapes as Excel and LibreOffice do (openpyxl does not)
    frame = pd.read_excel(result.out, sheet_name="Employees", header=1, engine="calamine")
    assert frame.employee_name[2] == "_x0041_B"
    text = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert "'+SUM(A1:A9)" in text and "\x07" not in text


def test_csv_has_bom_and_the_employees_rows(run: ConsolidateResult) -> None:
    assert run.csv is not None
    data = run.csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    header = [c.value for c in openpyxl.load_workbook(run.out)["Employees"][2]]
    assert rows[0] == header
    assert {r[6] for r in rows[1:]} == {"ok", "incomplete", "rejected", "missing"}, "ids in the CSV"
    assert len(rows) == len(run.employees) + 1
    by_id = {r[0]: r for r in rows[1:] if r[0]}
    for row in run.employees:
        if row.status == "ok":
            assert float(by_id[row.employee_id][7]) == row.total_score
    assert by_id["E1002"][1] == "'" + HOSTILE_NAME  # Excel shows it as text, never runs it


def test_kpis_and_audit_sheets(run: ConsolidateResult, spec: Spec) -> None:
    frame = pd.read_excel(run.out, sheet_name="KPIs", engine="calamine")
    assert len(frame) == spec.kpi_count
    ok_rows = [r for r in run.employees if r.status == "ok"]
    for _, row in frame.iterrows():
        scores = [r.kpis[row.kpi_id] for r in ok_rows if r.role_id == row.role_id]
        numbers = [s for s in scores if isinstance(s, float)]
        assert row.scored == len(numbers) and row.na == scores.count("N/A")
        if numbers:
            assert math.isclose(row.mean_score, statistics.fmean(numbers)) and row.max_score == max(numbers)
    audit = pd.read_excel(run.out, sheet_name="Audit", engine="calamine")
    assert len(audit) == len(run.findings) > 0


@pytest.mark.libreoffice
def test_overview_formulas_recalculated_by_libreoffice_match_pandas(run: ConsolidateResult, tmp_path: Path) -> None:
    (recalculated,) = recalculate([run.out], tmp_path)
    employees = pd.read_excel(run.out, sheet_name="Employees", header=1, dtype={"employee_id": str}, engine="calamine")
    employees["status"] = employees.status.map(STATUS_IDS)  # shown 正常, 未完成...: back to the ids
    ok = employees[employees.status == "ok"]
    for source in (run.out, recalculated):  # kpibook's cached values, then LibreOffice's own
        sections = overview_sections(source)
        status = sections["Headcount by status"]
        for s in STATUSES:
            assert status[STATUS_LABELS[s][0]][0] == (employees.status == s).sum()
        total = sections["Total score of ok employees"]
        assert total["employees scored"][0] == len(ok)
        assert close(total["mean"][0], ok.total_score.mean()) and close(total["median"][0], ok.total_score.median())
        assert total["min"][0] == ok.total_score.min() and total["max"][0] == ok.total_score.max()
        grades = sections["Grade distribution"]
        for grade, values in grades.items():
            assert values[2] == (ok.grade == grade).sum()
        for title, column in (("By role", "role_id"), ("By department", "department"), ("By manager", "manager")):
            section = sections[title]
            assert section, title
            for label, values in section.items():
                group = employees[employees[column].str.casefold() == str(label).casefold()]
                group_ok = group[group.status == "ok"]
                headcount, counts, stats = values[1], values[2:6], values[6:10]  # values[0]: the role's name
                assert headcount == len(group), (title, label)
                assert counts == [(group.status == s).sum() for s in STATUSES]
                if len(group_ok):
                    assert close(stats[0], group_ok.total_score.mean())
                    assert close(stats[1], group_ok.total_score.median())
                    assert stats[2] == group_ok.total_score.min() and stats[3] == group_ok.total_score.max()
                else:
                    assert all(v in (None, "") for v in stats)
        dims = sections["Mean score by dimension"]
        for dim_id, values in dims.items():
            column = ok[f"dim.{dim_id}"].dropna()
            assert values[1] == len(column)
            if len(column):
                assert close(values[2], column.mean()) and values[3] == column.min() and values[4] == column.max()


def close(a: object, b: float) -> bool:
    return isinstance(a, (int, float)) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def overview_sections(path: Path) -> dict[str, dict[str, list[object]]]:
    """The Overview as {section title (English part): {row label: the row's other values}}."""
    ws = openpyxl.load_workbook(path, data_only=True)["Overview"]
    sections: dict[str, dict[str, list[object]]] = {}
    current: dict[str, list[object]] | None = None
    header_next = False
    for row in ws.iter_rows(min_row=4, max_col=11, values_only=True):
        if all(v in (None, "") for v in row):
            current = None
            continue
        if current is None:
            title = re.sub(r"\s*[\u4e00-\u9fff(（].*$", "", str(row[0])).strip()
            current = sections.setdefault(title, {})
            header_next = True
            continue
        if header_next:
            header_next = False
            continue
        current[str(row[0])] = list(row[1:])
    return sections


# ---------------------------------------------------------------------------------------
# Smaller cases
# ---------------------------------------------------------------------------------------


def test_clean_folder_exits_0_and_the_period_comes_from_the_majority(
    returned: Returned, spec: Spec, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("E1001_王芳_2026Q4.xlsx", "E1003_张敏_2026Q4.xlsx"):
        shutil.copy(next(returned.root.rglob(name)), folder / name)
    result = consolidate([folder], tmp_path / "s.xlsx", spec=spec, workers=1)
    assert [r.status for r in result.employees] == ["ok", "ok"] and not result.problems
    assert result.exit_code == 0 and result.period == PERIOD
    shutil.copy(next(returned.root.rglob("E1009_q3.xlsx")), folder)
    result = consolidate([folder], tmp_path / "s.xlsx", spec=spec, workers=1)
    assert {r.employee_id: r.status for r in result.employees}["E1009"] == "rejected"
    result = consolidate([folder], tmp_path / "s.xlsx", spec=spec, workers=1, period="2026Q3")
    statuses = {r.employee_id: r.status for r in result.employees}
    assert statuses == {"E1001": "rejected", "E1003": "rejected", "E1009": "ok"}
    # last quarter's workbook beside this quarter's: not a duplicate, only an issue
    blank = next(returned.manifest.parent.rglob("E1009_*.xlsx"))
    role = spec.role("sales_specialist")
    fill_workbook(blank, folder / "E1009_q4.xlsx", spec, manager_actuals(role, random.Random(9)))
    result = consolidate([folder], tmp_path / "s.xlsx", spec=spec, workers=1)
    rows = {r.employee_id: r for r in result.employees}
    assert len(result.employees) == 3 and rows["E1009"].status == "ok" and rows["E1009"].file.endswith("q4.xlsx")
    assert [i.code for i in result.issues if i.severity == "error"] == ["period"]


def test_summary_inside_the_input_folder_is_not_read_back(returned: Returned, spec: Spec, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(returned.root.rglob("E1001_王芳_2026Q4.xlsx")), folder)
    first = consolidate([folder], folder / "summary.xlsx", spec=spec, workers=1)
    second = consolidate([folder], folder / "summary.xlsx", spec=spec, workers=1)
    assert first.files_read == second.files_read == 1 and second.exit_code == 0


def test_cli_consolidate(returned: Returned, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "summary.xlsx"
    code = main(
        [
            "consolidate",
            str(returned.root),
            "--out",
            str(out),
            "--manifest",
            str(returned.manifest),
            "--csv",
            str(tmp_path / "summary.csv"),
            "--spec",
            str(ROOT / "roles.toml"),
        ]
    )
    captured = capsys.readouterr()
    assert code == 1 and out.is_file() and (tmp_path / "summary.csv").is_file()
    assert str(out) in captured.out
    assert "rejected" in captured.out and "Traceback" not in captured.err
    assert main(["consolidate", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert "nowhere" in capsys.readouterr().err
    assert main(["consolidate", str(returned.root), "--out", str(tmp_path)]) == 2  # a folder, not a file
    assert main(["consolidate", str(returned.root), "--out", str(tmp_path / "no" / "such" / "s.xlsx")]) == 2
    capsys.readouterr()


def test_outputs_never_replace_an_input(returned: Returned, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = next(returned.root.rglob("E1001_王芳_2026Q4.xlsx"))
    before = _sha(workbook)
    assert main(["consolidate", str(returned.root), "--out", str(workbook)]) == 2
    assert "not a summary written by kpibook" in capsys.readouterr().err and _sha(workbook) == before
    manifest = returned.manifest.read_bytes()
    for option in (["--csv", str(returned.manifest)], ["--csv", str(ROSTER)]):
        assert main(["consolidate", str(returned.root), "--out", str(tmp_path / "s.xlsx"), *option]) == 2
        assert "Traceback" not in capsys.readouterr().err
    assert returned.manifest.read_bytes() == manifest and not (tmp_path / "s.xlsx").exists()


def test_python_dash_m_runs_the_command(returned: Returned, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(returned.root.rglob("E1001_王芳_2026Q4.xlsx")), folder)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kpibook",
            "consolidate",
            str(folder),
            "--out",
            str(tmp_path / "s.xlsx"),
            "--spec",
            str(ROOT / "roles.toml"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
