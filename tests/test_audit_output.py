"""What finance reads from the audit (issue 11 item 3, issue 10 item 2 for the audit): the
report on stdout or in one file, OK / WARN / FAIL by the worst finding, one line per finding
with code, cell, expected, found (shortened around the first difference) and what to do, the
full texts in --json, every wording from the catalogue in both languages, consolidate's Issues
rows saying the same, one finding for a workbook of another spec version, and --explain with
INPUTs refused. Real generated workbooks, tampered with as in tests/test_audit.py.
"""

# the fixtures spec, generated and books are test_audit.py's, imported so both files share their workbooks;
# the tests take them by name, which ruff reads as a redefinition
# ruff: noqa: F811

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from kpibook import messages
from kpibook.audit import CODES, Finding, audit, audit_workbook
from kpibook.audit.codes import TODO
from kpibook.audit.values import shorten_pair
from kpibook.consolidate import consolidate
from kpibook.messages import CATALOGUE
from kpibook.spec import Spec, load_spec
from tests.test_audit import (  # noqa: F401  (fixtures used by name)
    ROLES,
    ROOT,
    XML_CASES,
    Book,
    _cli,
    _edit_weight,
    _edit_whole_column,
    _overwrite_formula,
    _spec_variant,
    books,
    generated,
    spec,
)

# ---------------------------------------------------------------------------------------------
# One catalogue
# ---------------------------------------------------------------------------------------------


def test_every_code_has_wording_and_a_next_step() -> None:
    for code in CODES:
        assert any(key == f"audit.{code}" or key.startswith(f"audit.{code}.") for key in CATALOGUE), code
        assert TODO.get(code, "audit.todo.tampered") in CATALOGUE, code
    assert set(TODO) <= set(CODES)


@pytest.mark.parametrize("name", list(XML_CASES))
def test_every_finding_reads_in_both_languages(spec: Spec, books: dict[str, Book], name: str, tmp_path: Path) -> None:
    """Each tampering's findings come from the catalogue (no English-only text), in Chinese and
    in English, each with expected/found and a next step."""
    path, _ = XML_CASES[name].make(books["sales_specialist"], tmp_path / "tampered.xlsx")
    for finding in audit_workbook(path, spec).findings:
        assert finding.key in CATALOGUE, f"{finding.code}: {finding.literal!r} is not in the catalogue"
        zh, en = finding.line("zh"), finding.line("en")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh.split("]", 1)[1]), zh
        assert "to do: " in en and "处理：" in zh
        if finding.expected or finding.found:
            assert "expected " in en and "应为 " in zh


# ---------------------------------------------------------------------------------------------
# Lines finance can act on
# ---------------------------------------------------------------------------------------------


def test_shorten_pair_keeps_the_first_difference() -> None:
    want = '=IF(H8="","",' + "X" * 400 + "/100" + "Y" * 400 + ")"
    got = want.replace("/100", "/50")
    short_want, short_got = shorten_pair(want, got, 60)
    assert "/100" in short_want and "/50" in short_got
    assert short_want.startswith("…") and short_want.endswith("…")
    assert len(short_want) <= 62 and len(short_got) <= 62
    assert shorten_pair("=A1", "=A2", 60) == ("=A1", "=A2")
    head, found = shorten_pair(want, "120", 60)
    assert found == "120" and head == want[:60] + "…"


@pytest.mark.parametrize("role_id", ROLES)
def test_a_replaced_formula_is_one_short_line(
    spec: Spec, books: dict[str, Book], role_id: str, tmp_path: Path, english: None
) -> None:
    book = books[role_id]
    path, expected = _overwrite_formula(book, tmp_path / "t.xlsx")
    ((code, sheet, cell),) = expected
    (finding,) = audit_workbook(path, spec).findings
    line = finding.line()
    assert len(finding.expected) > 200  # the generated formula is long...
    assert len(line) < len(str(path)) + 420, line  # ...the line is not
    assert f"{path}!{sheet}!{cell}: error [{code}]" in line and "found 115; to do: " in line
    assert "…, found 115" in line


def test_a_changed_column_shows_the_change(spec: Spec, books: dict[str, Book], tmp_path: Path, english: None) -> None:
    path, expected = _edit_whole_column(books["sales_manager"], tmp_path / "t.xlsx")
    findings = audit_workbook(path, spec).findings
    changed = [f for f in findings if f.code == "formula_changed"]
    assert {(f.code, f.sheet, f.cell) for f in changed} == expected
    for finding in changed:
        line = finding.line()
        assert "/100,0)" in line.split("expected ", 1)[1].split(", found ", 1)[0], line
        assert "/50,0)" in line.split(", found ", 1)[1], line


