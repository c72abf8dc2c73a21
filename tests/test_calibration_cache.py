"""The calibration workbook carries the cached value of every formula, the value LibreOffice
computes, so previewers that do not calculate show the same numbers as a spreadsheet: as
calibrate writes it, and after the meeting's decisions are typed (kpibook.calibration_fill)."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from lxml import etree
from openpyxl.worksheet.formula import ArrayFormula

from kpibook import ooxml
from kpibook.as_excel import C, chart_mismatches
from kpibook.audit import audit
from kpibook.calibrate import calibrate
from kpibook.calibration_apply import final_grade
from kpibook.calibration_fill import fill_calibration
from kpibook.calibration_sheets import make_book, workbook_bytes
from kpibook.demo import demo
from kpibook.fingerprint import Key
from kpibook.guideline import Person
from kpibook.resources import bundled_spec_path
from kpibook.spec import load_spec, parse_spec
from kpibook.summary_read import read_summary
from tests import programs
from tests.common import plant_chart_point
from tests.lo import recalculate
from tests.test_calibrate import EVERY_KIND, SPEC_TEXT

SHEETS = ("Calibration", "Distribution")
# the meeting: two moves with a reason (one typed in lower case), a move without a reason, one
# whose reason is only spaces, a grade outside the scale, and the grade it already had
DECISIONS = {
    "E1001": ("A", "带教三名新人 mentored three new hires"),
    "E1013": ("b", "客户流失 lost a key account"),
    "E1019": ("A", ""),
    "E1005": ("A", "   "),
    "E1020": ("Z", "typo"),
    "E1004": ("B", "unchanged"),
}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The workbook calibrate writes for the demo, and one with every kind of limit."""
    folder = tmp_path_factory.mktemp("calcache")
    demo(folder / "out")
    blank = folder / "calibration.xlsx"
    calibrate(folder / "out" / "summary.xlsx", blank, spec=bundled_spec_path())
    spec = parse_spec(SPEC_TEXT.replace('rounding = "nearest"', 'rounding = "down"') + EVERY_KIND)
    employees = [e for e in read_summary(folder / "out" / "summary.xlsx").employees if e["status"] == "ok"]
    people = [
        Person(str(e["employee_id"]), str(e["manager"]), str(e["role_id"]), str(e["department"]),
               float(e["total_score"]), str(e["grade"]), str(e["grade"]), str(e["employee_name"]))  # type: ignore[arg-type]
        for e in employees
    ]  # fmt: skip
    people.sort(key=lambda p: (p.department, -p.total_score))
    every = folder / "every.xlsx"
    every.write_bytes(
        workbook_bytes(make_book(spec, period="2026Q4", summary_sha256="", people=people), Key(b"t", "t"))
    )
    filled = fill_calibration(blank, folder / "filled.xlsx", DECISIONS, load_spec(bundled_spec_path()))
    filled_every = fill_calibration(every, folder / "filled_every.xlsx", DECISIONS, spec)
    # MATCH's wildcards: "?" and "*" match a grade in Excel and LibreOffice, "~?" does not
    wild = {"E1021": ("?", "wild card"), "E1007": ("*", "any"), "E1005": ("~?", "literal")}
    wildcards = fill_calibration(blank, folder / "wildcards.xlsx", wild, load_spec(bundled_spec_path()))
    return [blank, every, filled, filled_every, wildcards]


def formula_cells(path: Path) -> dict[str, list[str]]:
    book = openpyxl.load_workbook(path)
    try:
        return {
            name: [
                c.coordinate
                for row in book[name].iter_rows()
                for c in row
                if isinstance(c.value, ArrayFormula) or (isinstance(c.value, str) and c.value.startswith("="))
            ]
            for name in SHEETS
        }
    finally:
        book.close()


def values(path: Path) -> dict[str, dict[str, object]]:
    book = openpyxl.load_workbook(path, data_only=True)
    try:
        return {name: {c.coordinate: c.value for row in book[name].iter_rows() for c in row} for name in SHEETS}
    finally:
        book.close()


def test_every_formula_has_a_value_and_recalculation_stays_on(books: list[Path]) -> None:
    for path in books:
        with zipfile.ZipFile(path) as archive:
            assert b'fullCalcOnLoad="1"' in archive.read("xl/workbook.xml")
            for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
                cells = re.findall(rb"<c [^>]*>(?:(?!</c>).)*<f[ >](?:(?!</c>).)*</c>", archive.read(part), re.S)
                assert cells, part
                assert all(b"<v>" in c or b't="str"' in c for c in cells), part
        cached = values(path)
        formulas = formula_cells(path)
        assert len(formulas["Distribution"]) > 30
        assert all(cached["Calibration"][ref] is not None for ref in formulas["Calibration"] if ref[0] in "HK")


