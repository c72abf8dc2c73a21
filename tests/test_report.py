"""`kpibook report`: the department page from a real summary (the demo's), its two languages,
its escaping, and the refusal of files that are not a kpibook summary."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kpibook.cli import main
from kpibook.consolidate import consolidate
from kpibook.demo import demo
from kpibook.errors import KpibookError
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.read import read_workbook
from kpibook.records import STATUS_LABELS
from kpibook.report import read_summary_tables, report
from kpibook.resources import samples_dir
from kpibook.spec import load_spec
from kpibook.summary import EMPLOYEES_HEADER_ROW


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo(tmp_path_factory.mktemp("demo")).summary


def test_the_page_shows_every_employee_and_the_headline(summary: Path, tmp_path: Path) -> None:
    result = report(summary, tmp_path / "r.html", lang="en")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    tables = read_summary_tables(summary)
    assert result.employees == len(tables.employees) == 24
    assert result.counts == {"ok": 20, "incomplete": 2, "rejected": 1, "missing": 1}
    for row in tables.employees:
        assert f"<td>{row['employee_id']}</td>" in html or f'nowrap">{row["employee_id"]}</td>' in html
        assert str(row["employee_name"]) in html
    for number in result.headline:
        assert f'<div class="n">{number}</div>' in html, number
    assert result.mean is not None and f"{result.mean:.2f}" == "95.45"
    # two incomplete, one rejected (tampered), one missing, one sign-off date that is not a date
    assert result.outstanding == 5
    # the missing workbook's Issues row names the expected file: it is shown with the person
    assert "no workbook came back for E1009" in html
    # the one file not matched to a person: the superseded copy of E1001 (the demo's cycle)
    assert "Files not matched" in html and "is issue 1, but the ledger&#39;s current issue is 2" in html
    assert html.count("<svg") == 4 + 4  # grades, role, manager, dimension + one KPI chart per role


def test_the_page_fetches_nothing(summary: Path, tmp_path: Path) -> None:
    report(summary, tmp_path / "r.html", lang="zh")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    without_svg_namespace = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", without_svg_namespace, re.I)
    assert not re.search(r"\b(src|href)\s*=|url\(|@import|<link\b|<img\b|<iframe\b", html, re.I)


def test_chinese_and_english(summary: Path, tmp_path: Path) -> None:
    report(summary, tmp_path / "zh.html", lang="zh")
    report(summary, tmp_path / "en.html", lang="en")
    zh = (tmp_path / "zh.html").read_text(encoding="utf-8")
    en = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert "部门考核报告" in zh and '<html lang="zh-CN">' in zh and STATUS_LABELS["missing"][0] in zh
    assert "Department appraisal report" in en and '<html lang="en">' in en and "missing" in en
    assert "部门考核报告" not in en


def test_text_from_workbooks_is_shown_not_run(tmp_path: Path) -> None:
    """A name typed as HTML in the roster travels through the workbook and the summary as text,
    and the page shows it escaped."""
    spec = load_spec()
    lines = (samples_dir() / "roster.csv").read_text(encoding="utf-8-sig").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    first[header.index("name")] = "<script>alert(1)</script>"
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join([lines[0], ",".join(first)]) + "\n", encoding="utf-8")
    generated = generate(roster, "2026Q4", tmp_path / "out", spec=spec)
    (blank,) = generated.written
    role = spec.role(read_workbook(blank).metadata["role_id"])
    fill_workbook(blank, tmp_path / "back" / blank.name, spec, manager_actuals(role, random.Random(1), na_rate=0))
    consolidate([tmp_path / "back"], tmp_path / "s.xlsx", spec=spec)
    report(tmp_path / "s.xlsx", tmp_path / "r.html", lang="en", spec=spec)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html


def test_a_workbook_that_is_not_a_summary_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "budget.xlsx"
    wb = Workbook()
    wb.active.title = "Employees"
    wb.active.append(["employee_id", "amount"])
    wb.save(other)
    with pytest.raises(KpibookError) as raised:
        report(other, tmp_path / "r.html", lang="en")
    assert "budget.xlsx" in str(raised.value) and "_kpibook" in str(raised.value)
    assert main(["report", str(other), "--out", str(tmp_path / "r.html"), "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert "budget.xlsx" in err and "不是 kpibook consolidate 写出的部门汇总" in err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


def test_an_edited_summary_is_refused(summary: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = load_workbook(summary)
    ws = wb["Employees"]
    column = [c.value for c in ws[EMPLOYEES_HEADER_ROW]].index("total_score") + 1
    ws.cell(row=EMPLOYEES_HEADER_ROW + 1, column=column).value = 120  # a better score, typed over the computed one
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    assert main(["report", str(edited), "--out", str(tmp_path / "r.html"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "edited.xlsx!Employees" in err and "changed after consolidate wrote" in err
    assert not (tmp_path / "r.html").exists()


def test_a_file_that_is_not_xlsx_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "summary.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    assert main(["report", str(text), "--out", str(tmp_path / "r.html"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "summary.xlsx" in err and "is not an Excel workbook" in err


def test_cli_and_consolidate_html(summary: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(summary), "--out", str(tmp_path / "r.html"), "--lang", "en"]) == 0
    assert "Department report:" in capsys.readouterr().out
    returned = summary.parent / "returned"
    manifest = summary.parent / "workbooks" / "manifest.csv"
    code = main(
        ["consolidate", str(returned), "--manifest", str(manifest), "--out", str(tmp_path / "s.xlsx"),
         "--html", str(tmp_path / "c.html")]
    )  # fmt: skip
    assert code == 1  # the demo's planted problems
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "E1009" in html and html.count("<svg") == 8


def test_the_demo_writes_the_page(summary: Path) -> None:
    page = summary.parent / "report.html"
    assert page.is_file() and "<svg" in page.read_text(encoding="utf-8")


def test_a_page_that_is_not_ours_is_not_replaced(
    summary: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "notes.html"
    mine.write_text("<html><body>my notes</body></html>", encoding="utf-8")
    assert main(["report", str(summary), "--out", str(mine)]) == 2
    assert "is not a report page written by kpibook" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "<html><body>my notes</body></html>"
    report(summary, tmp_path / "ours.html", lang="en")
    assert main(["report", str(summary), "--out", str(tmp_path / "ours.html")]) == 0  # our own page is replaced


def kpi_cell(wb: Workbook, column: str) -> tuple[int, int]:
    """(row, column) of the first KPI row's `column` that holds a number."""
    ws = wb["KPIs"]
    index = [c.value for c in ws[1]].index(column) + 1
    row = next(r for r in range(2, ws.max_row + 1) if isinstance(ws.cell(r, index).value, (int, float)))
    return row, index