def test_warnings_only_is_warn_and_errors_fail(spec: Spec, books: dict[str, Book], tmp_path: Path) -> None:
    stale = audit_workbook(books["sales_support"].stale, spec)
    assert {f.code for f in stale.findings} == {"stale_cache"}
    assert stale.label == "WARN" and stale.verdict_line("en").startswith(f"WARN {books['sales_support'].stale} (")
    path, _ = _edit_weight(books["sales_support"], tmp_path / "w.xlsx")
    assert audit_workbook(path, spec).label == "FAIL"
    assert audit_workbook(books["sales_support"].filled, spec).label == "OK"
    result = audit([books["sales_support"].stale, path, books["sales_support"].filled], spec=spec)
    assert result.counts()["warned"] == 1 and result.counts()["failed"] == 1 and result.counts()["clean"] == 1
    assert result.exit_code == 1


def test_cli_report_on_stdout_with_warn_fail_and_summary(books: dict[str, Book], tmp_path: Path) -> None:
    path, _ = _edit_weight(books["sales_manager"], tmp_path / "w.xlsx")
    stale = books["sales_manager"].stale
    run = _cli(path, stale)
    assert run.returncode == 1
    out = run.stdout.splitlines()
    assert out[0].startswith(f"FAIL {path} (")
    assert out[1].startswith(f"  {path}!Scorecard!F") and "[weight_changed] the weight of KPI sm_revenue was" in out[1]
    assert "expected 70, found 95; to do: kpibook scores with HR's signed targets" in out[1]
    assert out[2].startswith(f"WARN {stale} (") and out[2].endswith("1 finding(s) (0 error(s), 1 warning(s))")
    assert out[3].startswith(f"  {stale}!Scorecard!") and "[stale_cache]" in out[3]
    assert out[4] == (
        "2 workbook(s) audited: 0 clean, 1 with warnings only, 1 failed (1 error(s), 1 warning(s)), 0 unreadable"
    )
    assert len(out) == 5


def test_cli_in_chinese(books: dict[str, Book], tmp_path: Path) -> None:
    path, _ = _edit_weight(books["sales_manager"], tmp_path / "w.xlsx")
    run = _cli(path, lang="zh_CN.UTF-8")
    assert run.returncode == 1
    out = run.stdout.splitlines()
    assert "错误 [weight_changed] KPI sm_revenue 的权重被修改；应为 70，实为 95；处理：" in out[1]
    assert out[-1].startswith("已审计 1 个工作簿")


def test_cli_out_writes_everything_to_one_file(books: dict[str, Book], tmp_path: Path) -> None:
    path, _ = _edit_weight(books["sales_manager"], tmp_path / "w.xlsx")
    report = tmp_path / "report.txt"
    on_stdout = _cli(path).stdout
    run = _cli(path, "--out", report)
    assert run.returncode == 1
    assert report.read_text(encoding="utf-8") == on_stdout
    assert run.stdout.splitlines() == [on_stdout.splitlines()[-1], f"wrote the audit report to {report}"]
    again = _cli("--json", path, "--out", report)  # an earlier report is replaced
    assert again.returncode == 1
    document = json.loads(report.read_text(encoding="utf-8"))
    (finding,) = document["workbooks"][0]["findings"]
    assert finding["code"] == "weight_changed" and finding["todo"].startswith("kpibook scores with")
    assert document["workbooks"][0]["label"] == "FAIL"


