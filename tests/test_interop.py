"""Every spreadsheet program a manager uses: honest saves accepted, the summary readable everywhere.

Filled workbooks are saved by LibreOffice, Gnumeric (`ssconvert --recalc`), ExcelJS and SheetJS
and consolidated: each honest save is `ok` with the total kpibook computes from the actuals the
saved file holds (read back with openpyxl, not with kpibook's reader), or refused with a reason
that is checked to be true of the file and says what to do. The actuals include ratio scores
that land exactly on a decimal half (49.143% of a 60% target is 81.905: Excel's rule gives 81.91,
Gnumeric caches 81.9) and pasted full-precision actuals (16 and 17 significant digits).

summary.xlsx and a generated workbook are opened in ExcelJS, SheetJS, Gnumeric and calamine,
which must find every sheet, defined name, table and chart each of them models.
"""

from __future__ import annotations

import json
import random
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from kpibook import scoring
from kpibook.consolidate import consolidate
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.layout import METADATA, SCORECARD, RoleLayout
from kpibook.records import OK, REJECTED, ConsolidateResult
from kpibook.spec import load_spec
from kpibook.summary import SHEET_ORDER
from tests import programs
from tests.lo import recalculate

ROOT = Path(__file__).resolve().parents[1]
SPEC = load_spec(ROOT / "roles.toml")
# ratio scores exactly on a decimal half: 0.49143 / 0.6 * 100 = 81.905, 0.05626 / 0.08 * 100 = 70.325 ...
HALVES = {"ss_proposal_rate": 0.49143, "mk_campaign_conversion": 0.05626, "mk_report_adoption": 0.42039}
# pasted from a calculation: 16 and 17 significant digits (a file keeps 15 in LibreOffice)
PASTED = {"ss_proposal_rate": 0.4914299999999996, "sm_talent_retention": 0.8233333333333334}
TABLES = ["EmployeesTable", "KPIsTable", "IssuesTable", "AuditTable"]
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample roster's 24 workbooks, filled as managers would: folder `typed` without cached
    values (for programs that calculate), folder `saved` with the values Excel would cache."""
    root = tmp_path_factory.mktemp("interop")
    generate(ROOT / "samples" / "roster.csv", "2026Q4", root / "generated", spec=SPEC)
    rng = random.Random(14)
    for index, path in enumerate(sorted((root / "generated").rglob("*.xlsx"))):
        role = SPEC.role(_metadata(path)["role_id"])
        actuals = manager_actuals(role, rng, na_rate=0.1)
        actuals.update({k.id: HALVES[k.id] for k in role.kpis if k.id in HALVES})
        if index % 2:
            actuals.update({k.id: PASTED[k.id] for k in role.kpis if k.id in PASTED})
        for folder, cache in (("typed", False), ("saved", True)):
            fill_workbook(path, root / folder / path.name, SPEC, actuals, cache_values=cache)
    return root


def _metadata(path: Path) -> dict[str, str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {str(k): str(v) for k, v in wb[METADATA].iter_rows(values_only=True) if k is not None}
    finally:
        wb.close()


def right_total(path: Path) -> object:
    """The total the scoring core gives for the actuals this file holds, read with openpyxl."""
    metadata = _metadata(path)
    layout = RoleLayout(SPEC.role(metadata["role_id"]), SPEC.grades)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(wb[SCORECARD].iter_rows(values_only=True))
    finally:
        wb.close()

    def value(ref: str) -> object:
        column, row = openpyxl.utils.cell.coordinate_from_string(ref)
        line = rows[row - 1] if row <= len(rows) else ()
        index = openpyxl.utils.column_index_from_string(column) - 1
        return line[index] if index < len(line) else None

    actuals = {k.id: value(layout.kpi_cell(k.id, "actual")) for k in layout.role.kpis}
    targets = {k: float(v) for k, v in json.loads(metadata["targets"]).items()}
    return scoring.score_role(layout.role, layout.grades, actuals, targets).total


def _saved_by(program: str, filled: Path, tmp_path: Path) -> Path:
    out = tmp_path / program
    out.mkdir()
    source = filled / ("typed" if program in ("libreoffice", "gnumeric") else "saved")
    pairs = [(path, out / path.name) for path in sorted(source.glob("*.xlsx"))]
    if program == "libreoffice":
        recalculate([p for p, _ in pairs], out)
    elif program == "gnumeric":
        programs.save_with_gnumeric(pairs)
    else:
        programs.save_with_node(program, pairs)
    assert sorted(p.name for p in out.glob("*.xlsx")) == sorted(p.name for _, p in pairs)
    return out


def _consolidated(folder: Path, tmp_path: Path) -> ConsolidateResult:
    return consolidate([folder], tmp_path / f"{folder.name}_summary.xlsx", spec=SPEC, workers=0)


def _assert_all_ok_with_right_totals(result: ConsolidateResult) -> None:
    errors = [i for i in result.issues if i.severity == "error"]
    assert not errors, errors[:5]
    assert Counter(r.status for r in result.employees) == {OK: 24}
    for row in result.employees:
        assert row.total_score == right_total(Path(row.file)), row.file


@pytest.mark.libreoffice
@pytest.mark.slow
def test_saved_by_libreoffice(filled: Path, tmp_path: Path) -> None:
    result = _consolidated(_saved_by("libreoffice", filled, tmp_path), tmp_path)
    _assert_all_ok_with_right_totals(result)


def test_saved_by_gnumeric(filled: Path, tmp_path: Path) -> None:
    """Gnumeric rounds decimal halves its own way: 81.905 is cached as 81.9. The workbook is ok,
    with an info line naming Gnumeric at that score cell."""
    programs.require("gnumeric")
    result = _consolidated(_saved_by("gnumeric", filled, tmp_path), tmp_path)
    _assert_all_ok_with_right_totals(result)
    rounded = [i for i in result.issues if i.code == "audit.engine_rounding"]
    assert rounded and all(i.severity == "info" and "gnumeric" in i.message.lower() for i in rounded)
    specialist = RoleLayout(SPEC.role("sales_specialist"), SPEC.grades)
    half_cell = specialist.kpi_cell("ss_proposal_rate", "score")
    assert any(i.cell == half_cell for i in rounded), Counter(i.cell for i in rounded)


def test_saved_by_exceljs(filled: Path, tmp_path: Path) -> None:
    programs.require("node")
    _assert_all_ok_with_right_totals(_consolidated(_saved_by("exceljs", filled, tmp_path), tmp_path))


def test_saved_by_sheetjs(filled: Path, tmp_path: Path) -> None:
    """SheetJS (community edition) drops sheet protection when it saves: every workbook is
    refused for that, which is true of each file, and told what to do; none is called
    macro-enabled, although SheetJS declares `.bin` files macro-enabled in [Content_Types].xml."""
    programs.require("node")
    folder = _saved_by("sheetjs", filled, tmp_path)
    result = _consolidated(folder, tmp_path)
    assert Counter(r.status for r in result.employees) == {REJECTED: 24}
    errors = [i for i in result.issues if i.severity == "error"]
    assert {i.code for i in errors} == {"audit.sheet_unprotected"}
    for issue in errors:
        wb = openpyxl.load_workbook(issue.file)
        assert not wb[issue.sheet].protection.sheet, f"{issue.file} {issue.sheet} is protected"
        assert "send it again" in issue.message and "SheetJS" in issue.message
    some = next(folder.glob("*.xlsx"))
    assert b"macroEnabled" in zipfile.ZipFile(some).read("[Content_Types].xml")


# -- opening what kpibook writes -------------------------------------------------------------


@pytest.fixture(scope="module")
def summary(filled: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("summary") / "summary.xlsx"
    result = consolidate([filled / "saved"], out, spec=SPEC, workers=0)
    assert Counter(r.status for r in result.employees) == {OK: 24}
    return out


@pytest.fixture(scope="module")
def generated(filled: Path) -> Path:
    return sorted((filled / "generated").rglob("*.xlsx"))[0]


def _contract_names(path: Path) -> set[str]:
    layout = RoleLayout(SPEC.role(_metadata(path)["role_id"]), SPEC.grades)
    return set(layout.defined_names)


def test_exceljs_and_sheetjs_open_the_summary(summary: Path) -> None:
    programs.require("node")
    seen = programs.open_with_node(summary)
    assert "error" not in seen["exceljs"], seen["exceljs"]
    assert seen["exceljs"]["sheets"] == list(SHEET_ORDER)
    assert seen["exceljs"]["tables"] == TABLES
    assert seen["sheetjs"]["sheets"] == list(SHEET_ORDER)
    assert seen["sheetjs"]["tables"] == 4 and seen["sheetjs"]["charts"] == 3


def test_exceljs_and_sheetjs_open_a_generated_workbook(generated: Path) -> None:
    programs.require("node")
    seen = programs.open_with_node(generated)
    sheets = openpyxl.load_workbook(generated, read_only=True).sheetnames
    for library in ("exceljs", "sheetjs"):
        assert "error" not in seen[library], seen[library]
        assert seen[library]["sheets"] == sheets
        assert _contract_names(generated) <= set(seen[library]["names"])


def test_gnumeric_opens_the_summary_with_its_charts(summary: Path, tmp_path: Path) -> None:
    programs.require("gnumeric")
    seen = programs.open_with_gnumeric(summary, tmp_path)
    assert seen["sheets"] == list(SHEET_ORDER)
    charts = seen["charts"]["Overview"]
    assert len(charts) == 3, seen["messages"]
    written = {tuple(f.text.replace("'", "") for f in chart.iter(f"{C}f")) for chart in _charts(summary)}
    assert {tuple(d for d in c if d.startswith("Overview!")) for c in charts} == written
    assert "a:graphic" not in seen["messages"] and "Dropping" not in seen["messages"]


def test_gnumeric_opens_a_generated_workbook(generated: Path, tmp_path: Path) -> None:
    programs.require("gnumeric")
    seen = programs.open_with_gnumeric(generated, tmp_path)
    assert seen["sheets"] == openpyxl.load_workbook(generated, read_only=True).sheetnames
    assert _contract_names(generated) <= set(seen["names"])


def test_calamine_opens_the_summary(summary: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(summary), load_tables=True)
    assert book.sheet_names == list(SHEET_ORDER)
    assert book.table_names == TABLES


# -- charts every program draws: the caches ----------------------------------------------------


def _charts(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        return [etree.fromstring(archive.read(n)) for n in names]


def _cache(ref: etree._Element) -> list[str]:
    cache = ref.find(f"{C}strCache") if ref.find(f"{C}strCache") is not None else ref.find(f"{C}numCache")
    count = int(cache.find(f"{C}ptCount").get("val"))
    points = {int(p.get("idx")): p.findtext(f"{C}v") for p in cache.iter(f"{C}pt")}
    return [points.get(i, "") for i in range(count)]


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return f"{float(value):.15g}"
    return str(value)


def _assert_chart_caches(path: Path, values_of: openpyxl.Workbook) -> None:
    """Every series: text categories as c:strRef with a c:strCache, values as c:numRef with a
    c:numCache, each cache equal to the cells' values in `values_of`."""
    charts = _charts(path)
    assert len(charts) == 3
    for chart in charts:
        for series in chart.iter(f"{C}ser"):
            category, value = series.find(f"{C}cat/{C}strRef"), series.find(f"{C}val/{C}numRef")
            assert category is not None and value is not None, etree.tostring(series)[:300]
            for ref in (category, value):
                sheet, cells = ref.findtext(f"{C}f").split("!")
                rows = values_of[sheet.strip("'")][cells.replace("$", "")]
                assert [_shown(r[0].value) for r in rows] == [
                    _shown(float(v)) if v and ref is value else v for v in _cache(ref)
                ]


