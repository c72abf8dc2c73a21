"""Calibration on real files: the guideline in the spec, the workbook calibrate writes (and
LibreOffice recalculates), and the decisions read back by consolidate --calibration."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kpibook.audit import audit
from kpibook.calibrate import calibrate, department_ranks
from kpibook.calibration_apply import apply_calibration, final_grade
from kpibook.calibration_fill import fill_calibration
from kpibook.calibration_sheets import make_book, workbook_bytes
from kpibook.cli import main
from kpibook.consolidate import consolidate
from kpibook.demo import demo
from kpibook.errors import KpibookError, SpecError
from kpibook.fingerprint import Key
from kpibook.guideline import Person, check, headcount, manager_stats
from kpibook.records import EmployeeRow
from kpibook.resources import bundled_spec_path
from kpibook.spec import Spec, load_spec, parse_spec
from kpibook.summary_read import read_summary
from tests.lo import cached_values, recalculate, to_pdf

SPEC_TEXT = bundled_spec_path().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("calib") / "out"
    demo(out)
    return out


@pytest.fixture(scope="module")
def blank(demo_out: Path) -> Path:
    path = demo_out / "blank-calibration.xlsx"
    calibrate(demo_out / "summary.xlsx", path, spec=bundled_spec_path())
    return path


def fill(source: Path, dest: Path, decisions: dict[str, tuple[str, str]], spec: Spec | None = None) -> Path:
    """Types calibrated grades and reasons as the meeting would (every other byte untouched but
    the formulas' cached values, recomputed under `spec`, the bundled one unless given)."""
    return fill_calibration(source, dest, decisions, spec or load_spec(bundled_spec_path()))


def ok_employees(demo_out: Path) -> list[dict[str, object]]:
    return [e for e in read_summary(demo_out / "summary.xlsx").employees if e["status"] == "ok"]


# --- the guideline in the spec ------------------------------------------------------------


def test_the_bundled_spec_has_a_guideline() -> None:
    guideline = load_spec(bundled_spec_path()).calibration
    assert guideline is not None
    assert [(x.grades, x.max, x.min, x.per) for x in guideline.limits] == [
        (("S",), 0.1, None, "all"),
        (("S", "A"), 0.3, None, "all"),
        (("S", "A"), 0.4, None, "department"),
        (("C", "D"), None, 0.05, "all"),
    ]
    assert guideline.rounding == "nearest" and guideline.min_group == 5


@pytest.mark.parametrize(
    ("limit", "key", "expected"),
    [
        ('grades = ["Z"]\nmax = "10%"', "grades", "calibration.limits[4].grades"),
        ('grades = ["S"]\nmax = "150%"', "max", "calibration.limits[4].max"),
        ('grades = ["S"]', None, "has neither max nor min"),
        ('grades = ["S"]\nmax = "10%"\nmin = "20%"', "min", "min 20% is above max 10%"),
        ('grades = ["S"]\nmax = 0.1\nrole = "astronaut"', "role", "calibration.limits[4].role"),
        ('grades = ["S"]\nmax = 0.1\nper = "team"', "per", "calibration.limits[4].per"),
        ('grades = ["S"]\nmaximum = 0.1', "maximum", "calibration.limits[4].maximum"),
    ],
)
def test_a_wrong_limit_names_its_key_and_line(limit: str, key: str | None, expected: str) -> None:
    last = 'grades = ["C", "D"]\nmin = "5%"\n'
    text = SPEC_TEXT.replace(last, f"{last}\n[[calibration.limits]]\n{limit}\n")
    lines = text.splitlines()
    header = max(i for i, x in enumerate(lines, 1) if x.startswith("[[calibration.limits]]"))
    line = header if key is None else next(i for i in range(header, len(lines) + 1) if lines[i - 1].startswith(key))
    with pytest.raises(SpecError) as caught:
        parse_spec(text)
    problem = next(p for p in caught.value.problems if expected in str(p))
    assert f"(line {line})" in problem.where


def test_a_wrong_rounding_is_reported_with_its_line() -> None:
    text = SPEC_TEXT.replace('rounding = "nearest"', 'rounding = "sideways"')
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "sideways" in x)
    with pytest.raises(SpecError, match=rf"calibration.rounding \(line {line}\).*sideways"):
        parse_spec(text)


