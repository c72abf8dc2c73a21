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
    "spec.file_not_found": ("文件不存在;请给出 roles.toml 的路径", "file not found; give the path of a roles.toml"),
    "spec.unreadable": (
        "无法读取({reason});请检查路径和权限",
        "cannot be read ({reason}); check the path and its permissions",
    ),
    "spec.not_utf8": (
        "不是 UTF-8 文本(第 {byte} 字节);请在编辑器中另存为 UTF-8",
        "is not UTF-8 text (byte {byte}); save it as UTF-8 in your editor",
    ),
    "spec.bad_toml": (
        "不是有效的 TOML:{error};请修正该行的语法",
        "is not valid TOML: {error}; fix the syntax at that line",
    ),
    "spec.title": ("{source}:角色规格中有 {count} 个问题", "{source}: {count} problem(s) in the role spec"),
    "spec.line": ("第 {line} 行", "line {line}"),
    "spec.text_missing": ("缺失;请添加带引号的文本", "is missing; add it as a quoted text"),
    "spec.text_wrong": ("必须是带引号的非空文本,而不是 {value}", "must be a non-empty text in quotes, not {value}"),
    "spec.number_missing": ("缺失;请填写一个数字", "is missing; add a number"),
    "spec.number_wrong": (
        '必须是数字(如 100、0.95 或 "95%"),而不是 {value}',
        'must be a number (e.g. 100, 0.95 or "95%"), not {value}',
    ),
    "spec.flag_wrong": ("必须是 true 或 false,而不是 {value}", "must be true or false, not {value}"),
    "spec.bad_id": (
        "{value} 不是有效的 id:请使用小写字母、数字和 _,并以字母开头",
        "{value} is not a valid id: use lower-case letters, digits and _, starting with a letter",
    ),
    "spec.tables_missing": ("必须是一个或多个 [[{key}]] 表", "must be one or more [[{key}]] tables"),
    "spec.section_missing": ("缺失;请添加 [[{key}]] 表", "is missing; add the [[{key}]] tables"),
    "spec.format_version": (
        "是 {value};本版 kpibook 读取 format_version = 1",
        "is {value}; this kpibook reads format_version = 1",
    ),
    "spec.department_missing": (
        "缺失;请添加含 id、name_zh 和 name_en 的 [department] 表",
        "is missing; add a [department] table with id, name_zh and name_en",
    ),
    "spec.spec_version_missing": (
        '缺失;请添加如 spec_version = "2026.1"',
        'is missing; add e.g. spec_version = "2026.1"',
    ),
    "spec.duplicate_role": (
        "岗位 id {value} 重复(首次出现在 {first});每个岗位 id 必须唯一",
        "role id {value} is used twice (first at {first}); every role id must be unique",
    ),
    "spec.duplicate_dimension": (
        "维度 id {value} 在本岗位中重复(首次出现在 {first});每个维度 id 在岗位内必须唯一",
        "dimension id {value} is used twice (first at {first}); every dimension id must be unique",
    ),
    "spec.duplicate_kpi": (
        "指标 id {value} 重复(首次出现在 {first});每个指标 id 必须唯一",
        "KPI id {value} is used twice (first at {first}); every KPI id must be unique",
    ),
    "spec.duplicate_grade": (
        "等级 {value} 重复;每个等级必须唯一",
        "grade {value} is used twice; every grade must be unique",
    ),
    "spec.grade_missing": ('缺失;请填写简短文本,如 "A"', 'is missing; give a short text such as "A"'),
    "spec.grade_min_max": (
        "等级 {grade} 的 min {low} >= max {high};min 必须小于 max",
        "grade {grade} has min {low} >= max {high}; min must be below max",
    ),
    "spec.grades_gap": (
        "{lower}(max {high})与 {upper}(min {low})之间有空档;每档的 max 必须等于下一档的 min",
        "gap between {lower} (max {high}) and {upper} (min {low}); each band's max must equal the next band's min",
    ),
    "spec.grades_overlap": (
        "{lower}(max {high})与 {upper}(min {low})重叠;每档的 max 必须等于下一档的 min",
        "{lower} (max {high}) overlaps {upper} (min {low}); each band's max must equal the next band's min",
    ),
    "spec.grades_low": (
        "最低等级从 {min} 开始,但得分可低至 {floor};请降低该等级的 min",
        "the lowest grade starts at {min} but a score can be as low as {floor}; lower that grade's min",
    ),
    "spec.grades_high": (
        "最高等级止于 {max},但得分可达 {cap};请提高该等级的 max",
        "the top grade ends at {max} but a score can reach {cap}; raise that grade's max",
    ),
    "spec.duties_missing": (
        '缺失;请以 {{ zh = "...", en = "..." }} 列出岗位职责',
        'is missing; list the duties as {{ zh = "...", en = "..." }}',
    ),
    "spec.duty_wrong": ('必须写成 {{ zh = "...", en = "..." }}', 'must be {{ zh = "...", en = "..." }}'),
    "spec.dimension_weights_sum": (
        "岗位 {role}:维度权重合计 {total}({listed});合计必须为 100",
        "role {role}: dimension weights add up to {total} ({listed}); they must add up to 100",
    ),
    "spec.kpi_weights_sum": (
        "维度 {dimension}:指标权重合计 {total}({listed});合计必须为 100",
        "dimension {dimension}: KPI weights add up to {total} ({listed}); they must add up to 100",
    ),
    "spec.dimension_weight_low": (
        "是 {weight};维度权重必须大于 0",
        "is {weight}; a dimension's weight must be above 0",
    ),
    "spec.all_na": (
        "维度 {dimension} 的所有指标都允许 N/A;至少一个必须始终计分(将其中一个设为 allow_na = false)",
        "every KPI of dimension {dimension} allows N/A; at least one must always be scored (set allow_na = false on one)",
    ),
    "spec.kpi_id_long": ("{value} 超过 {limit} 个字符;请缩短", "{value} is longer than {limit} characters; shorten it"),
    "spec.unit_unknown": (
        "{value} 不是 kpibook 认识的单位;请使用 {units} 之一",
        "{value} is not a unit kpibook knows; use one of {units}",
    ),
    "spec.direction_unknown": ('{value} 必须是 "higher" 或 "lower"', '{value} must be "higher" or "lower"'),
    "spec.method_unknown": (
        "{value} 不是计分方法;请使用 {methods} 之一",
        "{value} is not a scoring method; use one of {methods}",
    ),
    "spec.bands_unused": (
        "只有 {methods} 方法使用分档,{method} 不用;请删除",
        "is only used by the {methods} methods, not {method}; remove it",
    ),
    "spec.bands_missing": (
        "缺失;请添加 bands = [ {{ from = 0, points = 0 }}, ... ]",
        "is missing; add bands = [ {{ from = 0, points = 0 }}, ... ]",
    ),
    "spec.band_wrong": ("必须写成 {{ from = 数字, points = 数字 }}", "must be {{ from = number, points = number }}"),
    "spec.bands_too_many": ("有 {count} 档;最多允许 {limit} 档", "has {count} bands; at most {limit} are allowed"),
    "spec.bands_not_ascending": ("'from' 值 {starts} 必须严格递增", "'from' values {starts} must strictly increase"),
    "spec.levels_not_whole": ("评级等级 {starts} 必须是整数", "rating levels {starts} must be whole numbers"),
    "spec.kpi_weight_low": ("是 {weight};指标权重必须大于 0", "is {weight}; a KPI's weight must be above 0"),
    "spec.min_max": ("min {min} 必须小于 max {max}", "min {min} must be below max {max}"),
    "spec.target_outside": (
        "目标 {target} 超出输入范围 [{min}, {max}]",
        "target {target} is outside the input bounds [{min}, {max}]",
    ),
    "spec.cap_floor": ("cap {cap} 必须大于 floor {floor}", "cap {cap} must be above floor {floor}"),
    "spec.needs_zero": (
        "缺失;linear 方法需要得 0 分的实际值(zero)",
        "is missing; the linear method needs the actual that earns 0 points",
    ),
    "spec.needs_penalty": (
        "缺失;threshold 方法需要每超出一个单位扣除的分数(penalty)",
        "is missing; the threshold method needs the points lost per unit beyond the limit",
    ),
    "spec.param_not_positive": ("是 {value};必须大于 0", "is {value}; it must be above 0"),
    "spec.direction_must_be_higher": (
        '{method} 方法按"越高越好"计分;"越低越好"请用 inverse_ratio 或 linear',
        'the {method} method scores "higher is better"; use inverse_ratio or linear for "lower"',
    ),
    "spec.direction_must_be_lower": (
        '{method} 方法按"越低越好"计分;"越高越好"请用 ratio',
        'the {method} method scores "lower is better"; use ratio for "higher"',
    ),
    "spec.ratio_target_zero": (
        "为 0,但 ratio 方法要除以目标;请给出大于 0 的目标",
        "is 0, but the ratio method divides by the target; give a target above 0",
    ),
    "spec.inverse_target": (
        "为 {target},但 inverse_ratio 方法需要大于 0 的目标",
        "is {target}, but the inverse_ratio method needs a target above 0",
    ),
    "spec.linear_target_is_zero": (
        "等于零分点 {zero};linear 方法要求两者不同",
        "equals the zero point {zero}; the linear method needs them to differ",
    ),
    "spec.linear_target_above": (
        "方向为 higher 时必须高于零分点 {zero}",
        "must be above the zero point {zero} when direction is higher",
    ),
    "spec.linear_target_below": (
        "方向为 lower 时必须低于零分点 {zero}",
        "must be below the zero point {zero} when direction is lower",
    ),
    "spec.target_period_unknown": (
        '{value} 不是目标期间类型;请使用 "quarter"(季度目标)、"year"(年度目标)或 "rate"(比率/水平,不随期间缩放)',
        '{value} is not a target period; use "quarter" (a quarterly target), "year" (a yearly target) '
        'or "rate" (a rate or level that does not scale with the period)',
    ),
    "targets.title": (
        "无法生成 {period}:该期间的目标有 {count} 个问题;未写入任何文件",
        "cannot generate {period}: {count} problem(s) with the targets of that period; nothing was written",
    ),
    "targets.missing": (
        "指标 {kpi} 没有 {period} 的目标:roles.toml 未说明其目标 {target} 是季度、年度还是比率,"
        "而花名册中有 {people} 人没有自己的目标。请在规格中为该指标加上 "
        'target_period = "quarter"、"year" 或 "rate",或在花名册中填写 target.{kpi} 列',
        "KPI {kpi} has no target for {period}: roles.toml does not say whether its target {target} is per "
        "quarter, per year or a rate, and {people} person(s) in the roster have no target of their own. Add "
        'target_period = "quarter", "year" or "rate" to the KPI in the spec, or fill the roster column target.{kpi}',
    ),
    "targets.out_of_bounds": (
        "指标 {kpi} 按期间换算后的目标 {target} 超出输入范围 [{min}, {max}];请调整规格中的 min/max,"
        "或在花名册的 target.{kpi} 列中给出目标",
        "KPI {kpi}: the target scaled to the period, {target}, is outside the input bounds [{min}, {max}]; "
        "widen min/max in the spec or give the target in the roster column target.{kpi}",
    ),
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
