"""Messages in the user's language: `--lang zh|en` on every command, the locale by default, and
Issues rows whose `code` stays the same whatever the language.

The commands run for real (the console entry point in a subprocess where the locale matters,
`main` in-process otherwise) on real files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import openpyxl
import pytest

from kpibook.cli import build_parser, main
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.read import read_workbook
from kpibook.spec import Spec
from tests.common import ROOT, bundled_spec, run_kpibook


def leaf_parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> dict[tuple[str, ...], argparse.ArgumentParser]:
    found = {}
    children = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not children:
        return {path: parser}
    for action in children:
        for name, child in action.choices.items():
            found.update(leaf_parsers(child, (*path, name)))
    return found


def test_every_command_takes_lang() -> None:
    leaves = leaf_parsers(build_parser())
    assert len(leaves) >= 9  # spec check, generate, consolidate, audit, demo, xl setup|lite|functions|vba
    for path, parser in leaves.items():
        option = next((a for a in parser._actions if "--lang" in a.option_strings), None)
        assert option is not None and list(option.choices) == ["zh", "en"], path


def test_demo_under_a_chinese_locale_prints_chinese(tmp_path: Path) -> None:
    done = run_kpibook(["demo", "--out", str(tmp_path / "demo")], "zh_CN.UTF-8", tmp_path)
    assert done.returncode == 0, done.stderr
    for text in (
        "演示：生成 -> 经理填写 -> 汇总 -> 审计",
        "已生成 24 个工作簿",
        "员工：24 人（正常 20，未完成 2，退回 1，未交 1）",
        "部门汇总",
        "各直属上级的进度（kpibook status）：",
        "部门报告：",
        "生成后花名册有变化",
        "校准工作簿：",
        "校准后的汇总：",
    ):
        assert text in done.stdout, text
    for english in ("Status per manager", "Department report", "Calibration workbook", "Roster changed"):
        assert english not in done.stdout, english


def test_lang_en_wins_over_a_chinese_locale(tmp_path: Path) -> None:
    done = run_kpibook(["spec", "check", str(ROOT / "roles.toml"), "--lang", "en"], "zh_CN.UTF-8", tmp_path)
    assert done.returncode == 0 and "4 roles, 36 KPIs" in done.stdout and "岗位：" not in done.stdout
    chinese = run_kpibook(["--lang", "zh", "spec", "check", str(ROOT / "roles.toml")], "en_US.UTF-8", tmp_path)
    assert "岗位：" in chinese.stdout and "4 个岗位，36 个 KPI" in chinese.stdout


def test_a_mistake_is_explained_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["generate", "--roster", str(tmp_path / "无.csv"), "--period", "2026Q4", "--out", str(tmp_path), "--lang", "zh"]
    )
    assert code == 2
    assert "无.csv：找不到文件；请给出花名册（CSV 或 .xlsx）的路径" in capsys.readouterr().err
    code = main(["consolidate", str(tmp_path / "nothing"), "--out", str(tmp_path / "s.xlsx"), "--lang", "zh"])
    assert code == 2 and "没有这个文件或文件夹" in capsys.readouterr().err


def issues_of(path: Path) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)["Issues"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_issues_keep_their_code_in_either_language(tmp_path: Path) -> None:
    spec: Spec = bundled_spec()
    blank = tmp_path / "blank"
    written = generate(ROOT / "samples" / "roster.csv", "2026Q4", blank, spec=spec).written[:3]
    returned = tmp_path / "returned"
    for index, path in enumerate(written):
        role = spec.role(read_workbook(path).metadata["role_id"])
        actuals = manager_actuals(role, random.Random(index), blank_rate=0.5 if index == 0 else 0.0)
        fill_workbook(path, returned / path.name, spec, actuals)
    (returned / "~$locked.xlsx").write_bytes(b"")
    runs = {}
    for lang in ("zh", "en"):
        out = tmp_path / f"summary_{lang}.xlsx"
        args = ["consolidate", str(returned), "--out", str(out), "--manifest", str(blank / "manifest.csv")]
        assert main([*args, "--lang", lang]) == 1
        runs[lang] = issues_of(out)
    assert [i["code"] for i in runs["zh"]] == [i["code"] for i in runs["en"]]
    codes = {i["code"] for i in runs["zh"]}
    assert {"missing", "actual.blank", "lock_file"} <= codes
    by_code = {lang: {i["code"]: i["message"] for i in rows} for lang, rows in runs.items()}
    assert "的工作簿没有交回" in by_code["zh"]["missing"] and "no workbook came back" in by_code["en"]["missing"]
    assert "实际值为空" in by_code["zh"]["actual.blank"] and "the actual is blank" in by_code["en"]["actual.blank"]
    assert "Office 锁定文件" in by_code["zh"]["lock_file"]