@pytest.mark.libreoffice
def test_cached_values_equal_libreoffice(books: list[Path], tmp_path: Path) -> None:
    recalculated = recalculate(books, tmp_path / "lo")
    for path, theirs_path in zip(books, recalculated):
        ours, theirs = values(path), values(theirs_path)
        compared = 0
        for sheet, refs in formula_cells(path).items():
            for ref in refs:
                mine, lo = ours[sheet][ref], theirs[sheet][ref]
                where = f"{path.name}!{sheet}!{ref}"
                if isinstance(lo, (int, float)) and not isinstance(lo, bool):
                    assert isinstance(mine, (int, float)), (where, mine, lo)
                    assert mine == pytest.approx(lo, abs=1e-9, rel=0), where
                else:
                    assert (mine or "") == (lo or ""), (where, mine, lo)
                compared += 1
        assert compared > 100, path
        drawn = chart_points(path)  # the bars a previewer draws are the numbers LibreOffice computes
        assert [[theirs["Distribution"][ref] for ref, _ in bars] for bars in drawn] == [
            [None if v is None else float(v) for _, v in bars] for bars in drawn
        ], path.name


def chart_points(path: Path) -> list[list[tuple[str, str | None]]]:
    """Each series of the Distribution chart: (the cell each value point draws, its cached
    value; None when the chart caches none)."""
    with zipfile.ZipFile(path) as archive:
        [name] = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        chart = etree.fromstring(archive.read(name))
    series = []
    for ref in chart.iter(f"{{{C}}}numRef"):
        match = re.fullmatch(r"'Distribution'!\$([A-Z])\$(\d+):\$\1\$(\d+)", ref.findtext(f"{{{C}}}f") or "")
        assert match, ref.findtext(f"{{{C}}}f")
        column, first, last = match.group(1), int(match.group(2)), int(match.group(3))
        shown = {int(p.get("idx")): p.findtext(f"{{{C}}}v") for p in ref.iter(f"{{{C}}}pt")}  # type: ignore[arg-type]
        series.append([(f"{column}{r}", shown.get(r - first)) for r in range(first, last + 1)])
    return series


def test_the_chart_caches_the_distribution_cells(books: list[Path], tmp_path: Path) -> None:
    """A previewer draws the Distribution chart from its caches: before, after and the limit of
    every grade are the Distribution cells' cached values, blank and after the meeting typed."""
    for path in books:
        cells = values(path)["Distribution"]
        drawn = chart_points(path)
        assert [ref[0] for ref, _ in (bars[0] for bars in drawn)] == ["E", "G", "D"]  # before, after, limit
        for bars in drawn:
            assert [None if v is None else float(v) for _, v in bars] == [
                None if cells[ref] in (None, "") else float(cells[ref])
                for ref, _ in bars  # type: ignore[arg-type]
            ], path.name
        assert chart_mismatches(path) == [], path.name
    # one move up with its reason: the after bars of the grades it leaves and joins change
    moved = fill_calibration(books[0], tmp_path / "moved.xlsx", dict(list(DECISIONS.items())[:1]),
                             load_spec(bundled_spec_path()))  # fmt: skip
    before_bars, after_bars = chart_points(books[0])[1], chart_points(moved)[1]
    assert [v for _, v in before_bars] != [v for _, v in after_bars]
    assert [float(v or 0) for _, v in after_bars] == [values(moved)["Distribution"][r] for r, _ in after_bars]
    assert chart_mismatches(moved) == []


def test_other_programs_open_the_filled_workbook_with_its_chart(books: list[Path], tmp_path: Path) -> None:
    """The calibration workbook in the form Excel writes (kpibook.as_excel): ExcelJS opens it
    (it failed on openpyxl's absolute drawing targets), SheetJS finds its chart, and Gnumeric
    keeps the chart with its three series (it dropped a drawing whose a:graphic declared its
    own namespace)."""
    filled = books[2]
    programs.require("node")
    seen = programs.open_with_node(filled)
    for library in ("exceljs", "sheetjs"):
        assert "error" not in seen[library], seen[library]
        assert seen[library]["sheets"][:2] == list(SHEETS)
    assert seen["sheetjs"]["charts"] == 1
    programs.require("gnumeric")
    gnumeric = programs.open_with_gnumeric(filled, tmp_path)
    [chart] = gnumeric["charts"]["Distribution"]
    assert [d for d in chart if d.startswith("Distribution!$") and d[14] != "A"] == [
        "Distribution!$E$8:$E$12", "Distribution!$G$8:$G$12", "Distribution!$D$8:$D$12"
    ]  # fmt: skip
    assert "a:graphic" not in gnumeric["messages"] and "Dropping" not in gnumeric["messages"]


