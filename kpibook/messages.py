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
    # the command line (kpibook/cli.py)
    "cli.spec_source": (
        "规格 {source}（spec_version {version}，sha256 {sha}）",
        "spec {source} (spec_version {version}, sha256 {sha})",
    ),
    "cli.spec_department": ("部门 {id}：{zh} / {en}", "department {id}: {zh} / {en}"),
    "cli.spec_roles": ("岗位：", "roles:"),
    "cli.spec_role": ("  {id}：{zh} / {en}（{count} 个 KPI）", "  {id}: {zh} / {en} ({count} KPIs)"),
    "cli.spec_columns": (
        "岗位|维度|维度权重|KPI|计分方法|单位|目标|KPI 权重",
        "role|dimension|dim weight|KPI|method|unit|target|KPI weight",
    ),
    "cli.spec_na_ok": ("（可填 N/A）", " (N/A ok)"),
    "cli.spec_grades": ("等级：{bands}", "grades: {bands}"),
    "cli.spec_counts": (
        "{roles}，{kpis}；每个岗位的维度权重合计 100，每个维度的 KPI 权重合计 100",
        "{roles}, {kpis}; dimension weights add up to 100 in every role, KPI weights to 100 in every dimension",
    ),
    "cli.spec_year": (
        "年度：季度权重 {weights}；等级系数 {coefficients}{cap}",
        "year: quarter weights {weights}; coefficients {coefficients}{cap}",
    ),
    "cli.spec_year_cap": ("；上限 {cap}", "; cap {cap}"),
    "cli.spec_calibration": (
        "校准指引：{limits}；取整 {rounding}",
        "calibration guideline: {limits}; rounding {rounding}",
    ),
    "cli.demo_report": ("部门报告页", "department report page"),
    "cli.demo_calibration": ("校准工作簿", "calibration workbook"),
    "cli.demo_calibrated": ("校准后的汇总", "calibrated summary"),
    "cli.count_role": ("{n} 个岗位", "{n} role"),
    "cli.count_roles": ("{n} 个岗位", "{n} roles"),
    "cli.count_kpi": ("{n} 个 KPI", "{n} KPI"),
    "cli.count_kpis": ("{n} 个 KPI", "{n} KPIs"),
    "cli.demo_key_generate": (
        "注意：正在用公开的演示密钥签名；正式考核请设置 KPIBOOK_KEY 或 KPIBOOK_KEY_FILE",
        "note: signing with the public demo key; set KPIBOOK_KEY or KPIBOOK_KEY_FILE for real appraisals",
    ),
    "cli.demo_key_audit": (
        "注意：这些工作簿用公开的演示密钥签名，其指纹证明不了什么；正式考核请在设置 KPIBOOK_KEY 或 KPIBOOK_KEY_FILE 后生成",
        "note: these workbooks were signed with the public demo key, so their fingerprints prove little; "
        "generate real appraisals with KPIBOOK_KEY or KPIBOOK_KEY_FILE set",
    ),
    "cli.rate": ("（每个 {ms} 毫秒）", "({ms} ms each)"),
    "cli.wrote": (
        "已写出 {count} 个工作簿到 {out}，用时 {seconds} 秒 {rate}",
        "Wrote {count} workbook(s) to {out} in {seconds} s {rate}",
    ),
    "cli.manifest": ("清单：{path}", "Manifest: {path}"),
    "cli.kept": (
        "保留 {count} 个已有工作簿不变（用 --force 重写空白的）",
        "Kept {count} existing workbook(s) unchanged (use --force to rewrite blank ones)",
    ),
    "cli.summary": ("部门汇总：{out}", "Department summary: {out}"),
    "cli.summary_csv": ("（CSV 文件：{csv}）", "  (CSV: {csv})"),
    "cli.more_issues": (
        "……另有 {count} 个问题，见 {out} 的 Issues 表",
        "... and {count} more in the Issues sheet of {out}",
    ),
    "cli.wrote_formula_book": ("公式手册已写到 {out}", "wrote the formula book to {out}"),
    "cli.out_needs_explain": (
        "用于写公式手册：请与 --explain 一起使用",
        "writes the formula book: use it with --explain",
    ),
    "cli.audit_needs_inputs": (
        "请给出要审计的工作簿或文件夹（kpibook audit returned/），或用 --explain 查看公式手册",
        "give the workbooks or folders to audit (kpibook audit returned/), or --explain for the formula book",
    ),
    "cli.skip": ("跳过 {path}：{why}", "SKIP {path}: {why}"),
    "cli.no_workbooks": (
        "这里没有 .xlsx 工作簿；请给出收回的工作簿所在的文件夹",
        "no .xlsx workbooks found there; give the folder the returned workbooks are in",
    ),
    "cli.xl_copy_of": ("{source} 的副本", "a copy of {source}"),
    "cli.xl_new_workbook": ("新工作簿", "a new workbook"),
    "cli.xl_wrote": (
        "已写出 {out}（{origin}），含工作表“kpibook”和“xlwings.conf”",
        "wrote {out} ({origin}) with the sheets 'kpibook' and 'xlwings.conf'",
    ),
    "cli.xl_next": (
        "下一步：docs/excel.md 的“Using kpibook from Excel”（Windows：在 xlwings 功能区点 Import Functions）",
        "next: docs/excel.md, 'Using kpibook from Excel' (Windows: Import Functions on the xlwings ribbon)",
    ),
    "cli.exists_use_force": ("已存在；用 --force 替换", "exists; use --force to replace it"),
    "cli.cannot_write": (
        "无法写入（{reason}）；请给出可写的文件夹",
        "cannot be written ({reason}); give a folder you may write to",
    ),
    "cli.wrote_file": ("已写出 {path}", "wrote {path}"),
    "cli.demo_heading": (
        "kpibook {version} 演示：生成 -> 经理填写 -> 汇总 -> 审计 -> 校准，输出到 {out}/",
        "kpibook {version} demo: generate -> managers fill -> consolidate -> audit -> calibrate, into {out}/",
    ),
    "cli.demo_outputs": ("输出：", "Outputs:"),
    "cli.demo_blank": ("空白工作簿", "blank workbooks"),
    "cli.demo_manifest": ("清单", "manifest"),
    "cli.demo_returned": ("收回（已填写）的工作簿", "returned (filled) workbooks"),
    "cli.demo_summary": ("部门汇总", "department summary"),
    "cli.demo_csv": ("汇总 CSV", "summary CSV"),
    "cli.demo_audit": ("审计报告", "audit report"),
    "cli.demo_roster": ("HR 修改后的花名册", "roster changed by HR"),
    "cli.demo_reminders": ("催交邮件", "reminder e-mails"),
    "cli.interrupted": ("已中断", "interrupted"),
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
    "roster.not_found": (
        "找不到文件；请给出花名册（CSV 或 .xlsx）的路径",
        "file not found; give the path of the roster (CSV or .xlsx)",
    ),
    "roster.unreadable": (
        "无法读取（{reason}）；请检查路径和权限",
        "cannot be read ({reason}); check the path and permissions",
    ),
    "roster.bad_encoding": (
        "既不是 UTF-8 也不是 GBK/GB18030 文本；请在 Excel 中另存为“CSV UTF-8(逗号分隔)”",
        "is neither UTF-8 nor GBK/GB18030 text; save it from Excel as 'CSV UTF-8 (Comma delimited)'",
    ),
    "roster.not_text": (
        "是电子表格文件（如 .xls），不是 CSV 文本；请在 Excel 或 WPS 中另存为 .xlsx（Excel 工作簿）或 CSV UTF-8",
        "is a spreadsheet file (such as .xls), not CSV text; save it from Excel or WPS as .xlsx (Excel Workbook) "
        "or CSV UTF-8",
    ),
    "roster.bad_xlsx": (
        "不是可读取的 .xlsx 文件（{reason}）；请用 Excel 重新保存",
        "is not a readable .xlsx ({reason}); save it again from Excel",
    ),
    "roster.no_sheet": (
        "没有名为“{sheet}”的工作表；现有工作表：{sheets}",
        "has no sheet named '{sheet}'; its sheets are: {sheets}",
    ),
    "roster.empty": (
        "是空的；需要一行表头，表头下每位员工一行",
        "is empty; it needs a header row and one row per employee",
    ),
    "roster.header_not_found": (
        "找不到表头（已读取 {read}）；最接近的是第 {row} 行：{seen}，缺少 {missing}。"
        "表头须有这些列（中文或英文均可）：{required}",
        "no header row found (read {read}); the closest is row {row}: {seen}, without {missing}. "
        "The header needs these columns (in Chinese or English): {required}",
    ),
    "roster.read_sheet_rows": ("工作表“{sheet}”第 1–{rows} 行", "sheet '{sheet}' rows 1-{rows}"),
    "roster.read_csv_rows": ("第 1–{rows} 行，按 {delimiter} 分隔", "rows 1-{rows}, {delimiter}-separated"),
    "roster.nothing_seen": ("（空）", "(nothing)"),
    "roster.duplicate_column": ("{columns} 都表示 {column}；只保留一列", "{columns} all mean {column}; keep one"),
    "roster.unknown_kpi": (
        "规格中没有 KPI“{kpi}”；请用 目标.<kpi_id> 或 target.<kpi_id>，kpi_id 见 `kpibook spec check`",
        "no KPI '{kpi}' in the spec; use target.<kpi_id> (or 目标.<kpi_id>) with an id from `kpibook spec check`",
    ),
    "roster.cell_empty": ("为空；请填写", "is empty; fill it in"),
    "roster.cell_too_long": ("超过 {limit} 个字符；请缩短", "is longer than {limit} characters; shorten it"),
    "roster.duplicate_id": (
        "“{value}”也在第 {row} 行；每位员工只能出现一次",
        "'{value}' is also on row {row}; each employee appears once",
    ),
    "roster.role_unknown": (
        "“{value}”不是规格中的岗位；请填岗位 id 或岗位名称：{roles}",
        "'{value}' is not a role of the spec; use a role id or name: {roles}",
    ),
    "roster.role_hint": (
        "“{value}”不是规格中的岗位；您是指 {hint}（{name}）吗？",
        "'{value}' is not a role of the spec; did you mean {hint} ({name})?",
    ),
    "roster.target_wrong_role": (
        "KPI“{kpi}”属于岗位 {owner}，不属于 {role}；请留空",
        "KPI '{kpi}' belongs to role '{owner}', not '{role}'; leave it empty",
    ),
    "roster.target_not_number": (
        "“{value}”不是数字；请写如 1200000 或 95%",
        "'{value}' is not a number; write e.g. 1200000 or 95%",
    ),
    "roster.target_problem": ("目标 {value}：{issue}", "target {value} {issue}"),
    "roster.target_bounds": (
        "目标 {value} 超出该 KPI 的输入范围 [{min}, {max}]",
        "target {value} is outside the KPI's input bounds [{min}, {max}]",
    ),
    "roster.target_percent_hint": (
        "目标 {value} 超出该 KPI 的范围 [{min}, {max}]；您是指 {value}% 吗？请写 {value}%（或 {fraction}）",
        "target {value} is outside the KPI's range [{min}, {max}]; did you mean {value}%? Write {value}% (or {fraction})",
    ),
    "roster.no_employees": (
        "没有员工；请在表头下每位员工填一行",
        "has no employees; add one row per employee under the header",
    ),
    "roster.title": (
        "{file}：花名册中有 {count} 个问题；未生成任何文件",
        "{file}: {count} problem(s) in the roster; nothing was generated",
    ),
    "roster.where_row": ("{file} 第 {row} 行", "{file} row {row}"),
    "roster.where_cell": ("{file} 第 {row} 行，{column} 列", "{file} row {row}, column {column}"),
    "roster.where_header": ("{file} 表头", "{file} header"),
    "roster.where_header_column": ("{file} 表头，{column} 列", "{file} header, column {column}"),
    "roster.in_sheet": ("{file} 工作表“{sheet}”", "{file}, sheet '{sheet}'"),
    "roster.read_csv": (
        "花名册 {file}：{encoding} 编码，{delimiter}分隔，表头在第 {row} 行，{count} 名员工",
        "roster {file}: {encoding}, {delimiter}-separated, header on row {row}, {count} employee(s)",
    ),
    "roster.read_xlsx": (
        "花名册 {file}：工作表“{sheet}”，表头在第 {row} 行，{count} 名员工",
        "roster {file}: sheet '{sheet}', header on row {row}, {count} employee(s)",
    ),
    "roster.delimiter.comma": ("逗号", "comma"),
    "roster.delimiter.semicolon": ("分号", "semicolon"),
    "roster.delimiter.tab": ("制表符", "tab"),
    # --- generate and the cycle (ledger, reconcile, status, reminders) -----------------
    # the generated workbook: how each KPI is scored (kpibook/kpi_text.py), input prompts (build.py)
    "kpi.rule.ratio": ("实际 ÷ 目标（{target}）× 100", "actual ÷ target ({target}) × 100"),
    "kpi.rule.inverse_ratio": (
        "目标（{target}）÷ 实际 × 100，越低越好；实际为 0 或以下得上限分",
        "target ({target}) ÷ actual × 100, lower is better; an actual of 0 or less earns the cap",
    ),
    "kpi.rule.linear": (
        "直线：{zero} 得 0 分，目标 {target} 得 100 分",
        "straight line: {zero} earns 0, the target {target} earns 100",
    ),
    "kpi.rule.threshold": (
        "实际 {side} {target} 得 100 分，每超出一个单位扣 {penalty} 分",
        "100 when the actual is {side} {target}; minus {penalty} points per unit beyond it",
    ),
    "kpi.rule.bands": ("分档：{steps}；低于最低档得 {floor} 分", "bands: {steps}; below the first band: {floor}"),
    "kpi.rule.rating": ("评级：{steps}；低于最低档得 {floor} 分", "rating: {steps}; below the first level: {floor}"),
    "kpi.rule.limits": ("；得分范围 {floor}–{cap} 分", "; points kept within {floor}–{cap}"),
    "kpi.rule.na": ("；可填 N/A", "; N/A allowed"),
    "workbook.rule_list": ("列表中的等级 {first}–{last}", "a level from the list, {first} to {last}"),
    "workbook.rule_number": ("数字 {low}–{high}", "a number from {low} to {high}"),
    "workbook.rule_whole": ("整数 {low}–{high}", "a whole number from {low} to {high}"),
    "workbook.na": ("（不适用请填 N/A）", " or N/A"),
    "workbook.percent": ("；百分比请输入如 95%", "; type percentages as 95%"),
    "workbook.percent_mistake": (
        "；输入 95 会被当作 9500%：您是指 95% 吗？请带 % 号输入",
        "; 95 would mean 9500%: did you mean 95%? Type the % sign",
    ),
    "workbook.pp": (
        "；单位为百分点：提升 3 个百分点填 3（不是 3%）",
        "; in percentage points: a rise of 3 points is 3 (not 3%)",
    ),
    "workbook.prompt_title": ("实际值", "Actual"),
    "workbook.prompt": (
        "{period} 实际值（{unit}）：请输入{rule}{na}{extra}。",
        "{period} actual ({unit}): enter {rule}{na}{extra}.",
    ),
    "workbook.error_title": ("输入无效", "Invalid entry"),
    "workbook.error": ("请输入{rule}{na}{extra}。", "Please enter {rule}{na}{extra}."),
    "demo.generated": (
        "已生成 {count} 个工作簿，用时 {seconds} 秒：{out}",
        "Generated {count} workbooks in {seconds} s: {out}",
    ),
    "demo.not_returned": ("未交回（显示为未交）：{name}", "Not returned (shows as missing): {name}"),
    "demo.tampered": ("故意篡改（手工改了一个目标）：{name}", "Tampered on purpose (a target edited by hand): {name}"),
    "demo.audit_report": ("审计报告：{path}（{verdict}）", "Audit report: {path}  ({verdict})"),
    "output.busy": (
        "无法替换：它正被其他程序（Excel？）打开或为只读。请关闭后重新运行。",
        "cannot be replaced: it is open in another program (Excel?) or read-only. Close it and run again.",
    ),
    "output.cannot_write": ("无法写入（{reason}）；请另选路径", "cannot be written ({reason}); choose another path"),
    "output.is_folder": ("是文件夹；请给 {option} 一个文件名", "is a folder; give {option} a file name"),
    "output.no_folder": (
        "文件夹不存在；请先创建，或另选 {option}",
        "folder not found; create it or choose another {option}",
    ),
    "output.folder_not_writable": ("文件夹不可写；请另选 {option}", "folder is not writable; choose another {option}"),
    "output.not_regular_file": (
        "已存在且不是普通文件；请另选 {option}",
        "exists and is not a regular file; choose another {option}",
    ),
    "output.not_ours": (
        "已存在且不是 kpibook 写的文件（应为 {what}），因此不会替换；请另选 {option} 或先把该文件移走",
        "exists and is not {what} written by kpibook, so it is not replaced; choose another {option} "
        "or move the file away",
    ),
    "generate.holds_entries": (
        "已有填写内容（实际值、备注或签字），未被覆盖。如确需替换，请先把它移走",
        "already holds entries (actuals, comments or sign-off); it was not overwritten. "
        "Move it away first if it really must go.",
    ),
    "generate.out_not_folder": ("已存在且不是文件夹；请另选 --out", "exists and is not a folder; choose another --out"),
    "generate.out_cannot_create": (
        "无法创建（{reason}）；请选择可写的 --out",
        "cannot be created ({reason}); choose a writable --out",
    ),
    "generate.out_not_writable": ("不可写；请选择可写的 --out", "is not writable; choose a writable --out"),
    # --- consolidate and the summary ---------------------------------------------------
    "summary.column.employee_id": ("工号", "employee ID"),
    "summary.column.employee_name": ("姓名", "name"),
    "summary.column.role_id": ("岗位", "role"),
    "summary.column.department": ("部门", "department"),
    "summary.column.manager": ("直属上级", "manager"),
    "summary.column.period": ("考核期间", "period"),
    "summary.column.status": ("状态", "status"),
    "summary.column.total_score": ("总分", "total score"),
    "summary.column.grade": ("等级", "grade"),
    "summary.column.file": ("文件", "file"),
    "summary.column.dimension": ("维度：{name}", "dimension: {name}"),
    "consolidate.output_is_manifest": (
        "是清单文件，会被覆盖；请另选输出文件",
        "is the manifest; it would be overwritten. Choose another output",
    ),
    "consolidate.no_workbooks": (
        "里面没有 .xlsx 工作簿；请给出收回的工作簿所在的文件夹",
        "holds no .xlsx workbook; give the folder the returned workbooks are in",
    ),
    "consolidate.unreadable.timeout": (
        "读取时{detail}，已停止；文件可能已损坏或被做成拖住读取程序。请索取新的副本（用 Excel 打开后另存为 .xlsx）。",
        "reading it {detail}, so it was stopped; the file is probably damaged or built to stall readers. "
        "Ask for a fresh copy (open it in Excel and Save As .xlsx).",
    ),
    "consolidate.unreadable.memory": (
        "读取它所需的内存超过任何 kpibook 工作簿，已停止；文件已损坏或有恶意。请索取新的副本。{detail}",
        "reading it needed more memory than any kpibook workbook does, so it was stopped; the file is damaged "
        "or hostile. Ask for a fresh copy. {detail}",
    ),
    "consolidate.unreadable.crash": (
        "读取时{detail}；文件已损坏。请索取新的副本。",
        "{detail} while reading it; the file is damaged. Ask for a fresh copy.",
    ),
    "consolidate.unreadable.other": (
        "无法读取（{detail}）；请索取新的副本，并把此情况报告给 kpibook 团队。",
        "could not be read ({detail}); ask for a fresh copy and report this to the kpibook team.",
    ),
    "consolidate.not_kpibook": (
        "不是本规格能计分的 kpibook 工作簿（_kpibook 元数据中没有员工或岗位）；请交回 kpibook 生成的工作簿。",
        "is not a kpibook workbook this spec can score (no employee or role in its _kpibook metadata); "
        "send back the workbook kpibook generated.",
    ),
    "consolidate.total.error": (
        "无法计算总分（{total}）；请与 HR 核对此工作簿的目标。",
        "the total cannot be computed ({total}); check the targets of this workbook with HR.",
    ),
    "consolidate.actual.blank": (
        "{kpi}：实际值为空；请填写后交回工作簿。",
        "{kpi}: the actual is blank; enter it and send the workbook back.",
    ),
    "consolidate.actual.blank_na": (
        "{kpi}：实际值为空；请填写（或填 N/A）后交回工作簿。",
        "{kpi}: the actual is blank; enter it (or N/A) and send the workbook back.",
    ),
    "consolidate.actual.error": (
        "{kpi}：是错误值 {value}；请直接输入数字。",
        "{kpi}: holds the error value {value}; type the figure itself (a number).",
    ),
    "consolidate.actual.na_not_allowed": (
        "{kpi}：此 KPI 不允许填 N/A；请输入数字。",
        "{kpi}: N/A is not allowed for this KPI; enter a number.",
    ),
    "consolidate.actual.text": (
        "{kpi}：“{value}”是文字，不是数字；请以数字输入（不带单位或空格）。",
        "{kpi}: '{value}' is text, not a number; enter the figure as a number (no units or spaces).",
    ),
    "consolidate.actual.bounds": (
        "{value} 超出允许范围 {min} 至 {max}；请核对数字。",
        "{value} is outside the allowed range {min} to {max}; check the figure.",
    ),
    "consolidate.actual.percent_hint": (
        "{value} 超出允许范围 {min} 至 {max}；您是指 {value}% 吗？请输入 {value}%（或 {fraction}）。",
        "{value} is outside the allowed range {min} to {max}; did you mean {value}%? Enter {value}% (or {fraction}).",
    ),
    "consolidate.actual.whole": (
        "{value} 不是整数；请输入整数。",
        "{value} is not a whole number; enter a whole number.",
    ),
    "consolidate.the_manager": ("直属上级", "the manager"),
    "consolidate.missing": (
        "{id} {name}（{role}，直属上级 {manager}）的工作簿没有交回；应为 {expected}。请让 {manager} 交回。",
        "no workbook came back for {id} {name} ({role}, manager {manager}); expected {expected}. Ask {manager} to send it.",
    ),
    "consolidate.not_in_manifest": (
        "{id} {name} 不在清单中；此工作簿列为额外一行。请确认它属于本部门和本期。",
        "{id} {name} is not in the manifest; the workbook is listed as an extra row. "
        "Check that it belongs to this department and period.",
    ),
    "consolidate.duplicate.copy": (
        "与 {original} 完全相同；只计一次。请删除多余的副本。",
        "is an identical copy of {original}; counted once. Remove the extra copy.",
    ),
    "consolidate.duplicate": (
        "{id} 交回了 {count} 个不同的工作簿（{files}）；kpibook 不替您挑选。请在文件夹中只保留正确的一个，再运行 consolidate。",
        "{id} was returned in {count} different workbooks ({files}); kpibook does not pick one. "
        "Keep only the right workbook in the folder and run consolidate again.",
    ),
    "consolidate.source.option": ("--period 参数", "--period"),
    "consolidate.source.manifest": ("清单", "the manifest"),
    "consolidate.source.majority": ("多数交回的工作簿", "most of the returned workbooks"),
    "consolidate.none": ("（无）", "(none)"),
    "consolidate.period.ambiguous": (
        "交回的工作簿属于不同期间（{found}），没有哪个占多数；请加 --manifest 或 --period 重新运行 consolidate，说明本汇总是哪一期。",
        "the workbooks returned are for different periods ({found}) and none is the majority; run consolidate "
        "again with --manifest or --period to say which period this summary is for.",
    ),
    "consolidate.period": (
        "属于期间 {found}，但本汇总是 {expected}（依据：{source}）；请交回为 {expected} 生成的工作簿。",
        "is for period {found}, but this summary is for {expected} (from {source}); "
        "send the workbook generated for {expected}.",
    ),
    "consolidate.role_mismatch": (
        "是为岗位 {found} 生成的，但清单中 {id} 的岗位是 {role}；请交回用此清单生成的工作簿。",
        "was generated for role {found}, but the manifest lists {id} as {role}; "
        "send the workbook generated with this manifest.",
    ),
    "consolidate.status_read": (
        "读取 {files} 个工作簿文件，用时 {seconds} 秒；期间 {period}",
        "{files} workbook file(s) read in {seconds} s; period {period}",
    ),
    "consolidate.period_not_decided": ("（未确定）", "(not decided)"),
    "consolidate.status_employees": ("员工：{count} 人（{counts}）", "employees: {count} ({counts})"),
    "consolidate.status_totals": (
        "正常员工的总分：平均 {mean}，最低 {min}，最高 {max}",
        "total score of ok employees: mean {mean}, min {min}, max {max}",
    ),
    "consolidate.status_issues": (
        "问题：{errors} 个错误，{warnings} 个警告：见 Issues 表",
        "issues: {errors} error(s), {warnings} warning(s): see the Issues sheet",
    ),
    "consolidate.status_no_issues": ("问题：无", "issues: none"),
    "discover.no_such_input": (
        "没有这个文件或文件夹；请给出收回的工作簿所在文件夹或一个 .xlsx 文件",
        "no such file or folder; give a folder of returned workbooks or an .xlsx file",
    ),
    "discover.folder_unreadable": (
        "文件夹无法读取（{reason}）；其中的工作簿未被读取。请检查权限。",
        "folder cannot be read ({reason}); its workbooks were not read. Check its permissions.",
    ),
    "discover.link_folder_outside": (
        "是指向 {root} 之外文件夹的链接（{target}）；未跟随。请把工作簿本身复制到文件夹中。",
        "is a link to a folder outside {root} ({target}); it was not followed. Copy the workbooks themselves into the folder.",
    ),
    "discover.link_file_outside": (
        "是指向 {root} 之外文件的链接（{target}）；未读取。请把工作簿本身复制到文件夹中。",
        "is a link to a file outside {root} ({target}); it was not read. Copy the workbook itself into the folder.",
    ),
    "discover.lock_file": (
        "Office 锁定文件（复制时有人正在 Excel 中打开该工作簿）；已跳过。",
        "an Office lock file (someone had the workbook open in Excel when it was copied); skipped.",
    ),
    "discover.hidden_file": (
        "隐藏文件（如 macOS 的“._”元数据）；已跳过。",
        "a hidden file (e.g. macOS '._' metadata); skipped.",
    ),
    "discover.not_xlsx": (
        "是 {suffix} 文件，不是 .xlsx：未读取。请交回 kpibook 的 .xlsx 工作簿本身（Excel：文件 > 另存为 > Excel 工作簿）。",
        "is a {suffix} file, not .xlsx: it was not read. Send back the kpibook .xlsx workbook itself "
        "(in Excel: File > Save As > Excel Workbook).",
    ),
    "discover.file_unreadable": ("无法读取（{reason}）；请检查文件。", "cannot be read ({reason}); check the file."),
    "discover.not_regular_file": (
        "不是普通文件（名为 .xlsx 的管道、设备或套接字）；未读取。",
        "is not a regular file (a pipe, device or socket named .xlsx); it was not read.",
    ),
    "cycle.action.new": ("新建 {id} {name}: {file}（第 {issue} 版）", "new       {id} {name}: {file} (issue {issue})"),
    "cycle.action.reissue": (
        "重发 {id} {name}: {file}（第 {issue} 版，空白）",
        "reissue   {id} {name}: {file} (issue {issue}, blank)",
    ),
    "cycle.action.carry": (
        "重发并带入已填内容 {id} {name}: {file}（第 {issue} 版）",
        "carry     {id} {name}: {file} (issue {issue}, entries carried over)",
    ),
    "cycle.action.restore": (
        "补写 {id} {name}: {file}（文件不见了，仍为第 {issue} 版）",
        "restore   {id} {name}: {file} (the file was gone; still issue {issue})",
    ),
    "cycle.action.withdraw": (
        "撤回 {id} {name}: {file}（已不在名单中，文件保留）",
        "withdraw  {id} {name}: {file} (no longer on the roster; file kept)",
    ),
    "cycle.action.unchanged": ("未变 {id} {name}: {file}", "unchanged {id} {name}: {file}"),
    "cycle.moved": ("旧文件移至 {path}", "old file moved to {path}"),
    "cycle.not_carried": ("未能带入: {entry}", "not carried: {entry}"),
    "cycle.field.name": ("姓名", "name"),
    "cycle.field.role": ("岗位", "role"),
    "cycle.field.department": ("部门", "department"),
    "cycle.field.manager": ("直属上级", "manager"),
    "cycle.reason.targets": ("目标值变了", "targets changed"),
    "cycle.reason.spec": ("roles.toml 变了", "roles.toml changed"),
    "cycle.reason.back": ("重新回到名单", "back on the roster"),
    "cycle.why.role": ("岗位变了，实际值不带入", "the role changed; actuals are never carried"),
    "cycle.unreadable": (
        "旧文件无法读取（{reason}），其内容无法带入",
        "the old file cannot be read ({reason}); nothing in it could be carried",
    ),
    "cycle.why.kpi_gone": ("新版本中没有这个指标", "the new issue has no such KPI"),
    "cycle.withdrawn_with_entries": ("工作簿里已有填写内容", "the workbook holds entries"),
    "cycle.hr.not_carried": (
        "有 {count} 项内容未能带入新版本；旧文件在 superseded/ 中，请与经理核对后手工补填",
        "{count} entry(ies) could not be carried into the new issue; the old file is in superseded/: "
        "check them with the manager and type them in by hand",
    ),
    "cycle.hr.withdrawn": (
        "该员工已不在名单中，但工作簿里已有填写内容；文件保留，请确认是否仍需考核",
        "this employee left the roster but the workbook holds entries; the file is kept: decide whether "
        "they are still appraised",
    ),
    "cycle.other_period": (
        "这里的台账是 {ledger} 期间的；{period} 请生成到另一个文件夹，例如 {suggestion}",
        "holds the ledger of period {ledger}; generate {period} into another folder, e.g. {suggestion}",
    ),
    "cycle.summary": (
        "新建 {new}，重发 {reissue}，带入内容重发 {carry}，补写 {restore}，撤回 {withdraw}，未变 {unchanged}",
        "{new} new, {reissue} reissued blank, {carry} reissued with entries, {restore} restored, "
        "{withdraw} withdrawn, {unchanged} unchanged",
    ),
    "status.manager": ("上级", "manager"),
    "status.total": ("合计", "total"),
    "status.count.issued": ("已下发", "issued"),
    "status.count.returned": ("已交回", "returned"),
    "status.count.ok": ("合格", "ok"),
    "status.count.incomplete": ("未填完", "incomplete"),
    "status.count.rejected": ("退回", "rejected"),
    "status.count.missing": ("未交", "missing"),
    "status.due": ("{period} 截止日期: {due}", "{period} due: {due}"),
    "status.blanks": ("还有 {count} 项实际值未填（{cells}）", "{count} actual(s) still blank ({cells})"),
    "status.not_returned": ("尚未交回", "not returned yet"),
    "status.all_in": ("全部交回且合格", "every workbook is back and ok"),
    "status.reminder_written": ("催交邮件: {path}", "reminder: {path}"),
    "status.reminder_sent": ("已发送给 {manager} <{email}>", "sent to {manager} <{email}>"),
    "remind.subject": ("{period} 绩效考核表催交：{count} 人待处理", "{period} appraisal: {count} outstanding"),
    "remind.bad_server": (
        "{value!r} 不是 主机:端口（例如 smtp.example.com:25）",
        "{value!r} is not HOST:PORT (e.g. smtp.example.com:25)",
    ),
    "remind.cannot_write": (
        "无法写入（{reason}）；请换一个 --reminders 文件夹",
        "cannot be written ({reason}); choose another --reminders folder",
    ),
    "remind.no_address": (
        "台账中没有此上级的邮箱（名单里上级本人那一行的 email），未发送；请用 --reminders 写出 .eml 后手工发送",
        "the ledger has no e-mail address for this manager (the email of their own roster row); not sent. Use "
        "--reminders to write the .eml and send it by hand",
    ),
    "remind.refused": ("邮件服务器 {server} 拒收: {reason}", "the mail server {server} refused it: {reason}"),
    "remind.no_server": (
        "无法通过邮件服务器发送（{reason}）；请检查 --smtp，或用 --reminders 写出 .eml 文件",
        "cannot send through the mail server ({reason}); check --smtp, or write .eml files with --reminders",
    ),
    "cycle.dry_run": ("演练（--dry-run）：以上为计划，未写入任何文件", "dry run: the plan above; nothing was written"),
    # --- consolidate and the summary ---------------------------------------------------
    # (the cycle's part of consolidate: ledger, keys, sign-off)
    "signoff.bad_date": (
        "{value!r} 不是日期；请按 2027-01-05 的格式填写日期",
        "{value!r} is not a date; type the date as 2027-01-05",
    ),
    "signoff.missing": (
        "缺少{who}签字（姓名和日期，单元格 {cells}）；签字后再交回",
        "the {who}'s sign-off (name and date, cells {cells}) is missing; sign and send it back",
    ),
    "signoff.who.employee": ("员工", "employee"),
    "signoff.who.manager": ("上级", "manager"),
    "ledger.superseded": (
        "这是第 {found} 版，但台账中当前是第 {current} 版（{current_file}）；请用当前版本填写并交回",
        "is issue {found}, but the ledger's current issue is {current} ({current_file}); fill in and send "
        "back the current file",
    ),
    "ledger.newer": (
        "这是第 {found} 版，但台账中最新只有第 {current} 版；它来自另一个台账，请用 {current_file}",
        "is issue {found}, but the ledger's latest is issue {current}: it comes from another ledger; use "
        "{current_file}",
    ),
    "ledger.withdrawn": (
        "{id} {name} 已在台账中撤回（不在名单上）；此工作簿只列出，不计入汇总",
        "{id} {name} is withdrawn in the ledger (no longer on the roster); this workbook is reported, not counted",
    ),
    "ledger.targets": (
        "目标值与台账中 HR 下发的不一致（隐藏的 _kpibook 和可见单元格都可能被改过）；已拒收，请用 {current_file}",
        "the targets differ from those HR issued (the ledger's digest): edited after generation, in the hidden "
        "_kpibook sheet and perhaps the visible cells; rejected, use {current_file}",
    ),
    "key.unverifiable": (
        "用另一把密钥签名（密钥编号 {key_id}），无法核实，因此不计为 ok；请用 --key-file 提供生成时所用的密钥（编号 {key_id}）",
        "was signed with another key (key id {key_id}), so it cannot be verified and is never ok; give the key "
        "HR generated with (id {key_id}) with --key-file or KPIBOOK_KEY_FILE",
    ),
    "key.all_unverifiable": (
        "{count} 个工作簿都用另一把密钥签名（密钥编号 {key_ids}），一个也无法核实；请用 --key-file 提供生成时所用的密钥",
        "all {count} workbooks were signed with another key (key id {key_ids}); none can be verified. Give the key "
        "HR generated with, with --key-file or KPIBOOK_KEY_FILE",
    ),
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
    "guideline.not_table": (
        "必须是一个 [calibration] 表；参见 docs/spec-format.md 的“校准指引”",
        "must be a [calibration] table; see 'Calibration guideline' in docs/spec-format.md",
    ),
    "guideline.unknown_key": ("不是校准指引的键；可用的键：{keys}", "is not a key of the guideline; use one of {keys}"),
    "guideline.rounding": (
        '为 {found}；请写 "nearest"（四舍五入）、"down"（向下取整）或 "up"（向上取整）',
        'is {found}; write "nearest" (half up), "down" or "up"',
    ),
    "guideline.per": (
        '为 {found}；请写 "all"（全部）、"department"（按部门）或 "role"（按岗位）',
        'is {found}; write "all", "department" or "role"',
    ),
    "guideline.no_limits": (
        "缺少；请至少添加一个 [[calibration.limits]] 表（grades 和 max 或 min）",
        "is missing; add at least one [[calibration.limits]] table (grades and max or min)",
    ),
    "guideline.whole": ("为 {found}；请写一个不小于 1 的整数", "is {found}; write a whole number of 1 or more"),
    "guideline.points": ("为 {found}；请写一个不小于 0 的分数", "is {found}; write a number of points, 0 or more"),
    "guideline.grades_type": (
        '为 {found}；请写等级列表，例如 ["S", "A"]',
        'is {found}; write a list of grades such as ["S", "A"]',
    ),
    "guideline.grade_unknown": (
        "{found} 不在等级表中；请使用 [[grades]] 中的等级：{scale}",
        "{found} is not in the grade scale; use grades of [[grades]]: {scale}",
    ),
    "guideline.share": (
        '为 {found}；请写 0% 到 100% 之间的比例，例如 "10%" 或 0.1',
        'is {found}; write a share between 0% and 100%, such as "10%" or 0.1',
    ),
    "guideline.no_bound": ("缺少 max 或 min；请至少写一个", "has neither max nor min; give at least one"),
    "guideline.min_above_max": (
        "min {low} 高于 max {high}；min 必须不大于 max",
        "min {low} is above max {high}; min must not exceed max",
    ),
    "guideline.role": (
        "{found} 不是本规格中的岗位；可用：{roles}",
        "{found} is not a role of this spec; use one of {roles}",
    ),
    "guideline.department": ("为 {found}；请写带引号的部门名称", "is {found}; write the department's name in quotes"),
    "calibrate.no_guideline": (
        "规格中没有校准指引（[calibration]）；分布将只显示不作比较。可在 roles.toml 中添加，参见 docs/spec-format.md",
        "the spec has no calibration guideline ([calibration]); the distribution is shown without limits. "
        "Add one to roles.toml: see docs/spec-format.md",
    ),
    "calibrate.nobody": (
        "汇总中没有状态为 ok 的员工，无人可校准；请先收齐工作簿并重新运行 kpibook consolidate",
        "no employee of this summary is ok, so nobody can be calibrated; collect the workbooks and run "
        "kpibook consolidate again",
    ),
    "calibrate.other_spec": (
        "该汇总由另一份规格生成（sha256 {found}，当前规格 {expected}）；请用生成汇总时的 roles.toml（--spec）",
        "was made with another spec (sha256 {found}, this spec {expected}); give the roles.toml the summary was "
        "made with (--spec)",
    ),
    "calibrate.not_ours": (
        "已存在且不是 kpibook 写出的校准工作簿，不会被覆盖；请换一个 --out 或移走该文件",
        "exists and is not a calibration workbook written by kpibook, so it is not replaced; choose another "
        "--out or move the file away",
    ),
    "calibrate.filled": (
        "是已填写了校准等级或理由的校准工作簿，不会被覆盖（其中有会议的决定）；请换一个 --out",
        "is a calibration workbook that already holds calibrated grades or reasons (the meeting's decisions), "
        "so it is not replaced; choose another --out",
    ),
    "calibrate.written": ("校准工作簿：{out}（{period} 期）", "Calibration workbook: {out} (period {period})"),
    "calibrate.counts": (
        "{people} 名员工参与校准，{others} 名未参与（状态不是 ok）",
        "{people} employee(s) to calibrate, {others} not calibrated (not ok)",
    ),
    "calibrate.limit_broken": (
        "指引 {limit}{group}：{count}/{people} 人，{status} {move} 人",
        "guideline {limit}{group}: {count} of {people}, {status} by {move}",
    ),
    "calibrate.manager_flag": (
        "直属上级 {manager}：平均分 {mean}（与部门差 {gap}），{flag}",
        "manager {manager}: mean {mean} ({gap} vs department), {flag}",
    ),
    "calibrate.over": ("超出", "over"),
    "calibrate.under": ("缺少", "short"),
    "calibrate.lenient": ("偏松", "lenient"),
    "calibrate.severe": ("偏严", "severe"),
    "calibrate.why_not": ("{status}：未参与校准。{why}", "{status}: not calibrated. {why}"),
    "calibrate.reason_needed": ("需填写理由", "reason needed"),
    "calibrate.not_a_grade": ("不是等级", "not a grade"),
    "calibration.not_found": (
        "找不到该文件；请给出 kpibook calibrate 写出的校准工作簿",
        "not found; give the calibration workbook that kpibook calibrate wrote",
    ),
    "calibration.not_calibration": (
        "不是 kpibook calibrate 写出的校准工作簿（没有相应的 _kpibook 元数据）；请给出 calibrate 写出的文件",
        "is not a calibration workbook written by kpibook calibrate (no matching _kpibook metadata); give the "
        "file calibrate wrote",
    ),
    "calibration.edited": (
        "员工、分数或公式等级在 kpibook calibrate 写出后被修改过（{rows} 行，签名时 {signed} 行）；只能修改 "
        "calibrated_grade 和 reason 两列。请用 kpibook calibrate 重新生成",
        "the employees, scores or formula grades were changed after kpibook calibrate wrote it ({rows} rows now, "
        "{signed} when signed); only calibrated_grade and reason may change. Write it again with kpibook calibrate",
    ),
    "calibration.forged": (
        "签名的元数据被修改过或由另一密钥签名（{key_id}），无法证明该工作簿由 kpibook 写出；请用 kpibook calibrate 重新生成",
        "its signed metadata was edited or signed with another key ({key_id}), so kpibook cannot prove it wrote "
        "this workbook; write it again with kpibook calibrate",
    ),
    "calibration.other_period": (
        "是 {found} 期的校准，而本次汇总是 {expected} 期；请给出本期的校准工作簿",
        "calibrates period {found}, but this summary is for {expected}; give this period's calibration workbook",
    ),
    "calibration.other_spec": (
        "由另一份规格的汇总生成（spec sha256 {found}）；请用同一份 roles.toml 重新运行 kpibook calibrate",
        "was made from a summary of another spec (spec sha256 {found}); run kpibook calibrate again with this "
        "roles.toml",
    ),
    "calibration.stale": (
        "{employee}：校准时总分为 {then}、等级 {grade}，本次汇总为 {now}、等级 {grade_now}；校准未应用。请在新汇总上重新校准",
        "{employee}: calibrated at total {then}, grade {grade}, but this summary has {now}, grade {grade_now}; the "
        "calibration is not applied. Calibrate again on the new summary",
    ),
    "calibration.no_reason": (
        "{employee}：等级由 {before} 改为 {after} 但没有填写理由；该调整未应用。请在 reason 列写明理由",
        "{employee}: grade changed from {before} to {after} without a reason; the change is not applied. Write the "
        "reason in the reason column",
    ),
    "calibration.not_a_grade": (
        "{employee}：{found} 不是等级表中的等级（{scale}）；该调整未应用。请从下拉列表中选择",
        "{employee}: {found} is not a grade of the scale ({scale}); the change is not applied. Pick one from the list",
    ),
    "calibration.not_ok_now": (
        "{employee}：在校准工作簿中，但本次汇总中状态为 {status}；校准未应用",
        "{employee}: is in the calibration workbook but is {status} in this summary; the calibration is not applied",
    ),
    "calibration.absent": (
        "{employee}：本次汇总中状态为 ok，但不在校准工作簿中；以公式等级为最终等级。如需校准请重新运行 kpibook calibrate",
        "{employee}: is ok in this summary but not in the calibration workbook; the formula grade is final. Run "
        "kpibook calibrate again to calibrate them",
    ),
    "calibration.other_summary": (
        "是另一份汇总的校准：其中 {count} 名员工没有一人在本次汇总中为 ok；请给出为本汇总生成的校准工作簿",
        "calibrates another summary: none of its {count} employees is ok in this one; give the calibration "
        "workbook made for this summary",
    ),
    "calibration.formula": (
        "公式被修改过；请用 kpibook calibrate 重新生成该工作簿",
        "the formula was changed; write the workbook again with kpibook calibrate",
    ),
    "calibration.unlocked": (
        "该单元格应被锁定（只有 calibrated_grade 和 reason 可编辑）",
        "this cell should be locked (only calibrated_grade and reason are inputs)",
    ),
    "calibration.unprotected": ("工作表未受保护", "the sheet is not protected"),
    "calibration.validation": (
        "下拉列表校验缺失或被修改；请用 kpibook calibrate 重新生成",
        "the list validation is missing or changed; write the workbook again with kpibook calibrate",
    ),
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
    "year.sheet.rules": (
        "年度规则（来自 roles.toml 的 [year] 与 [[grades]]）",
        "The year's rules (from roles.toml [year] and [[grades]])",
    ),
    "year.rules.cap": (
        "系数上限（roles.toml 中的 coefficient_cap）",
        "coefficient cap (coefficient_cap in roles.toml)",
    ),
    "year.rules.cap_none": (
        "未设系数上限：此处为最高系数，MIN 不改变任何系数",
        "no coefficient cap: this is the highest coefficient, so MIN changes nothing",
    ),
    "year.totals.note": (
        "paid = 有奖金的人数；payout = 奖金合计（与 CSV 控制文件的合计一致）",
        "paid = people with a payout; payout = the sum of payouts (equals the CSV control file's sum)",
    ),
    "year.sheet.trend_grades": ("各季度等级分布（人数）", "Grade distribution per quarter (people)"),
    "year.chart.grades": ("各季度等级分布", "Grades per quarter"),
    "year.sheet.trend_dimensions": ("各维度部门平均分（按季度）", "Each dimension's department mean, per quarter"),
    "year.sheet.trend_people": ("每人各维度得分（按季度）", "Each person's dimension points, per quarter"),
    "year.sheet.audit": ("年度表各列的计算方法", "How every column of the Year sheet is made"),
    "year.explain.employee_id": ("工号：来自各季度汇总", "employee id: from the quarters' summaries"),
    "year.explain.employee_name": ("姓名：最后一个季度汇总中的姓名", "name: as in the last quarter's summary"),
    "year.explain.department": ("部门：最后一个季度汇总中的部门", "department: as in the last quarter's summary"),
    "year.explain.manager": (
        "直属上级：最后一个季度的上级（各季度见 manager.<季度> 列）",
        "manager: the last quarter's (each quarter's is in the manager.<quarter> columns)",
    ),
    "year.explain.role_id": (
        "岗位：最后一个季度的岗位；每个季度按当季岗位计分（见 role.<季度> 列）",
        "role: the last quarter's; each quarter is scored under its own role (role.<quarter> columns)",
    ),
    "year.explain.quarters": ("计入的季度数：有得分的季度个数", "quarters counted: how many quarters have a score"),
    "year.explain.annual_score": (
        "年度得分 = Σ(季度权重 × 季度得分) ÷ Σ(计入季度的权重)，保留 2 位小数；状态为 incomplete 时为空",
        "annual score = Σ(quarter weight × quarter score) ÷ Σ(weights of the quarters counted), "
        "rounded to 2 decimals; blank while the status is incomplete",
    ),
    "year.explain.annual_grade": (
        "年度等级：年度得分落入的等级区间（Rules 表 grade_mins）",
        "annual grade: the band of the annual score (grade_mins on the Rules sheet)",
    ),
    "year.explain.coefficient": (
        "绩效系数 = MIN(系数上限, 该等级的系数)",
        "coefficient = MIN(coefficient cap, the grade's coefficient)",
    ),
    "year.explain.months": (
        "在职月数：花名册有入职/离职日期时，为本年中当月 15 日在职的月数；否则为 3 × 出现在汇总中的季度数",
        "months worked: with the roster's hired/left dates, the months of the year in which the person was "
        "employed on the 15th; otherwise 3 per quarter the person appears in a summary",
    ),
    "year.explain.bonus_base": (
        "奖金基数：来自花名册的 bonus_base 列（没有则为空）",
        "bonus base: the roster's bonus_base (blank without)",
    ),
    "year.explain.payout": (
        "奖金 = ROUND(奖金基数 × 绩效系数 × 在职月数 ÷ 12, 2)，精确到分，四舍五入（远离零）",
        "payout = ROUND(bonus base × coefficient × months worked ÷ 12, 2): to the fen, half away from zero",
    ),
    "year.explain.status": (
        "状态：ok = 四个季度都计入；partial = 部分季度未在职（按在职季度折算）；incomplete = 有在职季度未交回或未完成",
        "status: ok = all four quarters counted; partial = not employed in some quarter (pro-rated); "
        "incomplete = a quarter in which the person was employed is not returned ok",
    ),
    "year.explain.changes": ("年内岗位或上级的变动", "changes of role or manager during the year"),
    "year.explain.score": ("该季度汇总中的总分（仅 ok 时）", "the quarter's total score in its summary (ok rows only)"),
    "year.explain.grade": (
        "该季度的等级（汇总有 final_grade 列时为校准后的等级）",
        "the quarter's grade (the calibrated final_grade where the summary has one)",
    ),
    "year.explain.role": ("该季度的岗位", "the quarter's role"),
    "year.explain.state": (
        "该季度：counted 计入；not_employed 未在职；not_returned 在职但未交回/未完成",
        "the quarter: counted; not_employed; not_returned (employed, but not returned ok)",
    ),
    "year.explain.missing": (
        "缺少的季度：未在职（不在该季度汇总中或在入职/离职日期之外）不计入并按在职时间折算；在职但未交回则年度为 incomplete，不给等级和奖金",
        "a missing quarter: not employed (absent from that quarter's summary or outside the hired/left dates) "
        "is left out and the year pro-rated; employed but not returned makes the year incomplete: no grade, no payout",
    ),
    "year.explain.rounding": (
        "取整：所有 ROUND 都是四舍五入（远离零），与 Excel、LibreOffice、WPS 一致",
        "rounding: every ROUND is half away from zero, as in Excel, LibreOffice and WPS",
    ),
    "year.explain.fingerprint": (
        "隐藏的 _kpibook 表记录来源汇总、数值摘要和 HR 密钥签名；kpibook audit YEAR.xlsx 可核对公式、锁定和签名",
        "the hidden _kpibook sheet records the source summaries, a digest of the values and HR's key's "
        "signature; kpibook audit YEAR.xlsx checks the formulas, locks and signature",
    ),
    "year.no_rules": (
        "角色规范没有 [year] 表（季度权重和绩效系数）；按 docs/spec-format.md 添加后运行 kpibook spec check",
        "the role spec has no [year] table (quarter weights and grade coefficients); add one as "
        "docs/spec-format.md shows, then run kpibook spec check",
    ),
    "year.no_summaries": (
        "请给出各季度 consolidate 写出的 summary.xlsx",
        "give the quarters' summary.xlsx files that consolidate wrote",
    ),
    "year.not_quarter": (
        "该汇总的期间是 {period}，不是季度；年度只由季度汇总（如 2026Q1）组成",
        "this summary's period is {period}, not a quarter; the year is built from quarterly summaries (e.g. 2026Q1)",
    ),
    "year.same_quarter": (
        "与 {other} 是同一季度 {period} 的汇总；每个季度只给一个汇总",
        "is a summary of {period}, like {other}; give one summary per quarter",
    ),
    "year.many_years": (
        "这些汇总属于不同年度：{years}；一次只汇总一年的季度",
        "these summaries are of different years: {years}; give the quarters of one year",
    ),
    "year.refused": (
        "{count} 个汇总问题，未写出年度结果",
        "{count} problem(s) with the summaries; nothing was written",
    ),
    "year.quarter_missing": (
        "没有给出该季度的汇总；在职的人年度为 incomplete，补上该季度汇总后重新运行",
        "no summary of this quarter was given; the year is incomplete for everyone employed in it: "
        "add the quarter's summary and run again",
    ),
    "year.result.people": ("{year} 年度：{count} 人（{counts}）", "year {year}: {count} people ({counts})"),
    "year.result.payout": ("奖金：{paid} 人，合计 {total}", "payout: {paid} people, total {total}"),
    "year.result.changes": ("{count} 人年内岗位或上级有变动", "{count} people changed role or manager during the year"),
    "year.roster_no_id": (
        "花名册没有 employee_id（工号）列；年度奖金列按工号匹配",
        "the roster has no employee_id (工号) column; the year's pay columns are matched by it",
    ),
    "year.roster_base": (
        "奖金基数 {value!r} 不是不小于 0 的数字；请写如 60000 的金额",
        "bonus base {value!r} is not a number of 0 or more; write an amount such as 60000",
    ),
    "year.roster_date": (
        "{value!r} 不是日期；请写 ISO 日期，如 2026-04-01",
        "{value!r} is not a date; write an ISO date such as 2026-04-01",
    ),
    "year.roster_left_before": (
        "离职日期 {left} 早于入职日期 {hired}；请改正其一",
        "left {left} is before hired {hired}; correct one of them",
    ),
    "year.roster_problems": (
        "花名册有 {count} 个问题，未写出年度结果",
        "{count} problem(s) in the roster; nothing was written",
    ),
    "year.output_not_ours": (
        "已存在且不是 kpibook annual 写出的文件，因此不会被覆盖；请换一个 {option} 或先移走该文件",
        "exists and is not a file kpibook annual wrote, so it is not replaced; choose another {option} "
        "or move the file away",
    ),
    "year.is_year_book": (
        "是 kpibook annual 写出的年度结果，不是季度汇总；请给出各季度 consolidate 写出的 summary.xlsx",
        "is a year written by kpibook annual, not a quarter's summary; give the quarters' summary.xlsx files",
    ),
    "year.result.absent": ("不在汇总中", "absent from the summary"),
    "year.result.incomplete": (
        "{employee}：年度未完成，未交回或未完成的季度：{quarters}；交回后重新 consolidate 并运行 kpibook annual",
        "{employee}: the year is incomplete, quarter(s) not returned ok: {quarters}; once returned, "
        "consolidate that quarter again and rerun kpibook annual",
    ),
    "year.audit.signature": (
        "年度结果的签名元数据无法验证：不是 kpibook annual 用此密钥写出，或元数据被修改；请用 HR 的密钥重新运行 kpibook annual",
        "the year's signed metadata does not verify: not written by kpibook annual under this key, or edited; "
        "run kpibook annual again with HR's key",
    ),
    "year.audit.header": (
        "年度表的列与 kpibook annual 写出的不同；请重新运行 kpibook annual",
        "the Year sheet's columns are not those kpibook annual writes; run kpibook annual again",
    ),
    "year.audit.values": (
        "年度表或规则表中的数值在写出后被修改（得分、基数、月数或系数）；请勿手工修改，重新运行 kpibook annual",
        "values of the Year or Rules sheet were changed after kpibook annual wrote them (a score, base, months "
        "or coefficient); do not edit the year: run kpibook annual again",
    ),
    "year.audit.formula": (
        "公式与该列的公式不同；同一列每行公式必须相同",
        "the formula differs from its column's formula; every row of a column has the same formula",
    ),
    "year.audit.name": (
        "规则名称（quarter_weights 等）不再指向 Rules 表",
        "a rule name (quarter_weights...) no longer points to the Rules sheet",
    ),
    "year.audit.unlocked": (
        "工作表保护被取消；年度结果中没有需要手工输入的单元格",
        "the sheet is no longer protected; nothing in the year is typed by hand",
    ),
    "year.audit.cached": (
        "保存的计算结果与 kpibook 根据签名数值重新计算的不同",
        "the value saved in the file differs from kpibook's recomputation from the signed values",
    ),
    "year.no_base": (
        "{employee} 没有奖金基数（不在花名册中或 bonus_base 为空），因此没有奖金；补上后重新运行 kpibook annual",
        "{employee} has no bonus_base (not in the roster, or the cell is empty), so no payout; add it and "
        "run kpibook annual again",
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


def chosen_language() -> str | None:
    """The language fixed for this run (None: not fixed, the locale decides)."""
    return _chosen


def restore_language(previous: str | None) -> None:
    """Puts back what `chosen_language` returned (the CLI does, after one command)."""
    global _chosen
    _chosen = previous


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
