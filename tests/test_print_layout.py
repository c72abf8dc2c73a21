"""What kpibook's workbooks look like on paper: each role's workbook, the demo's summary and the
formula book, printed to PDF by LibreOffice and read back with `pdftotext -bbox`.

Page counts are those measured for the demo (fixed seed, bundled spec) with LibreOffice drawing
Calibri as DejaVu Sans, as on Debian without Carlito: a layout change that adds a page fails
here and must be looked at (convert, `pdftoppm -png`, view) before the number is updated.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from kpibook.audit import explain, write_formula_book
from kpibook.demo import demo
from kpibook.print_setup import MARGIN_SIDE_IN
from kpibook.read import read_workbook
from kpibook.spec import load_spec
from kpibook.summary_print import CHART_ROWS, CHARTS_PER_PAGE
from tests.lo import PDF_FILTER, _convert
from tests.pdf_layout import Page, overlapping, past_the_margin, read_pages

pytestmark = pytest.mark.libreoffice

# Pages per printed file: Scorecard 1, Instructions 3 or 2, Audit 2 (per role); the summary's
# Employees 2 strips, Overview 2 of tables and 2 of charts, KPIs, Issues and Audit 1 each.
EXPECTED_PAGES = {
    "sales_manager": 6,
    "sales_specialist": 6,
    "marketing_specialist": 6,  # the Instructions give each KPI's rule on a Chinese and an English line
    "sales_support": 6,
    "summary": 9,
    "formula_book": 6,
}
MARGIN_PT = MARGIN_SIDE_IN * 72


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo run as `kpibook demo --out demo-out` runs it: from its folder, so the summary's
    file column holds short relative paths whatever the temporary folder's name (long paths wrap
    onto more lines, and the page count would depend on the machine)."""
    here, folder = Path.cwd(), tmp_path_factory.mktemp("demo")
    os.chdir(folder)
    try:
        demo("demo-out")
    finally:
        os.chdir(here)
    return folder / "demo-out"


@pytest.fixture(scope="module")
def printed(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Page]]:
    """name -> the pages of its PDF: one returned workbook per role, the summary, the formula book."""
    files: dict[str, Path] = {}
    for path in sorted((demo_out / "returned").rglob("*.xlsx")):
        files.setdefault(str(read_workbook(path).metadata["role_id"]), path)
    files["summary"] = demo_out / "summary.xlsx"
    files["formula_book"] = write_formula_book(explain(load_spec()), demo_out / "formula_book.xlsx")
    pdfs = _convert(list(files.values()), tmp_path_factory.mktemp("pdf"), PDF_FILTER, ".pdf")
    return {name: read_pages(pdf) for name, pdf in zip(files, pdfs)}


@pytest.mark.parametrize("name", sorted(EXPECTED_PAGES))
def test_page_count(printed: dict[str, list[Page]], name: str) -> None:
    assert len(printed[name]) == EXPECTED_PAGES[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_PAGES))
def test_no_text_runs_past_the_page_or_over_other_text(printed: dict[str, list[Page]], name: str) -> None:
    for number, page in enumerate(printed[name], 1):
        past = past_the_margin(page, MARGIN_PT)
        assert not past, f"{name} page {number}: {[(w.text, round(w.x1)) for w in past][:5]} past the margin"
        if name != "summary":  # chart axis labels sit close by design; the summary's tables are checked
            crossed = overlapping(page)
            assert not crossed, f"{name} page {number}: {[(a.text, b.text) for a, b in crossed][:3]} overlap"


@pytest.mark.parametrize("role", ["sales_manager", "sales_specialist", "marketing_specialist", "sales_support"])
def test_the_scorecard_prints_on_one_page_with_totals_and_signoff(printed: dict[str, list[Page]], role: str) -> None:
    first, second = printed[role][0].text, printed[role][1].text
    for words in ("总分 Total score", "综合评语 Overall comment", "员工签字 Employee", "上级签字 Manager", "日期 Date"):
        assert words in first, f"{role}: {words!r} is not on the scorecard's page"
    assert "Marketing & Sales · " in first  # the title separates department and role
    assert "Overall comment" not in second


def test_every_sheet_prints_its_content(printed: dict[str, list[Page]]) -> None:
    for role in ("sales_manager", "sales_support"):
        text = " ".join(p.text for p in printed[role])
        assert "How to fill in this workbook" in text  # Instructions
        assert "首个单元格 First cell (A1)" in text and "Scorecard!" in text  # the Audit sheet's table
    summary = printed["summary"]
    strip_1, strip_2 = summary[0].text, summary[1].text
    for employee in range(1001, 1025):
        assert f"E{employee}" in strip_1 and f"E{employee}" in strip_2  # id repeated on the second strip
    assert "total_score" in strip_1 and "file" in strip_1 and "dim.results" in strip_2
    assert "Grade distribution" in " ".join(p.text for p in summary[2:6])


def test_charts_sit_between_page_breaks(demo_out: Path) -> None:
    """Every Overview chart lies between two row breaks and right of the column break."""
    with zipfile.ZipFile(demo_out / "summary.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
        drawing = next(n for n in archive.namelist() if n.startswith("xl/drawings/drawing") and n.endswith(".xml"))
        anchors = re.findall(
            r"<(?:xdr:)?from><(?:xdr:)?col>(\d+)</(?:xdr:)?col>.*?<(?:xdr:)?row>(\d+)<",
            archive.read(drawing).decode(),
            re.S,
        )
    row_breaks = [
        int(b) for b in re.findall(r'<brk id="(\d+)"[^>]*/>', sheet.split("<rowBreaks", 1)[1].split("</rowBreaks>")[0])
    ]
    column_break = int(re.findall(r'<colBreaks.*?<brk id="(\d+)"', sheet, re.S)[0])
    assert len(anchors) == 3  # grades, roles, dimensions
    for col, row in anchors:
        top = int(row) + 1  # 1-based first row of the chart
        bottom = top + CHART_ROWS - 2  # a chart is 7.5 cm: fewer rows than the anchors' spacing
        assert int(col) + 1 > column_break, "a chart is on the tables' strip"
        assert not [b for b in row_breaks if top <= b < bottom], f"a page break cuts the chart at row {top}"
    assert row_breaks[0] == 1 + CHART_ROWS * CHARTS_PER_PAGE
