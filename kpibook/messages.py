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
    "interop.cached_value": (
        "单元格中保存的结果与根据实际值和目标重新计算的结果不一致:文件中显示的分数不是电子表格算出的"
        "(可能被改动过,或被不会计算的工具保存过)。请在 Excel 或 WPS 中打开工作簿,等它重新计算后保存,再发回",
        "the score saved in this cell is not what its formula gives from the actuals and targets: the figure "
        "shown was not computed by a spreadsheet (edited, or saved by a tool that does not calculate). Open the "
        "workbook in Excel or WPS, let it recalculate, save it and send it again",
    ),
    "interop.engine_rounding": (
        "{program} 对恰好落在 0.005 上的数按自己的规则舍入(或按粘贴时的完整精度计算);kpibook 按 Excel 的规则"
        "重新计算并采用自己的结果,不影响本工作簿",
        "{program} rounded a value that sits exactly on a decimal half its own way (or computed from the full "
        "precision of a pasted number); kpibook recomputes it by Excel's rule and uses its own result, nothing "
        "to do",
    ),
    "interop.macro_workbook": (
        "这是启用宏的工作簿({found}):kpibook 不接受宏。请另存为“Excel 工作簿 (.xlsx)”后再发回",
        "this is a macro-enabled workbook ({found}): kpibook does not accept macros; save it as Excel "
        "Workbook (.xlsx) and send it again",
    ),
    "interop.macro_content_type": (
        "工作簿部件 {part} 的类型是启用宏的 .xlsm",
        "its workbook part {part} is of the .xlsm macro-enabled type",
    ),
    "interop.macro_vba": ("含有 VBA 项目 {part}", "it holds a VBA project, {part}"),
    "interop.macro_sheets": ("含有宏表 {part}", "it holds macro sheets, {part}"),
    "interop.sheet_unprotected": (
        "工作表保护已被去除,公式和固定单元格都可以被改动。有些程序(如 SheetJS 及基于它的网页工具)保存时会"
        "去掉保护:请在 Excel、WPS 或 LibreOffice 中打开原发的工作簿填写实际值,保存后再发回",
        "the sheet protection was removed: formulas and fixed cells can be edited. Some programs (SheetJS and "
        "web tools built on it) drop the protection when they save: type the actuals into the workbook as it "
        "was sent, in Excel, WPS or LibreOffice, save it and send it again",
    ),
    "interop.unknown_program": ("保存此文件的程序", "the program that saved it"),
    # --- report page -------------------------------------------------------------------
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