def test_summary_charts_carry_their_data(summary: Path) -> None:
    _assert_chart_caches(summary, openpyxl.load_workbook(summary, data_only=True))


@pytest.mark.libreoffice
def test_cached_values_are_what_libreoffice_computes(summary: Path, generated: Path, tmp_path: Path) -> None:
    """Previewers (WeChat, DingTalk, Excel's Protected View) show only cached values: in the
    summary and in a generated workbook, every formula's cached value is the one LibreOffice
    computes, and the summary's chart caches are LibreOffice's values of their cells."""
    for path in (summary, generated):
        computed_path = recalculate([path], tmp_path)[0]
        mine = openpyxl.load_workbook(path, data_only=True)
        computed = openpyxl.load_workbook(computed_path, data_only=True)
        formulas = openpyxl.load_workbook(path)
        compared = 0
        for ws in formulas.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("=") or cell.data_type == "f":
                        want = computed[ws.title][cell.coordinate].value
                        assert _shown(mine[ws.title][cell.coordinate].value) == _shown(want), (
                            path.name,
                            ws.title,
                            cell.coordinate,
                        )
                        compared += 1
        assert compared > 20
    _assert_chart_caches(summary, openpyxl.load_workbook(recalculate([summary], tmp_path / "again")[0], data_only=True))


