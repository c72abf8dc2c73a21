"""The audit: what each finding says, its next step, and the report's lines.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
    # what a finding says (audit.<code>[.<variant>]); the code is the stable id
    "audit.unreadable": ("无法读取：{reason}", "cannot be read: {reason}"),
    # a chart point whose cache is not its cell's value (kpibook.as_excel.chart_mismatches), in
    # the audits of YEAR.xlsx and the calibration workbook and in reading a summary back
    "audit.chart_point": (
        "图表“{chart}”把 {series} 的第 {point} 个点显示为 {cached}，但它引用的单元格 {cell} 的值是 {value}："
        "图表缓存被篡改或已过时；请在电子表格中打开并保存该文件，或用 kpibook {command} 重新生成",
        "the chart “{chart}” shows {cached} as point {point} of {series}, but the cell it draws, {cell}, "
        "holds {value}: the chart's cache was forged or left stale; open and save the file in a spreadsheet, "
        "or write it again with kpibook {command}",
    ),
    "audit.chart_blank": ("（空）", "(blank)"),
    "audit.extra_sheet": ("kpibook 未创建的工作表（{state}）", "a {state} sheet that kpibook did not create"),
    "audit.sheet_state": ("工作表的显示状态被改为 {state}", "the sheet was made {state}"),
    "audit.sheet_missing": ("该工作表被删除", "the sheet was deleted"),
    "audit.sheet_renamed": (
        "评分表被改名（kpibook 通过命名单元格读取，数据未丢失）",
        "the scorecard sheet was renamed (kpibook reads it through its named cells, so nothing is lost)",
    ),
    "audit.sheet_unprotected": (
        "工作表保护被取消：公式和固定单元格可被修改",
        "the sheet protection was removed: formulas and fixed cells can be edited",
    ),
    "audit.sheet_unprotected.text": ("工作表保护被取消", "the sheet protection was removed"),
    "audit.structure_unlocked": ("工作簿结构保护被取消", "the workbook structure lock was removed"),
    "audit.external_link": ("工作簿含有指向其他文件的链接", "the workbook holds links to other files"),
    "audit.external_link.formula": ("公式引用了另一个工作簿", "a formula refers to another workbook"),
    "audit.metadata_missing": (
        "隐藏的 _kpibook 表中缺少或为空的元数据行",
        "metadata rows of the hidden _kpibook sheet are missing or empty",
    ),
    "audit.metadata_missing.sheet": (
        "隐藏的 _kpibook 表被删除：无法核实工作簿的身份和目标值",
        "the hidden _kpibook sheet was deleted: the workbook's identity and targets cannot be verified",
    ),
    "audit.metadata_changed.duplicate": (
        "元数据键 {key} 出现在多行",
        "the metadata key {key} appears on more than one row",
    ),
    "audit.metadata_changed.extra_row": (
        "kpibook 未写入的元数据行 {key}",
        "a metadata row kpibook did not write: {key}",
    ),
    "audit.metadata_changed.targets_json": ("元数据的目标值行不是有效的 JSON", "the targets row is not valid JSON"),
    "audit.metadata_changed.target_missing": (
        "签名的目标值中没有 KPI {kpi}",
        "the signed targets have no entry for KPI {kpi}",
    ),
    "audit.key_unknown": (
        "工作簿由另一把密钥签名，无法用当前密钥核实其目标值",
        "the workbook was signed with another key: its targets cannot be verified with this one",
    ),
    "audit.fingerprint_mismatch": (
        "签名的元数据（员工、岗位、考核期、目标值或规格）在生成后被修改",
        "the signed metadata (employee, role, period, targets or spec) was edited after generation",
    ),
    "audit.other_spec": (
        "该工作簿由另一版 roles.toml 生成（规格 {made_from}，spec_version {made_version}），当前载入的是 "
        "{loaded}（spec_version {loaded_version}）；该岗位的 KPI、公式或权重不同，因此不逐格比对",
        "made from another version of roles.toml (spec {made_from}, spec_version {made_version}); the loaded "
        "one is {loaded} (spec_version {loaded_version}) and this role's KPIs, formulas or weights differ, so its "
        "cells are not compared one by one",
    ),
    "audit.other_spec.same_role": (
        "该工作簿由另一版 roles.toml 生成（规格 {made_from}，spec_version {made_version}），当前载入的是 "
        "{loaded}（spec_version {loaded_version}）；该岗位的公式、权重和参数未变，已逐格核对",
        "made from another version of roles.toml (spec {made_from}, spec_version {made_version}); the loaded "
        "one is {loaded} (spec_version {loaded_version}); this role's formulas, weights and parameters are "
        "unchanged, so every cell was checked",
    ),
    "audit.other_spec.layout": (
        "布局摘要与当前规格中该岗位不符（由另一版本 kpibook 生成，或被修改）",
        "the layout digest does not match this spec's role (made by another kpibook version, or edited)",
    ),
    "audit.role_unknown": (
        "岗位 {role} 不在 {source} 中（工作簿由规格 {made_from} 生成，当前载入 {loaded}）",
        "role {role} is not in {source} (the workbook was made from spec {made_from}, the loaded one is {loaded})",
    ),
    "audit.target_changed": ("KPI {kpi} 的目标值被修改", "the target of KPI {kpi} was changed"),
    "audit.weight_changed.kpi": ("KPI {kpi} 的权重被修改", "the weight of KPI {kpi} was changed"),
    "audit.weight_changed.dimension": (
        "维度 {dimension} 的权重被修改",
        "the weight of dimension {dimension} was changed",
    ),
    "audit.parameter_changed.kpi": ("KPI {kpi} 的计分参数被修改", "a scoring parameter of KPI {kpi} was changed"),
    "audit.parameter_changed.dimension_id": ("小计行的维度编号被修改", "the dimension id of a subtotal was changed"),
    "audit.parameter_changed.grade_min": (
        "等级表中等级 {grade} 的最低分被修改",
        "the grade table's lowest total for grade {grade} was changed",
    ),
    "audit.parameter_changed.grade": ("等级表中的等级被修改", "a grade of the grade table was changed"),
    "audit.identity_changed": (
        "此处显示的 {key} 与元数据（{where}）不一致：其中之一被修改过",
        "the {key} shown here differs from the metadata ({where}): one of them was edited",
    ),
    "audit.name_missing": ("定义名称 {name} 被删除", "the defined name {name} was deleted"),
    "audit.name_missing.no_scorecard": (
        "没有工作表含有 kpibook 的命名单元格（total_score、employee_id 等），元数据也未指明：找不到评分表",
        "no sheet holds the kpibook named cells (total_score, employee_id...) and the metadata names none: "
        "the scorecard cannot be found",
    ),
    "audit.name_changed": (
        "定义名称 {name} 指向了别处（插入或删除了行列，或名称被修改）",
        "the defined name {name} points elsewhere (rows or columns inserted or deleted, or the name edited)",
    ),
    "audit.name_extra": ("新增了定义名称 {name}", "the defined name {name} was added"),
    "audit.name_extra.local": ("新增了工作表级名称 {name}", "the sheet-level name {name} was added"),
    "audit.cell_unlocked": (
        "该单元格未锁定：即使工作表受保护也可被改写",
        "the cell is unlocked: anyone can overwrite it even with the sheet protected",
    ),
    "audit.input_locked": (
        "输入单元格被锁定：经理无法填写",
        "the input cell is locked: the manager cannot type into it",
    ),
    "audit.display_forged": (
        "单元格的数字格式不显示其真实值（看到或打印的不是 kpibook 读取的值）",
        "the cell's number format does not show its value (what is seen or printed is not what kpibook reads)",
    ),
    "audit.function_not_allowed": (
        "公式使用了 kpibook 允许范围（{allowed}）之外的函数",
        "a formula uses functions outside kpibook's allowed list ({allowed})",
    ),
    "audit.formula_missing.overwritten": (
        "公式被常量覆盖（手工输入或粘贴）",
        "the formula was overwritten with a constant (typed or pasted over)",
    ),
    "audit.formula_missing.deleted": ("公式被删除", "the formula was deleted"),
    "audit.column_inconsistent": (
        "公式与同列其他单元格（{first}:{last}）不一致：R1C1 形式为 {found_r1c1}，应为 {want_r1c1}",
        "the formula differs from the rest of its column ({first}:{last}) in R1C1 terms: {found_r1c1} instead "
        "of {want_r1c1}",
    ),
    "audit.formula_changed": ("公式与规格生成的不同", "the formula differs from the one the spec generates"),
    "audit.formula_in_input": (
        "输入单元格里是公式：kpibook 读取其计算结果",
        "an input cell holds a formula: kpibook reads its computed value",
    ),
    "audit.extra_formula": (
        "生成的工作簿此处为固定值或空白，现在却是公式",
        "a formula where the generated workbook has a fixed value or nothing",
    ),
    "audit.validation_removed": (
        "该实际值单元格的数据验证被删除",
        "the data validation of this actual cell was removed",
    ),
    "audit.validation_widened": (
        "该实际值单元格的数据验证被放宽",
        "the data validation of this actual cell was widened",
    ),
    "audit.validation_changed": (
        "该实际值单元格的数据验证被修改",
        "the data validation of this actual cell was changed",
    ),
    "audit.cached_value": (
        "保存的计算结果与按实际值和目标值重算的结果不同（伪造或过期的值）",
        "the cached value differs from the recomputation of this cell's formula from the actuals and targets "
        "(a forged or stale value)",
    ),
    "audit.stale_cache": (
        "已填入实际值，但保存的计算结果仍是空白工作簿的：文件由不重算的工具保存",
        "the cached values are the blank workbook's although actuals are filled in: the file was saved by a "
        "tool that does not recalculate",
    ),
    "audit.engine_rounding": (
        "{program} 对恰好落在 0.005 上的数按自己的规则舍入(或按粘贴时的完整精度计算);kpibook 按 Excel 的规则"
        "重新计算并采用自己的结果,不影响本工作簿",
        "{program} rounded a value that sits exactly on a decimal half its own way (or computed from the full "
        "precision of a pasted number); kpibook recomputes it by Excel's rule and uses its own result, nothing "
        "to do",
    ),
    # what to do about a finding (audit.todo.<kind>; codes.TODO says which)
    "audit.todo.unreadable": (
        "请交回 kpibook 生成的 .xlsx 工作簿（不要另存为其他格式）",
        "send back the .xlsx workbook kpibook generated (not saved as another format)",
    ),
    "audit.todo.tampered": (
        "向交回该工作簿的经理了解改动原因；请 HR 重新下发工作簿（kpibook generate），再填入实际值",
        "ask the manager who returned it what was changed; have HR reissue the workbook (kpibook generate) "
        "and enter the actuals again",
    ),
    "audit.todo.signed": (
        "kpibook 按 HR 签名的目标值和规格计分，从不采用此单元格；向经理了解改动原因，并请 HR 重新下发工作簿",
        "kpibook scores with HR's signed targets and the spec, never this cell; ask the manager why it was "
        "changed and have HR reissue the workbook",
    ),
    "audit.todo.cached": (
        "kpibook 的得分是它自己的重算值；请在 Excel 或 WPS 中打开工作簿，等它重新计算后保存再发回；若不是工具所致，"
        "向交回者了解谁改了保存的值",
        "kpibook's score is its own recomputation; open the workbook in Excel or WPS, let it recalculate, save it "
        "and send it again; if no tool explains it, ask who edited the stored value",
    ),
    "audit.todo.unprotected": (
        "有些程序（如 SheetJS 及基于它的网页工具）保存时会去掉保护：请在 Excel、WPS 或 LibreOffice 中打开原发的工作簿"
        "填写实际值后发回；否则向经理了解改动原因，并请 HR 重新下发工作簿",
        "some programs (SheetJS and web tools built on it) drop the protection when they save: fill the actuals "
        "in the issued workbook in Excel, WPS or LibreOffice and send that back; otherwise ask the manager what "
        "was changed and have HR reissue the workbook",
    ),
    "audit.todo.none": ("无需处理（kpibook 采用自己的重算结果）", "nothing to do (kpibook uses its own recomputation)"),
    "audit.todo.stale": (
        "无需处理：在 Excel、WPS 或 LibreOffice 中打开并保存即可刷新显示的值",
        "nothing to fix: open and save it in Excel, WPS or LibreOffice to refresh the values shown",
    ),
    "audit.todo.retype": (
        "在该单元格中直接输入数字，不要输入公式",
        "type the figure into the cell instead of a formula",
    ),
    "audit.todo.validation": (
        "不影响得分（kpibook 会自行检查每个实际值）；向经理了解为何改动了验证规则",
        "no score is affected (kpibook checks every actual itself); ask the manager why the rule was changed",
    ),
    "audit.todo.renamed": (
        "无需处理；如愿意可改回 Scorecard",
        "nothing to fix; rename it back to Scorecard if you like",
    ),
    "audit.todo.other_spec": (
        "用生成该工作簿的 roles.toml（规格 {made_from}）审计：kpibook audit --spec 旧版roles.toml；"
        "或请 HR 用当前规格重新下发",
        "audit it with the roles.toml it was made from (spec {made_from}): kpibook audit --spec OLD-roles.toml; "
        "or have HR reissue it from the current spec",
    ),
    "audit.todo.year": (
        "不要手工修改 YEAR.xlsx：请用各季度的 summary.xlsx 重新运行 kpibook annual",
        "do not edit YEAR.xlsx by hand: run kpibook annual again from the quarters' summary.xlsx files",
    ),
    "audit.todo.calibration": (
        "只在校准工作簿的输入列（校准等级、理由）中改正，或用 kpibook calibrate SUMMARY.xlsx 重新生成校准工作簿",
        "correct it in the calibration workbook's input columns (calibrated grade, reason) only, or write a fresh "
        "one with kpibook calibrate SUMMARY.xlsx",
    ),
    "audit.todo.key": (
        "将 KPIBOOK_KEY 或 KPIBOOK_KEY_FILE 设为生成时所用的密钥后重新审计",
        "set KPIBOOK_KEY or KPIBOOK_KEY_FILE to the key used at generation and audit again",
    ),
    # the words a finding's expected / found may be (audit.value.<name>, codes.word)
    "audit.value.no_such_sheet": ("没有该工作表", "no such sheet"),
    "audit.value.protected": ("受保护", "protected"),
    "audit.value.not_protected": ("未保护", "not protected"),
    "audit.value.structure_locked": ("结构已锁定", "structure locked"),
    "audit.value.unlocked": ("未锁定", "unlocked"),
    "audit.value.locked": ("已锁定", "locked"),
    "audit.value.no_external_links": ("无外部链接", "no external links"),
    "audit.value.external_links": ("有外部链接", "external links"),
    "audit.value.metadata_sheet": ("隐藏的 _kpibook 工作表", "a hidden _kpibook sheet"),
    "audit.value.not_there": ("不存在", "not there"),
    "audit.value.one_row": ("一行", "one row"),
    "audit.value.several_rows": ("多行", "several rows"),
    "audit.value.no_such_key": ("没有该键", "no such key"),
    "audit.value.fingerprint": ("HR 密钥对这些行给出的指纹", "the fingerprint HR's key gives for these rows"),
    "audit.value.missing": ("缺失", "missing"),
    "audit.value.no_such_name": ("没有该名称", "no such name"),
    "audit.value.plain_format": ("普通数字格式", "a plain number format"),
    "audit.value.allowed_functions": ("仅允许的函数", "allowed functions only"),
    "audit.value.no_external_references": ("无外部引用", "no external references"),
    "audit.value.typed_value": ("直接输入的值", "a typed value"),
    "audit.value.generated_xlsx": ("kpibook 生成的 .xlsx 工作簿", "an .xlsx workbook kpibook generated"),
    "audit.value.no_formula": ("无公式", "no formula"),
    "audit.value.empty_cell": ("空单元格", "an empty cell"),
    "audit.value.empty_text": ('""（空文本）', '"" (empty text)'),
    "audit.value.as_in": ("{value}（与 {where} 中一致）", "{value} (as in {where})"),
    "audit.value.functions_in": ("{functions}，见于 ={formula}", "{functions} in ={formula}"),
    "audit.value.recalculated": ("合计 {total}（重算）", "total {total} (recalculated)"),
    "audit.value.total": ("合计 {total}", "total {total}"),
    "audit.value.any_value": ("任何值都可输入", "any value is accepted"),
    "audit.value.alert_off": (
        "错误值不再被拒绝（出错警告已关闭或仅提示）",
        "a wrong value is no longer refused (the error alert is off or only warns)",
    ),
    "audit.value.rule_type": ("规则类型为 {kind}，应为 {want}", "the rule type is {kind} instead of {want}"),
    "audit.value.rule": ("规则为 {rule}", "the rule is {rule}"),
    "audit.value.accepts": (
        "规则接受 {low} 到 {high} 的 {kind} 数字",
        "the rule accepts {kind} numbers from {low} to {high}",
    ),
    "audit.value.list": ("列表为 {items}", "the list is {items}"),
    "audit.value.number_between": ("{low} 到 {high} 的 {kind} 数字", "a {kind} number from {low} to {high}"),
    "audit.value.refused_otherwise": ("{rule}，其他值被拒绝", "{rule}, other values refused"),
    # how the audit's report reads
    "audit.severity.error": ("错误", "error"),
    "audit.severity.warning": ("警告", "warning"),
    "audit.severity.info": ("提示", "info"),
    "audit.finding": (
        "{message}；应为 {expected}，实为 {found}；处理：{todo}",
        "{message}; expected {expected}, found {found}; to do: {todo}",
    ),
    "audit.finding.plain": ("{message}；处理：{todo}", "{message}; to do: {todo}"),
    "audit.nothing": ("（无）", "(nothing)"),
    "audit.verdict.clean": ("无问题", "clean"),
    "audit.verdict.counts": (
        "{findings} 个问题（{errors} 个错误，{warnings} 个警告）",
        "{findings} finding(s) ({errors} error(s), {warnings} warning(s))",
    ),
    "audit.verdict.unverifiable": (
        "CANNOT VERIFY 无法核实：由密钥 {key_id} 签名，而未提供该密钥；请提供该密钥（--key-file 或 KPIBOOK_KEY_FILE）后核对。"
        "这不表示被篡改",
        "CANNOT VERIFY: signed with key {key_id}, which was not given; give that key (--key-file or "
        "KPIBOOK_KEY_FILE) to check it. Not a sign of tampering",
    ),
    "audit.summary.unverifiable": (
        "；{unverifiable} 个没有密钥无法核实",
        ", {unverifiable} cannot be verified without their key",
    ),
    "audit.verdict.unreadable": ("无法读取：{reason}", "unreadable: {reason}"),
    "audit.summary": (
        "已审计 {workbooks} 个工作簿：{clean} 个无问题，{warned} 个仅有警告，{failed} 个有错误（共 {errors} 个错误，"
        "{warnings} 个警告），{unreadable} 个无法读取",
        "{workbooks} workbook(s) audited: {clean} clean, {warned} with warnings only, {failed} failed ({errors} "
        "error(s), {warnings} warning(s)), {unreadable} unreadable",
    ),
    "audit.summary.skipped": ("；跳过 {skipped} 个", "; {skipped} skipped"),
    "audit.skip": ("SKIP {path}：已跳过，{reason}", "SKIP {path}: {reason}"),
    "audit.wrote": ("审计报告已写入 {path}", "wrote the audit report to {path}"),
    "audit.explain_no_role": (
        "规格中没有岗位 {role}；现有岗位：{roles}",
        "there is no role {role}; the roles are {roles}",
    ),
    "audit.explain_cannot_write": (
        "无法写入（{reason}）；请在 Excel 中关闭该文件，或用 --out 换一个文件名",
        "cannot be written ({reason}); close it in Excel or choose another --out",
    ),
    "audit.explain_with_inputs": (
        "--explain 只说明规格（公式手册），不审计工作簿；请分两次运行：kpibook audit --explain [ROLE] [--out BOOK.xlsx]，"
        "以及 kpibook audit {inputs}",
        "--explain describes the spec (the formula book) and audits no workbook; run the two separately: "
        "kpibook audit --explain [ROLE] [--out BOOK.xlsx], then kpibook audit {inputs}",
    ),
    "audit.out_folder": ("是一个文件夹；请给 --out 一个文件名", "is a folder; give --out a file name"),
    "audit.out_not_report": (
        "已存在且不是 kpibook audit 写出的报告，因此不覆盖；请换一个 --out 文件名或移走该文件",
        "exists and is not a report kpibook audit wrote, so it is not replaced; choose another --out or move the "
        "file away",
    ),
    "audit.out_xlsx": (
        "不带 --explain 时 --out 写入文本报告（--json 时为 JSON），不能是 .xlsx；请给出 .txt 或 .json 文件名，"
        "或加上 --explain 写出公式手册",
        "without --explain, --out writes the text report (JSON with --json), not an .xlsx: give a .txt or .json "
        "name, or add --explain to write the formula book",
    ),
}
