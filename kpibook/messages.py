"""Every sentence kpibook says to a person, once, in Chinese and English.

    from kpibook.messages import t
    t("roster.role_unknown", value="销售经理", hint="sales_manager")   # in the current language

Each entry of CATALOGUE is `code: (zh, en)`. The code is stable and language-independent: it
is what the Issues sheet's `code` column and `--json` carry, so scripts never depend on the
wording. Placeholders are `str.format` fields and must be the same in both languages (a test
checks that every entry has both texts and the same fields).

The language is chosen once per run: `--lang zh|en`, else LC_ALL / LC_MESSAGES / LANG starting
with "zh" gives Chinese, else English. Library callers may pass `lang=` to `t` explicitly.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping

LANGUAGES = ("zh", "en")

CATALOGUE: dict[str, tuple[str, str]] = {
    # --- general -----------------------------------------------------------------------
    "general.cannot_run": ("无法运行", "could not run"),
    "general.problems": ("发现 {count} 个问题", "{count} problem(s) found"),
    # --- reading a summary back (calibrate, annual, report) ----------------------------
    "summary_read.not_found": (
        "找不到该文件；请给出 kpibook consolidate 写出的 summary.xlsx",
        "not found; give the summary.xlsx that kpibook consolidate wrote",
    ),
    "summary_read.not_xlsx": (
        "不是 Excel 工作簿 (.xlsx)；请给出 kpibook consolidate 写出的 summary.xlsx",
        "is not an Excel workbook (.xlsx); give the summary.xlsx that kpibook consolidate wrote",
    ),
    "summary_read.not_summary": (
        "不是 kpibook consolidate 写出的部门汇总（没有 _kpibook 元数据表）；请给出 consolidate 写出的 summary.xlsx",
        "is not a department summary written by kpibook consolidate (it has no _kpibook metadata); "
        "give the summary.xlsx that consolidate wrote",
    ),
    "summary_read.format": (
        "汇总格式版本为 {found}，本版 kpibook 读取版本 {expected}；请用当前版本重新运行 kpibook consolidate",
        "the summary's format version is {found}, this kpibook reads {expected}; run kpibook consolidate again "
        "with this version",
    ),
    "summary_read.sheet_missing": (
        "缺少工作表 {sheet}；汇总在 consolidate 写出后被改动过，请重新运行 kpibook consolidate",
        "has no sheet {sheet}; the summary was changed after consolidate wrote it: run kpibook consolidate again",
    ),
    "summary_read.header_missing": (
        "找不到以 employee_id 开头的表头行；汇总被改动过，请重新运行 kpibook consolidate",
        "no header row starting with employee_id; the summary was changed: run kpibook consolidate again",
    ),
    "summary_read.edited": (
        "员工表在 consolidate 写出后被修改过（现有 {rows} 行，签名时 {signed} 行）；不要手工修改汇总，"
        "请改正工作簿后重新运行 kpibook consolidate",
        "the Employees rows were changed after consolidate wrote this summary ({rows} rows now, {signed} when "
        "signed); do not edit the summary: correct the workbooks and run kpibook consolidate again",
    ),
    "summary_read.other_key": (
        "该汇总由密钥 {signed} 签名，而给出的密钥是 {given}；请给出 consolidate 所用的密钥（--key-file 或 KPIBOOK_KEY）",
        "was signed with key {signed} but the key given is {given}; give the key consolidate used "
        "(--key-file or KPIBOOK_KEY)",
    ),
    "summary_read.forged": (
        "签名的元数据被修改过，无法证明该汇总由 kpibook 写出；请重新运行 kpibook consolidate",
        "its signed metadata was edited, so kpibook cannot prove it wrote this summary; run kpibook consolidate again",
    ),
    # --- spec (roles.toml) -------------------------------------------------------------
    # --- roster ------------------------------------------------------------------------
    # --- generate and the cycle (ledger, reconcile, status, reminders) -----------------
    # --- consolidate and the summary ---------------------------------------------------
    # --- audit -------------------------------------------------------------------------
    # --- other spreadsheet programs (interop) ------------------------------------------
    # --- report page -------------------------------------------------------------------
    # --- calibration -------------------------------------------------------------------
    # --- the year ----------------------------------------------------------------------
    "year.not_table": (
        "必须是一个 [year] 表；参见 docs/spec-format.md",
        "must be a [year] table; see docs/spec-format.md",
    ),
    "year.unknown_key": (
        "未知的键 {key}；[year] 只有 quarter_weights、coefficients、coefficient_cap",
        "unknown key {key}; [year] has only quarter_weights, coefficients and coefficient_cap",
    ),
    "year.weights_keys": (
        "必须正好给出 Q1、Q2、Q3、Q4 四个季度的权重（现为 {found}），例如 {{ Q1 = 25, Q2 = 25, Q3 = 25, Q4 = 25 }}",
        "must give exactly the four weights Q1, Q2, Q3, Q4 (found {found}), e.g. {{ Q1 = 25, Q2 = 25, Q3 = 25, Q4 = 25 }}",
    ),
    "year.weight_value": (
        "季度权重必须是不小于 0 的数字，而不是 {value!r}",
        "a quarter's weight must be a number of 0 or more, not {value!r}",
    ),
    "year.weights_sum": (
        "四个季度权重之和为 {total}，必须等于 100",
        "the four quarter weights add up to {total}; they must add up to 100",
    ),
    "year.coefficients_missing": (
        "缺少等级 {grades} 的绩效系数；在 [year.coefficients] 中为每个等级写一个系数，例如 B = 1.0",
        "no coefficient for grade(s) {grades}; give every grade one in [year.coefficients], e.g. B = 1.0",
    ),
    "year.coefficient_grade": (
        "等级 {grade} 不在 [[grades]] 中（有 {grades}）；删除它或改为已有等级",
        "grade {grade} is not one of the [[grades]] ({grades}); remove it or use an existing grade",
    ),
    "year.coefficient_value": (
        "等级 {grade} 的系数必须是 0 到 10 之间的数字（如 1.2），而不是 {value!r}",
        "the coefficient of grade {grade} must be a number from 0 to 10 (e.g. 1.2), not {value!r}",
    ),
    "year.cap_value": (
        "系数上限必须是大于 0、不超过 10 的数字（如 1.5），而不是 {value!r}；不设上限就删除这一行",
        "the coefficient cap must be a number above 0 and at most 10 (e.g. 1.5), not {value!r}; "
        "delete the line for no cap",
    ),
    # --- end of catalogue ----------------------------------------------------------------
}

_chosen: str | None = None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """zh when the locale says Chinese (LC_ALL, then LC_MESSAGES, then LANG), else en."""
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str | None) -> str:
    """Fixes the language of this run (None: from the environment); returns it."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    _chosen = lang or language_from_environment()
    return _chosen


def current_language() -> str:
    return _chosen or language_from_environment()


def t(code: str, lang: str | None = None, **fields: object) -> str:
    """The message `code` in `lang` (default: the run's language), its fields filled in."""
    zh, en = CATALOGUE[code]
    template = zh if (lang or current_language()) == "zh" else en
    return template.format(**fields)


def both(code: str, **fields: object) -> str:
    """Chinese and English together ("中文 / English"), for workbooks read by everyone."""
    return f"{t(code, 'zh', **fields)} / {t(code, 'en', **fields)}"


def fields_of(template: str) -> set[str]:
    """The placeholder names of a template (for the catalogue's own test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