# -- the form Excel writes, as XlsxWriter writes it ------------------------------------------------

XLSXWRITER = ROOT / "tests" / "data" / "xlsxwriter"


def _shape(xml: bytes) -> tuple[str, list[tuple[str, tuple[str, ...]]]]:
    """The root's prefixed name and the (prefixed tag, declared prefixes) of every element
    that declares a namespace."""
    root = etree.fromstring(xml)
    declared = []
    for element in root.iter():
        parent = element.getparent()
        own = set(element.nsmap.items()) - set(parent.nsmap.items() if parent is not None else ())
        if own:
            declared.append((element.prefix + ":" + etree.QName(element).localname, tuple(sorted(p for p, _ in own))))
    return root.prefix + ":" + etree.QName(root).localname, declared


def test_drawing_and_chart_parts_are_written_as_xlsxwriter_writes_them(summary: Path) -> None:
    """XlsxWriter's parts for a column chart (tests/data/xlsxwriter, written by XlsxWriter 3.3.1,
    which is tested against files Excel saved): the same prefixes, declared on the same elements;
    every relationship target relative."""
    with zipfile.ZipFile(summary) as archive:
        ours = {name: archive.read(name) for name in archive.namelist()}
    for part in ("drawing1.xml", "chart1.xml"):
        theirs = _shape((XLSXWRITER / part).read_bytes())
        mine = _shape(ours[f"xl/{'drawings' if part.startswith('drawing') else 'charts'}/{part}"])
        assert mine[0] == theirs[0]
        assert sorted(set(mine[1])) == sorted(set(theirs[1]))
    for name, data in ours.items():
        if name.endswith(".rels"):
            targets = [r.get("Target") for r in etree.fromstring(data)]
            assert targets and not any(t.startswith("/") for t in targets), (name, targets)


def test_every_generated_workbook_has_relative_targets(generated: Path) -> None:
    with zipfile.ZipFile(generated) as archive:
        for name in archive.namelist():
            if name.endswith(".rels"):
                assert b'Target="/' not in archive.read(name), name