def test_an_edited_kpis_sheet_cannot_change_the_page(
    summary: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The KPI spreads come from signed cells: a KPI's best score typed over is refused."""
    wb = load_workbook(summary)
    row, column = kpi_cell(wb, "max_score")
    wb["KPIs"].cell(row, column).value = 987.5
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    assert main(["report", str(edited), "--out", str(tmp_path / "r.html"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "edited.xlsx!KPIs" in err and "the KPIs rows were changed after consolidate" in err
    assert not (tmp_path / "r.html").exists()


def format_1(summary: Path, out: Path, edit_kpis: bool) -> Path:
    """`summary` as kpibook wrote summaries before the KPIs sheet was signed (format 1: only the
    Employees digest signed), its KPIs sheet optionally edited afterwards."""
    from kpibook import summary_meta
    from kpibook.fingerprint import load_key
    from kpibook.signing import sign

    wb = load_workbook(summary)
    meta_sheet = wb[summary_meta.SHEET]
    meta = {str(r[0].value): str(r[1].value) for r in meta_sheet.iter_rows() if r[0].value}
    meta["format_version"] = "1"
    meta["fingerprint"] = sign(load_key(), meta, summary_meta.SIGNED_KEYS_V1)
    for r in meta_sheet.iter_rows():
        if r[0].value in ("kpis", "kpis_sha256"):
            r[0].value = r[1].value = None
        elif r[0].value in meta:
            r[1].value = meta[str(r[0].value)]
    if edit_kpis:
        row, column = kpi_cell(wb, "max_score")
        wb["KPIs"].cell(row, column).value = 987.5
    wb.save(out)
    return out


def test_a_format_1_summary_is_reported_without_its_unsigned_kpi_spreads(summary: Path, tmp_path: Path) -> None:
    old = format_1(summary, tmp_path / "old.xlsx", edit_kpis=True)
    tables = read_summary_tables(old)
    assert not tables.kpis_signed and tables.kpis == [] and len(tables.employees) == 24
    for lang, note in (("en", "KPIs sheet is not signed"), ("zh", "KPI 表没有签名")):
        report(old, tmp_path / f"{lang}.html", lang=lang)
        html = (tmp_path / f"{lang}.html").read_text(encoding="utf-8")
        assert note in html and "987.5" not in html
        assert html.count("<svg") == 4  # grades, role, manager, dimension: no KPI chart
    current = read_summary_tables(summary)
    assert current.kpis_signed and len(current.kpis) == 36


def test_a_format_2_summary_cannot_pass_for_format_1(summary: Path, tmp_path: Path) -> None:
    """The format version is signed: saying "1" to skip the KPIs digest breaks the signature."""
    from kpibook import summary_meta

    wb = load_workbook(summary)
    for r in wb[summary_meta.SHEET].iter_rows():
        if r[0].value == "format_version":
            r[1].value = "1"
    wb.save(tmp_path / "downgraded.xlsx")
    with pytest.raises(KpibookError) as caught:
        read_summary_tables(tmp_path / "downgraded.xlsx")
    assert "_kpibook" in str(caught.value)
