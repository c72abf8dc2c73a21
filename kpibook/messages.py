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
    "consolidate.not_kpibook_skipped": (
        "不是 kpibook 考核表(没有 _kpibook 元数据),已跳过,不计入人数;如果它是某位员工的考核表,请交回 kpibook 生成的那份",
        "is not a kpibook workbook (no _kpibook metadata); skipped and not counted. If it is someone's "
        "appraisal, send back the workbook kpibook generated instead",
    ),
    "consolidate.wrong_suffix": (
        "{option} 的文件名应以 {suffix} 结尾;kpibook 只写 {suffix} 文件,请改用以 {suffix} 结尾的文件名",
        "{option} must name a {suffix} file; kpibook writes only {suffix} there. Give a name ending in {suffix}",
    ),
    # --- audit -------------------------------------------------------------------------
    # --- other spreadsheet programs (interop) ------------------------------------------
    # --- report page -------------------------------------------------------------------
    "report.title": ("部门考核报告", "Department appraisal report"),
    "report.period": ("考核期间", "Period"),
    "report.generated_from": ("数据来源:{file}", "From {file}"),
    "report.headcount": ("人数", "Headcount"),
    "report.mean": ("平均分", "Mean score"),
    "report.median": ("中位数", "Median score"),
    "report.scored_note": ("有效表({count} 人)的总分", "total score of the {count} ok workbook(s)"),
    "report.no_scores": ("尚无有效的总分", "no ok total score yet"),
    "report.grades": ("等级分布", "Grade distribution"),
    "report.by_role": ("各岗位平均分", "Mean score by role"),
    "report.by_manager": ("各直属上级团队平均分", "Mean score by manager"),
    "report.by_dimension": ("各维度平均分", "Mean score by dimension"),
    "report.kpi_spread": ("各 KPI 得分分布(最低-平均-最高)", "Each KPI's scores (lowest, mean, highest)"),
    "report.chart_note": (
        "分数以 100 为达成目标(虚线);橙色条低于 80。",
        "100 points means the target was met (dashed line); orange bars are below 80.",
    ),
    "report.people": ("{count} 人", "{count} people"),
    "report.outstanding": ("待处理事项", "Outstanding"),
    "report.outstanding_none": ("无:所有表均已交回且有效。", "Nothing: every workbook is back and ok."),
    "report.not_returned": ("表格尚未交回;请联系直属上级。", "The workbook has not been returned; ask the manager."),
    "report.more": ("……另有 {count} 条,见汇总表 Issues 页", "... and {count} more in the summary's Issues sheet"),
    "report.unmatched": ("未对应到员工的文件", "Files not matched to an employee"),
    "report.employees": ("员工明细", "Employees"),
    "report.sort_hint": (
        "点击表头可排序(无脚本时按工号排列)",
        "Click a heading to sort (without script: by employee id)",
    ),
    "report.col.employee_id": ("工号", "Id"),
    "report.col.employee_name": ("姓名", "Name"),
    "report.col.role": ("岗位", "Role"),
    "report.col.manager": ("直属上级", "Manager"),
    "report.col.status": ("状态", "Status"),
    "report.col.total_score": ("总分", "Score"),
    "report.col.grade": ("等级", "Grade"),
    "report.col.what": ("事项", "What"),
    "report.written": ("部门报告:{file}", "Department report: {file}"),
    # --- calibration -------------------------------------------------------------------
    # --- the year ----------------------------------------------------------------------
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