def test_the_audit_catches_a_forged_bar(books: list[Path], tmp_path: Path) -> None:
    """A bar showing a number the cells do not hold: the after-count of A made to look lower."""
    filled = books[2]
    [(ref, shown)] = [chart_points(filled)[1][1]]
    forged = plant_chart_point(filled, tmp_path / "forged.xlsx", "0", series=1, index=1)
    found = audit([forged], spec=bundled_spec_path())
    charts = [f for f in found.findings if f.code == "calibration.chart_cache"]
    assert [(f.sheet, f.cell, f.expected, f.found, f.severity) for f in charts] == [
        ("Distribution", ref, shown, "0", "error")
    ], found.lines()
    assert "calibrate" in charts[0].message and ref in charts[0].message
    assert {f.code for f in found.findings} - {"calibration.chart_cache"} == {"calibration.no_reason",
                                                                             "calibration.not_a_grade"}  # fmt: skip


def test_the_audit_passes_on_the_new_file(books: list[Path]) -> None:
    result = audit([books[0]], spec=bundled_spec_path())
    assert result.exit_code == 0 and not result.findings, result.lines()


def test_a_filled_workbook_caches_the_meetings_counts_and_flags(books: list[Path]) -> None:
    """What a previewer or pandas reads from a filled workbook are the values after the
    decisions, as consolidate's own rule (kpibook.calibration_apply) gives them."""
    blank, filled = books[0], books[2]
    scale = [g.grade for g in load_spec(bundled_spec_path()).grades]
    table = pd.read_excel(filled, sheet_name="Calibration", dtype=object, engine="openpyxl").fillna("")
    assert len(table) == 20
    want = {
        row.employee_id: final_grade(row.grade, *DECISIONS.get(row.employee_id, ("", "")), scale)
        for row in table.itertuples()
    }
    assert {e: str(g).upper() for e, g in zip(table.employee_id, table.final_grade)} == want
    checks = dict(zip(table.employee_id, table.check))
    assert checks["E1001"] == "✓ B → A" and checks["E1013"] == "✓ A → b"
    assert "reason needed" in checks["E1019"] and "reason needed" in checks["E1005"]
    assert "not a grade" in checks["E1020"]
    assert checks["E1004"] == "" and checks["E1021"] == ""
    before, after = values(blank)["Distribution"], values(filled)["Distribution"]
    assert (before["B4"], before["H4"]) == (0, 0)
    assert (after["B4"], after["H4"]) == (2, 2)  # E1001 and E1013 moved; E1019 and E1005 lack a reason
    moved = Counter(want.values())
    grades = {after[f"A{r}"]: r for r in range(8, 13)}
    assert {g: after[f"G{r}"] for g, r in grades.items()} == {g: moved[g] for g in grades}
    assert {g: after[f"I{r}"] for g, r in grades.items()} == {g: moved[g] - before[f"E{r}"] for g, r in grades.items()}
    # pandas reads the after counts (rows 8-12, column G) as numbers too
    distribution = pd.read_excel(filled, sheet_name="Distribution", header=None, dtype=object, engine="openpyxl")
    assert list(distribution.iloc[7:12, 6]) == [moved[g] for g in grades]


def test_the_audit_passes_on_a_filled_file_and_catches_a_planted_cache(books: list[Path], tmp_path: Path) -> None:
    filled = books[2]
    clean = audit([filled], spec=bundled_spec_path())  # the meeting's slips are warnings, no cache is wrong
    assert {(f.code, f.cell) for f in clean.findings} == {
        ("calibration.no_reason", "J16"),
        ("calibration.no_reason", "J4"),
        ("calibration.not_a_grade", "I7"),
    }
    planted = tmp_path / "planted.xlsx"
    planted.write_bytes(
        ooxml.rewrite_parts(
            filled,
            {
                "xl/worksheets/sheet1.xml": lambda d: ooxml.cache_formulas(d, {"K16": "A"}.__getitem__),
                "xl/worksheets/sheet2.xml": lambda d: ooxml.cache_formulas(d, {"B4": 0}.__getitem__),
            },
        )
    )
    found = audit([planted], spec=bundled_spec_path())
    forged = {(f.sheet, f.cell, f.expected, f.found) for f in found.findings if f.code == "calibration.cached_value"}
    assert forged == {("Calibration", "K16", "S", "A"), ("Distribution", "B4", "2", "0")}, found.lines()
    assert {f.severity for f in found.findings if f.code == "calibration.cached_value"} == {"error"}
    assert found.workbooks[0].errors
    # the decisions typed by a tool that does not calculate: the blank workbook's caches are stale
    stale = tmp_path / "stale.xlsx"
    stale.write_bytes(
        ooxml.rewrite_parts(filled, {"xl/worksheets/sheet2.xml": lambda d: _cached_from(blank=books[0], data=d)})
    )
    stale_found = {
        f.cell for f in audit([stale], spec=bundled_spec_path()).findings if f.code == "calibration.cached_value"
    }
    assert {"B4", "H4"} <= stale_found and len(stale_found) > 2, stale_found


def _cached_from(blank: Path, data: bytes) -> bytes:
    """The Distribution sheet's XML with the blank workbook's cached values."""
    old = values(blank)["Distribution"]
    return ooxml.cache_formulas(data, lambda ref: old[ref] if old[ref] is not None else "")