def test_spec_check_lists_the_guideline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spec", "check", str(bundled_spec_path())]) == 0
    assert "calibration guideline: S ≤ 10% (all 全部); S+A ≤ 30%" in capsys.readouterr().out


def test_a_spec_without_a_guideline_still_loads() -> None:
    start = SPEC_TEXT.index("[calibration]")
    end = SPEC_TEXT.index("# ====", start)
    assert parse_spec(SPEC_TEXT[:start] + SPEC_TEXT[end:]).calibration is None


# --- arithmetic -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "people", "rounding", "expected"),
    [
        (0.1, 19, "nearest", 2),  # SuccessFactors' example
        (0.1, 14, "nearest", 1),
        (0.1, 4, "nearest", 0),  # a small group allows nobody
        (0.05, 10, "nearest", 1),  # a half rounds up, as Excel's ROUND
        (0.35, 10, "nearest", 4),
        (0.1, 19, "down", 1),
        (0.1, 30, "up", 3),  # not 4: 0.1 x 30 is 3.0000000000000004 in binary
        (0.1, 11, "up", 2),
    ],
)
def test_small_group_rounding(share: float, people: int, rounding: str, expected: int) -> None:
    assert headcount(share, people, rounding) == expected


@pytest.mark.parametrize(
    ("grade", "calibrated", "reason", "expected"),
    [
        ("B", "", "", "B"),
        ("B", "A", "led the launch", "A"),
        ("B", "A", "  ", "B"),  # no reason: not applied
        ("B", "Z", "typo", "B"),  # not a grade: not applied
        ("B", "a", "case as typed", "A"),  # spreadsheets compare grades ignoring case
        ("B", "B", "", "B"),
    ],
)
def test_final_grade_rule(grade: str, calibrated: str, reason: str, expected: str) -> None:
    assert final_grade(grade, calibrated, reason, ["D", "C", "B", "A", "S"]) == expected


def test_manager_statistics_equal_pandas(demo_out: Path) -> None:
    ok = pd.DataFrame(ok_employees(demo_out))
    people = [
        Person(str(r.employee_id), str(r.manager), str(r.role_id), str(r.department), float(r.total_score),
               str(r.grade), str(r.grade))
        for r in ok.itertuples()
    ]  # fmt: skip
    guideline = load_spec(bundled_spec_path()).calibration
    assert guideline is not None
    stats = {s.manager: s for s in manager_stats(guideline, people)}
    grouped = ok.groupby("manager")["total_score"]
    top = ok.assign(top=ok["grade"].isin(["S", "A"])).groupby("manager")["top"].mean()
    assert set(stats) == set(grouped.groups)
    for manager, s in stats.items():
        assert s.people == grouped.count()[manager]
        assert s.mean == pytest.approx(grouped.mean()[manager], abs=1e-9)
        assert s.median == pytest.approx(grouped.median()[manager], abs=1e-9)
        assert s.top_share == pytest.approx(top[manager])
        assert s.gap == pytest.approx(grouped.mean()[manager] - ok["total_score"].mean(), abs=1e-9)
    flagged = {m for m, s in stats.items() if s.flag}
    assert flagged == {m for m, s in stats.items() if s.people >= 3 and abs(s.gap) > 5}


# --- the workbook, recalculated by LibreOffice --------------------------------------------------

DECISIONS = {"E1001": ("A", "带教三名新人 mentored three new hires"), "E1019": ("A", "")}


MEETING = {**DECISIONS, "E1013": ("B", "客户流失 lost a key account")}