def test_cli_out_never_replaces_what_is_not_a_report(books: dict[str, Book], tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name\nE1,x\n", encoding="utf-8")
    run = _cli(books["sales_manager"].filled, "--out", roster)
    assert run.returncode == 2 and "is not a report kpibook audit wrote" in run.stderr
    assert roster.read_text(encoding="utf-8") == "employee_id,name\nE1,x\n"
    workbook = tmp_path / "out.xlsx"
    refused = _cli(books["sales_manager"].filled, "--out", workbook)
    assert refused.returncode == 2 and "not an .xlsx" in refused.stderr and not workbook.exists()
    assert "Traceback" not in run.stderr + refused.stderr


def test_json_carries_the_full_texts(spec: Spec, books: dict[str, Book], tmp_path: Path) -> None:
    path, _ = _overwrite_formula(books["sales_manager"], tmp_path / "t.xlsx")
    run = _cli("--json", path)
    assert run.returncode == 1
    (finding,) = json.loads(run.stdout)["workbooks"][0]["findings"]
    (audited,) = audit_workbook(path, spec).findings
    assert finding["expected"] == audited.expected and len(finding["expected"]) > 200 and "…" not in finding["expected"]
    assert finding["message"] == "the formula was overwritten with a constant (typed or pasted over)"
    assert finding["todo"].startswith("ask the manager who returned it")


def test_explain_with_inputs_is_refused(books: dict[str, Book], tmp_path: Path) -> None:
    out = tmp_path / "book.xlsx"
    run = _cli("--explain", "sales_manager", "--out", out, books["sales_manager"].filled)
    assert run.returncode == 2
    assert "--explain describes the spec (the formula book) and audits no workbook" in run.stderr
    assert str(books["sales_manager"].filled) in run.stderr
    assert run.stdout == "" and not out.exists()


# ---------------------------------------------------------------------------------------------
# A workbook of another spec version
# ---------------------------------------------------------------------------------------------


def test_another_spec_version_is_one_finding(spec: Spec, books: dict[str, Book], english: None) -> None:
    """The loaded spec renamed a KPI of sales_specialist (its names kpi_ss_gross_margin_* never
    existed in the workbook): one other_spec finding, not one name_missing per name."""
    newer = _spec_variant(lambda text: text.replace('id = "ss_revenue"', 'id = "ss_gross_margin"', 1))
    audited = audit_workbook(books["sales_specialist"].filled, newer)
    assert [(f.code, f.severity) for f in audited.findings] == [("other_spec", "error")], [
        f.line() for f in audited.findings
    ]
    (finding,) = audited.findings
    made_from = spec.sha256[:12]
    assert f"spec {made_from}…" in finding.message and newer.sha256[:12] in finding.message
    assert "roles-v2.toml" in finding.message
    assert finding.todo() == (
        f"audit it with the roles.toml it was made from (spec {made_from}…): kpibook audit --spec OLD-roles.toml; "
        "or have HR reissue it from the current spec"
    )
    assert audit_workbook(books["sales_specialist"].filled, spec).label == "OK"  # with its own spec: clean


def test_a_role_the_loaded_spec_lacks_names_both_specs(books: dict[str, Book], english: None) -> None:
    other = load_spec(ROOT / "tests" / "specs" / "valid_minimal.toml")
    audited = audit_workbook(books["sales_manager"].filled, other)
    (finding,) = [f for f in audited.findings if f.code == "role_unknown"]
    assert "role sales_manager is not in" in finding.message and other.sha256[:12] in finding.message
    assert "kpibook audit --spec" in finding.todo()


# ---------------------------------------------------------------------------------------------
# Consolidate says the same
# ---------------------------------------------------------------------------------------------


def test_consolidate_issues_use_the_audit_wording(
    spec: Spec, books: dict[str, Book], tmp_path: Path, english: None
) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    path, expected = _edit_weight(books["sales_manager"], folder / "E_tampered.xlsx")
    ((_, sheet, cell),) = expected
    result = consolidate([folder], tmp_path / "summary.xlsx", spec=spec, workers=1)
    (issue,) = [i for i in result.issues if i.code == "audit.weight_changed"]
    (finding,) = [f for f in audit_workbook(path, spec).findings if f.code == "weight_changed"]
    assert (issue.sheet, issue.cell) == (sheet, cell)
    assert issue.message == finding.sentence()
    assert issue.message == (
        "the weight of KPI sm_revenue was changed; expected 70, found 95; to do: kpibook scores with HR's signed "
        "targets and the spec, never this cell; ask the manager why it was changed and have HR reissue the workbook"
    )
    assert finding.line().endswith(issue.message)  # the audit's line says the same thing
    rows = list(openpyxl.load_workbook(result.out, read_only=True)["Issues"].values)
    assert any(issue.message in [str(v) for v in row] for row in rows)


def test_words_in_expected_and_found_follow_the_language(spec: Spec, books: dict[str, Book], tmp_path: Path) -> None:
    """Expected/found that are words (locked, protected...) come from the catalogue too."""
    path, _ = XML_CASES["structure unlocked"].make(books["sales_manager"], tmp_path / "s.xlsx")
    previous = messages._chosen
    try:
        for lang, (expected, found) in {"zh": ("结构已锁定", "未锁定"), "en": ("structure locked", "unlocked")}.items():
            messages.set_language(lang)
            (finding,) = audit_workbook(path, spec).findings
            assert (finding.expected, finding.found) == (expected, found)
    finally:
        messages._chosen = previous


def test_a_year_workbook_finding_keeps_its_words_and_says_run_annual_again(english: None) -> None:
    made = {
        "file": "YEAR.xlsx",
        "sheet": "Year",
        "cell": "H5",
        "code": "year.formula",
        "severity": "error",
        "expected": "=ROUND(G5*2,2)",
        "found": "=1",
        "message": "a formula of the year was changed",
    }
    finding = Finding.of(made)
    assert finding.line() == (
        "YEAR.xlsx!Year!H5: error [year.formula] a formula of the year was changed; expected =ROUND(G5*2,2), "
        "found =1; to do: do not edit YEAR.xlsx by hand: run kpibook annual again from the quarters' summary.xlsx "
        "files"
    )


def test_a_calibration_finding_says_to_correct_the_calibration_workbook(english: None) -> None:
    finding = Finding("CAL.xlsx", "Calibration", "H5", "calibration.formula", "error", "=A1", "=2", "a formula changed")
    assert finding.todo().startswith("correct it in the calibration workbook's input columns")


def test_an_info_line_leaves_the_workbook_ok(english: None) -> None:
    from kpibook.audit.codes import WorkbookAudit

    info = Finding(
        "a.xlsx", "Scorecard", "I9", "engine_rounding", "info", "81.91", "81.9", key="audit.engine_rounding",
        fields=(("program", "LibreOffice"),),
    )  # fmt: skip
    workbook = WorkbookAudit(Path("a.xlsx"), findings=[info])
    assert workbook.label == "OK" and workbook.verdict_line().startswith("OK   a.xlsx")
    assert workbook.lines()[1].startswith("  a.xlsx!Scorecard!I9: info [engine_rounding] LibreOffice rounded a value")
