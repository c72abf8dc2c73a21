"""Consolidate says only what is true: a foreign workbook is skipped (never counted), the copy of
two identical files is the one to remove, outputs are written only under their own type's name,
and every option of every command says what it does."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from kpibook.cli import build_parser, main
from kpibook.consolidate import consolidate
from kpibook.demo import demo
from kpibook.discover import looks_like_copy
from kpibook.messages import t


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo(tmp_path_factory.mktemp("demo")).out_dir


@pytest.fixture
def folder(demo_out: Path, tmp_path: Path) -> Path:
    returned = tmp_path / "returned"
    shutil.copytree(demo_out / "returned", returned)
    return returned


def _manifest(demo_out: Path) -> Path:
    return demo_out / "workbooks" / "manifest.csv"


def test_a_foreign_workbook_is_listed_and_skipped(folder: Path, demo_out: Path, tmp_path: Path) -> None:
    before = consolidate([folder], tmp_path / "before.xlsx", manifest=_manifest(demo_out))
    budget = Workbook()
    budget.active["A1"] = "2027 budget"
    budget.save(folder / "budget.xlsx")
    after = consolidate([folder], tmp_path / "after.xlsx", manifest=_manifest(demo_out), html=tmp_path / "r.html")
    assert len(after.employees) == len(before.employees) == 24
    assert after.counts == before.counts
    assert all(r.employee_id for r in after.employees)
    (issue,) = [i for i in after.issues if i.file.endswith("budget.xlsx")]
    assert issue.severity == "warning" and issue.message == t("consolidate.not_kpibook_skipped")
    assert after.exit_code == 1
    page = (tmp_path / "r.html").read_text(encoding="utf-8")  # the report lists it apart from the people
    assert page.count("budget.xlsx") == 1 and t("report.unmatched") in page


def test_without_a_manifest_a_foreign_workbook_is_not_an_employee(folder: Path, tmp_path: Path) -> None:
    Workbook().save(folder / "notes.xlsx")
    result = consolidate([folder], tmp_path / "s.xlsx")
    assert len(result.employees) == 23  # the 23 returned workbooks; notes.xlsx is no one
    assert [i.code for i in result.issues if i.file.endswith("notes.xlsx")] == ["unreadable.not_kpibook"]


@pytest.mark.parametrize(
    "copy_name", ["{stem} - 副本.xlsx", "{stem} (1).xlsx", "Copy of {stem}.xlsx", "副本{stem}.xlsx"]
)
def test_of_two_identical_files_the_copy_is_the_one_to_remove(folder: Path, tmp_path: Path, copy_name: str) -> None:
    original = next(folder.rglob("E1002_*.xlsx"))  # E1001 has a superseded copy in the demo
    copy = original.with_name(copy_name.format(stem=original.stem))
    shutil.copy(original, copy)
    result = consolidate([folder], tmp_path / "s.xlsx")
    (issue,) = [i for i in result.issues if i.code == "duplicate.copy"]
    assert issue.file == str(copy) and str(original) in issue.message
    (row,) = [r for r in result.employees if r.employee_id == "E1002"]
    assert row.file == str(original) and row.status == "ok"


def test_copy_names() -> None:
    for name in ("a - 副本.xlsx", "a - Copy.xlsx", "Copy of a.xlsx", "a (2).xlsx", "a（1）.xlsx", "副本 a.xlsx"):
        assert looks_like_copy(name), name
    for name in ("E1001_王芳.xlsx", "E1001_Copeland.xlsx", "E1001_2026Q4.xlsx"):
        assert not looks_like_copy(name), name


@pytest.mark.parametrize(
    ("option", "name"),
    [("--out", "summary.csv"), ("--out", "summary"), ("--csv", "rows.xlsx"), ("--html", "report.pdf")],
)
def test_an_output_named_as_another_type_is_refused(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, name: str
) -> None:
    outputs = {"--out": str(tmp_path / "s.xlsx"), option: str(tmp_path / name)}
    args = ["consolidate", str(folder)] + [word for pair in outputs.items() for word in pair]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert name in err and option in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["returned"]  # nothing written


def test_report_refuses_an_out_that_is_not_html(demo_out: Path, tmp_path: Path) -> None:
    assert main(["report", str(demo_out / "summary.xlsx"), "--out", str(tmp_path / "r.xlsx")]) == 2
    assert not (tmp_path / "r.xlsx").exists()


def _options(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, argparse.Action]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _options(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction):
            found.append((path, action))
    return found


def test_every_option_of_every_command_has_help() -> None:
    options = _options(build_parser(), "kpibook")
    assert len(options) > 30
    undocumented = [f"{path} {'/'.join(a.option_strings) or a.dest}" for path, a in options if not a.help]
    assert undocumented == []
