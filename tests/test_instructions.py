"""The Instructions sheet matches the Scorecard, and unit mistakes are caught where they happen.

- Every KPI's rule in the Instructions uses the person's own target (the roster's override,
  else the spec's), with its unit; the Chinese and the English line carry the same numbers.
- The input prompt and error alert of every actual cell read "0–50,000,000" (never 5e+07),
  never "Enter pick...", and a percentage KPI's alert asks "did you mean 95%?".
- A percentage-point KPI shows "pp" in its number format (LibreOffice renders "3.0 pp").
- Consolidate answers 95 typed for 95% with "did you mean 95%?" at the cell.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from kpibook.consolidate import consolidate
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.kpi_text import format_value
from kpibook.read import read_workbook
from kpibook.roster import read_roster
from kpibook.spec import Spec, load_spec
from tests.lo import shown_text

ROOT = Path(__file__).resolve().parents[1]
ROSTER = ROOT / "samples" / "roster.csv"
NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?%?")


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(ROOT / "roles.toml")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> dict[str, Path]:
    """employee id -> blank workbook, for the whole sample roster (every role, overrides too)."""
    out = tmp_path_factory.mktemp("instructions")
    result = generate(ROSTER, "2026Q4", out, spec=spec)
    return {read_workbook(p).metadata["employee_id"]: p for p in result.written}


def scoring_lines(path: Path) -> list[tuple[str, str]]:
    """The (Chinese, English) line pairs of the section "How each KPI is scored"."""
    texts = [r[0] for r in openpyxl.load_workbook(path)["Instructions"].iter_rows(values_only=True) if r[0]]
    start = next(i for i, text in enumerate(texts) if "How each KPI is scored" in text) + 1
    end = next(i for i, text in enumerate(texts) if "Grade scale" in text)
    lines = texts[start:end]
    return list(zip(lines[0::2], lines[1::2], strict=True))


def numbers(text: str) -> Counter[str]:
    return Counter(NUMBER.findall(text.split("：", 1)[-1].split(": ", 1)[-1]))


def test_instructions_use_each_persons_own_target_in_both_languages(generated: dict[str, Path], spec: Spec) -> None:
    employees = {e.employee_id: e for e in read_roster(ROSTER, spec)}
    roles_seen = set()
    for employee_id, path in generated.items():
        employee = employees[employee_id]
        role = spec.role(employee.role_id)
        pairs = scoring_lines(path)
        assert len(pairs) == len(role.kpis)
        targets = employee.all_targets(spec)
        for kpi, (zh, en) in zip(role.kpis, pairs, strict=True):
            assert zh.lstrip("• ").startswith(kpi.name_zh) and en.startswith(kpi.name_en)
            assert numbers(zh) == numbers(en), (employee_id, zh, en)
            if kpi.method not in ("bands", "rating"):
                shown = format_value(targets[kpi.id], kpi.unit)
                assert shown in zh and shown in en, (employee_id, kpi.id, shown, zh)
        roles_seen.add(role.id)
    assert roles_seen == set(spec.role_ids)


def test_an_override_target_replaces_the_spec_default(generated: dict[str, Path]) -> None:
    """E1001's roster target is 6,000,000 (the spec says 5,000,000): the Scorecard and the
    Instructions both show hers."""
    zh, en = scoring_lines(generated["E1001"])[0]
    assert "6,000,000 CNY" in zh and "6,000,000 CNY" in en
    assert read_workbook(generated["E1001"]).value("kpi_sm_revenue_target") == 6_000_000


def test_no_contradiction_about_renaming(generated: dict[str, Path]) -> None:
    texts = [r[0] for r in openpyxl.load_workbook(generated["E1001"])["Instructions"].iter_rows(values_only=True)]
    (zh,) = [t for t in texts if t and "交回人力资源部" in t]
    (en,) = [t for t in texts if t and "Return this file to HR" in t]
    assert "可以改名" in zh and "renaming is fine" in en and "不要改名" not in zh


def test_prompts_are_grouped_and_say_the_unit_mistake(generated: dict[str, Path], spec: Spec) -> None:
    seen_percent = seen_pp = 0
    for path in generated.values():
        ws = openpyxl.load_workbook(path)["Scorecard"]
        for dv in ws.data_validations.dataValidation:
            text = f"{dv.prompt} {dv.error}"
            assert "e+" not in text and "Enter pick" not in text, text
            assert len(dv.prompt) <= 255 and len(dv.error) <= 225
            if "9500%" in dv.error:
                seen_percent += 1
                assert "did you mean 95%?" in dv.error and "您是指 95% 吗" in dv.error
            if "百分点 pp" in dv.prompt:
                seen_pp += 1
                assert "3 (not 3%)" in dv.prompt and "不是 3%" in dv.prompt
    assert seen_percent and seen_pp
    manager = openpyxl.load_workbook(generated["E1002"])["Scorecard"]
    prompts = " ".join(dv.prompt for dv in manager.data_validations.dataValidation)
    assert "数字 0–100,000,000" in prompts and "a number from 0 to 100,000,000" in prompts


def test_percentage_point_cells_show_pp(generated: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(generated["E1002"])["Scorecard"]
    wb = openpyxl.load_workbook(generated["E1002"])
    (cell,) = [
        d.attr_text.split("!")[1].replace("$", "")
        for n, d in wb.defined_names.items()
        if n == "kpi_sm_new_product_share_actual"
    ]
    assert ws[cell].number_format == '0.0 "pp"'


@pytest.mark.libreoffice
def test_libreoffice_shows_pp_beside_the_figure(generated: dict[str, Path], spec: Spec, tmp_path: Path) -> None:
    actuals = manager_actuals(spec.role("sales_manager"), random.Random(1))
    actuals["sm_new_product_share"] = 3
    filled = fill_workbook(generated["E1002"], tmp_path / "E1002.xlsx", spec, actuals)
    text = shown_text(filled, tmp_path / "shown")
    assert "3.0 pp" in text and "5.0 pp" in text, "the actual 3 and the target 5, each with its unit"


def test_consolidate_asks_did_you_mean_for_a_whole_number_percentage(
    generated: dict[str, Path], spec: Spec, tmp_path: Path
) -> None:
    actuals = manager_actuals(spec.role("sales_manager"), random.Random(2), na_rate=0)
    actuals["sm_key_renewal"] = 95  # meant 95%
    filled = fill_workbook(generated["E1002"], tmp_path / "in" / "E1002.xlsx", spec, actuals)
    result = consolidate([filled.parent], tmp_path / "summary.xlsx", spec=spec, workers=1)
    (issue,) = [i for i in result.issues if i.code == "actual.bounds"]
    assert issue.cell and "did you mean 95%? Enter 95% (or 0.95)" in issue.message
    assert result.employees[0].status == "rejected"