@pytest.mark.libreoffice
def test_counts_recalculated_by_libreoffice_equal_python(demo_out: Path, blank: Path, tmp_path: Path) -> None:
    filled = fill(blank, tmp_path / "calibration.xlsx", MEETING)
    [recalculated] = recalculate([filled], tmp_path / "lo")
    table = cached_values(recalculated, "Calibration")
    assert_engine_agrees(table, cached_values(recalculated, "Distribution"), demo_out)


def gnumeric_cells(path: Path, out_dir: Path) -> tuple[dict[str, object], dict[str, object]]:
    """The Calibration and Distribution sheets as Gnumeric computes them."""
    if shutil.which("ssconvert") is None:
        if os.environ.get("KPIBOOK_REQUIRE_LIBREOFFICE"):  # CI installs gnumeric beside LibreOffice
            pytest.fail("ssconvert (gnumeric) not found")
        pytest.skip("ssconvert (gnumeric) not found")
    out = out_dir / "sheet.csv"
    subprocess.run(
        ["ssconvert", "-S", "--export-type=Gnumeric_stf:stf_csv", str(path), str(out)],
        capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    return csv_cells(out_dir / "sheet.csv.0"), csv_cells(out_dir / "sheet.csv.1")


def test_counts_recalculated_by_gnumeric_equal_python(demo_out: Path, blank: Path, tmp_path: Path) -> None:
    """Gnumeric, like Excel, does not turn a lone boolean array into numbers in SUMPRODUCT."""
    filled = fill(blank, tmp_path / "calibration.xlsx", MEETING)
    assert_engine_agrees(*gnumeric_cells(filled, tmp_path), demo_out)


EVERY_KIND = """
[[calibration.limits]]
grades = ["B"]
min = "20%"
max = "60%"
per = "role"

[[calibration.limits]]
grades = ["S", "A"]
max = "25%"
role = "sales_specialist"

[[calibration.limits]]
grades = ["A"]
max = "15%"
department = "市场销售部/华东"
"""


def test_every_kind_of_limit_computes_as_python(demo_out: Path, tmp_path: Path) -> None:
    """Ranges, per-role groups, role and department filters and rounding down, in Gnumeric."""
    text = SPEC_TEXT.replace('rounding = "nearest"', 'rounding = "down"') + EVERY_KIND
    spec = parse_spec(text)
    people = [
        Person(str(e["employee_id"]), str(e["manager"]), str(e["role_id"]), str(e["department"]),
               float(e["total_score"]), str(e["grade"]), str(e["grade"]), str(e["employee_name"]))  # type: ignore[arg-type]
        for e in ok_employees(demo_out)
    ]  # fmt: skip
    people.sort(key=lambda p: (p.department, -p.total_score))
    book = make_book(spec, period="2026Q4", summary_sha256="", people=people)
    assert {c.limit.per for c in book.checks} == {"all", "department", "role"}
    path = tmp_path / "every.xlsx"
    path.write_bytes(workbook_bytes(book, Key(b"test", "test")))
    filled = fill(path, tmp_path / "filled.xlsx", MEETING, spec)
    assert_engine_agrees(*gnumeric_cells(filled, tmp_path), demo_out, spec)


def csv_cells(path: Path) -> dict[str, object]:
    """A sheet exported as CSV, as {"A1": value}: numbers as floats, empty cells as None."""
    cells: dict[str, object] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for r, row in enumerate(csv.reader(handle), 1):
            for c, text in enumerate(row, 1):
                try:
                    value: object = float(text)
                except ValueError:
                    value = text or None
                cells[f"{openpyxl.utils.get_column_letter(c)}{r}"] = value
    return cells


def assert_engine_agrees(
    table: dict[str, object], dist: dict[str, object], demo_out: Path, spec: Spec | None = None
) -> None:
    """What a spreadsheet computed in the Calibration and Distribution sheets equals Python's."""
    spec = spec or load_spec(bundled_spec_path())
    scale = [g.grade for g in spec.grades]
    people, row_of = [], {}
    for r in range(2, 2 + len(ok_employees(demo_out))):
        row_of[table[f"A{r}"]] = r
        grade, new, reason = table[f"G{r}"], table.get(f"I{r}") or "", table.get(f"J{r}") or ""
        final = final_grade(str(grade), str(new), str(reason), scale)
        assert table[f"K{r}"] == final, f"row {r}"
        people.append(Person(str(table[f"A{r}"]), str(table[f"C{r}"]), str(table[f"D{r}"]), str(table[f"E{r}"]),
                             float(table[f"F{r}"]), str(grade), final))  # fmt: skip
    assert "reason" in str(table[f"L{row_of['E1019']}"])  # the visible flag
    assert [table[f"H{r}"] for r in sorted(row_of.values())] == department_ranks(people)
    for i, grade in enumerate(reversed(scale)):
        assert dist[f"E{8 + i}"] == sum(p.grade == grade for p in people)
        assert dist[f"G{8 + i}"] == sum(p.final_grade == grade for p in people)
    checks = check(spec.calibration, people)  # type: ignore[arg-type]
    first = 8 + len(scale) + 3
    for i, c in enumerate(checks):
        row = first + i
        assert (dist[f"D{row}"], dist[f"G{row}"], dist[f"H{row}"], dist[f"I{row}"]) == (
            c.people, c.before, c.after, c.to_move
        ), c.limit.text()  # fmt: skip
        assert dist.get(f"E{row}") == c.allowed_max and dist.get(f"F{row}") == c.required_min
    stats = manager_stats(spec.calibration, people)  # type: ignore[arg-type]
    manager_row = first + len(checks) + 3
    for i, s in enumerate(stats):
        r = manager_row + i
        assert dist[f"A{r}"] == s.manager
        assert dist[f"C{r}"] == pytest.approx(s.mean) and dist[f"D{r}"] == pytest.approx(s.median)
        assert bool(dist.get(f"H{r}")) == bool(s.flag)


@pytest.mark.libreoffice
def test_the_workbook_prints_one_page_wide(blank: Path, tmp_path: Path) -> None:
    pdf = to_pdf(blank, tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    table = [p for p in pages if "employee_id" in p and "dept_rank" in p]
    # fit to one page wide: the first and the last column of the table print on the same page
    assert table and all("final_grade" in p and "check" in p for p in table)
    distribution = [p for p in pages if "Grade distribution" in p]
    assert distribution and all("to move" in p and "status" in p for p in distribution)


# --- read back ---------------------------------------------------------------------------


def test_consolidate_applies_the_calibration(demo_out: Path, blank: Path, tmp_path: Path) -> None:
    filled = fill(blank, tmp_path / "calibration.xlsx", DECISIONS)
    result = consolidate(
        [demo_out / "returned"], tmp_path / "s.xlsx", spec=bundled_spec_path(),
        manifest=demo_out / "workbooks" / "manifest.csv", csv=tmp_path / "s.csv", calibration=filled,
    )  # fmt: skip
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {r["employee_id"]: r for r in csv.DictReader(handle)}
    assert rows["E1001"]["calibrated_grade"] == "A" and rows["E1001"]["final_grade"] == "A"
    assert rows["E1001"]["calibration_reason"].startswith("带教")
    assert rows["E1019"]["calibrated_grade"] == "A" and rows["E1019"]["final_grade"] == rows["E1019"]["grade"]
    assert all(r["final_grade"] == r["grade"] for k, r in rows.items() if k not in ("E1001",) and r["status"] == "ok")
    assert all(r["final_grade"] == "" for r in rows.values() if r["status"] != "ok")
    no_reason = [i for i in result.issues if i.code == "calibration.no_reason"]
    assert len(no_reason) == 1 and "E1019" in no_reason[0].message and no_reason[0].cell.startswith("J")
    summary = read_summary(tmp_path / "s.xlsx")  # still verifies, with the new columns signed
    assert summary.header[-3:] == ["calibrated_grade", "final_grade", "calibration_reason"]
    sheet = [r for r in openpyxl.load_workbook(tmp_path / "s.xlsx")["Calibration"].iter_rows(values_only=True)]
    assert ("E1001", "王芳", "陈总监", "B", "A", "yes", "带教三名新人 mentored three new hires") in [
        r[:7] for r in sheet
    ]
    assert any(str(r[0]).startswith("仍未满足的指引 Limits still broken") for r in sheet)


def test_a_tampered_score_is_refused(demo_out: Path, blank: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(blank)
    book["Calibration"]["F2"].value = 119.0
    book.save(tmp_path / "tampered.xlsx")
    with pytest.raises(KpibookError, match="changed after kpibook calibrate wrote it"):
        apply_calibration(tmp_path / "tampered.xlsx", [], load_spec(bundled_spec_path()), Key(b"x", "x"), "")
    findings = audit([tmp_path / "tampered.xlsx"], spec=bundled_spec_path()).findings
    assert [f.code for f in findings] == ["calibration.unverified"]


def test_a_calibration_for_another_period_or_key_is_refused(demo_out: Path, blank: Path) -> None:
    spec = load_spec(bundled_spec_path())
    with pytest.raises(KpibookError, match="calibrates period 2026Q4, but this summary is for 2027Q1"):
        apply_calibration(blank, [], spec, _demo_key(), "2027Q1")
    with pytest.raises(KpibookError, match="signed with another key"):
        apply_calibration(blank, [], spec, Key(b"another key", "other"), "2026Q4")


def summary_rows(demo_out: Path) -> list[EmployeeRow]:
    """The demo summary's Employees rows, as consolidate hands them to apply_calibration."""
    return [
        EmployeeRow(str(e["employee_id"]), str(e["employee_name"]), str(e["role_id"]), str(e["department"]),
                    str(e["manager"]), str(e["period"]), str(e["status"]),
                    float(e["total_score"]) if isinstance(e.get("total_score"), (int, float)) else None,  # type: ignore[arg-type]
                    str(e.get("grade") or ""), str(e.get("file") or ""))
        for e in read_summary(demo_out / "summary.xlsx").employees
    ]  # fmt: skip


def test_a_calibration_made_on_other_scores_is_not_applied(demo_out: Path, blank: Path, tmp_path: Path) -> None:
    """A workbook sent again after the meeting changed E1001's score; E1002 was not in the meeting."""
    filled = fill(blank, tmp_path / "c.xlsx", {"E1001": ("A", "mentoring"), "E1003": ("A", "key account won")})
    rows = summary_rows(demo_out)
    changed = next(r for r in rows if r.employee_id == "E1001")
    changed.total_score = (changed.total_score or 0) + 1.5
    applied = apply_calibration(filled, rows, load_spec(bundled_spec_path()), _demo_key(), "2026Q4")
    assert applied.values(changed) == ["", changed.grade, ""]
    e1003 = next(r for r in rows if r.employee_id == "E1003")
    assert applied.values(e1003)[1] == "A"
    codes = sorted(i.code for i in applied.issues)
    assert codes == ["calibration.stale"]
    absent = apply_calibration(filled, rows + [EmployeeRow("E2000", "新人", "sales_support", "市场销售部/华东", "王芳",
                               "2026Q4", "ok", 90.0, "B", "x.xlsx")], load_spec(bundled_spec_path()), _demo_key(),
                               "2026Q4")  # fmt: skip
    assert [i.code for i in absent.issues if "E2000" in i.message] == ["calibration.absent"]
    others = [EmployeeRow("E9", "某", "sales_support", "d", "m", "2026Q4", "ok", 90.0, "B", "x.xlsx")]
    with pytest.raises(KpibookError, match="calibrates another summary: none of its 20 employees"):
        apply_calibration(filled, others, load_spec(bundled_spec_path()), _demo_key(), "2026Q4")


def test_a_foreign_summary_is_refused(demo_out: Path, tmp_path: Path) -> None:
    with pytest.raises(KpibookError, match="signed with key demo"):
        calibrate(
            demo_out / "summary.xlsx", tmp_path / "c.xlsx", spec=bundled_spec_path(), key=Key(b"k" * 32, "hr2026")
        )
    workbook = next((demo_out / "workbooks").rglob("*.xlsx"))
    with pytest.raises(KpibookError, match="not a department summary"):
        calibrate(workbook, tmp_path / "c.xlsx", spec=bundled_spec_path())
    assert not (tmp_path / "c.xlsx").exists()


def test_audit_finds_an_edited_formula_and_an_unlocked_cell(blank: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(blank)
    sheet = book["Calibration"]
    sheet["K3"].value = '="S"'
    sheet["F4"].protection = openpyxl.styles.Protection(locked=False)
    book["Distribution"]["G8"].value = "=0"  # the "after" count of S, made to look compliant
    book.save(tmp_path / "edited.xlsx")
    clean = audit([blank], spec=bundled_spec_path())
    assert clean.exit_code == 0, clean.lines()
    codes = sorted(f.code + "@" + f.cell for f in audit([tmp_path / "edited.xlsx"], spec=bundled_spec_path()).findings)
    assert codes == ["calibration.formula@G8", "calibration.formula@K3", "calibration.unlocked@F4"]


def test_cli_calibrate(demo_out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.xlsx"
    spec = str(bundled_spec_path())
    assert main(["calibrate", str(demo_out / "summary.xlsx"), "--out", str(out), "--spec", spec]) == 0
    assert "20 employee(s) to calibrate, 4 not calibrated" in capsys.readouterr().out
    roster = tmp_path / "roster.xlsx"
    roster.write_bytes(b"not ours")
    assert main(["calibrate", str(demo_out / "summary.xlsx"), "--out", str(roster), "--spec", spec]) == 2
    assert roster.read_bytes() == b"not ours"
    assert "not a calibration workbook written by kpibook" in capsys.readouterr().err
    not_ok = openpyxl.load_workbook(out)["Not calibrated"]
    assert {not_ok.cell(r, 1).value for r in range(2, not_ok.max_row + 1)} == {"E1006", "E1009", "E1023", "E1024"}


def _demo_key() -> Key:
    from kpibook.fingerprint import load_key

    return load_key()


def test_a_filled_calibration_is_never_overwritten(demo_out: Path, blank: Path, tmp_path: Path) -> None:
    filled = fill(blank, tmp_path / "filled.xlsx", DECISIONS)
    before = filled.read_bytes()
    with pytest.raises(KpibookError, match="already holds calibrated grades"):
        calibrate(demo_out / "summary.xlsx", filled, spec=bundled_spec_path())
    assert filled.read_bytes() == before
    calibrate(demo_out / "summary.xlsx", blank, spec=bundled_spec_path())  # a blank one is replaced


def test_the_demo_plants_two_moves(demo_out: Path) -> None:
    with open(demo_out / "summary.csv", encoding="utf-8-sig") as handle:
        assert "final_grade" not in handle.readline()
    calibrated = read_summary(demo_out / "summary-calibrated.xlsx")
    rows = {e["employee_id"]: e for e in calibrated.employees}
    assert (rows["E1001"]["grade"], rows["E1001"]["final_grade"]) == ("B", "A")
    assert (rows["E1019"]["calibrated_grade"], rows["E1019"]["final_grade"]) == ("A", rows["E1019"]["grade"])
    assert [i["cell"] for i in calibrated.issues if "without a reason" in str(i["message"])] == ["J16"]
