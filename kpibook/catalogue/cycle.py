"""Generate and the cycle: the ledger, reconcile, keys, sign-off, status and reminders.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
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
    "demo.status_heading": ("各直属上级的进度（kpibook status）：", "Status per manager (kpibook status):"),
    "demo.reminder_written": ("  已写出催交提醒：{path}", "  reminder written: {path}"),
    "demo.report": ("部门报告：{path}", "Department report: {path}"),
    "demo.calibration_book": (
        "校准工作簿：{path}（预先填入的调整：{moves}）",
        "Calibration workbook: {path}  (planted: {moves})",
    ),
    "demo.calibrated": (
        "校准后的汇总：{path}（{count} 个校准问题）",
        "Calibrated summary: {path}  ({count} calibration issue(s))",
    ),
    "demo.no_reason": ("未写理由", "no reason"),
    "demo.roster_changed": (
        "生成后花名册有变化（一个目标上调、一名员工换了直属上级）；重新生成：",
        "Roster changed after generation (a target raised, a manager move); generate again:",
    ),
    "demo.resent": (
        "第 {issue} 次发放的工作簿已作为 {name} 交回；returned/ 中第 1 次发放的那份作废",
        "Issue {issue} sent back as {name}; the issue-1 copy in returned/ is superseded",
    ),
    "demo.year_story": (
        "{year} 年：四个季度（{hire} 于 Q2 入职，E1013 于 Q3 离职，{role_change} 于 {role_quarter} 换岗，"
        "{manager_change} 于 {manager_quarter} 换直属上级，{missing} 的 {missing_quarter} 工作簿一直未交回）",
        "Year {year}: four quarters ({hire} joins in Q2, E1013 leaves in Q3, {role_change} changes role in "
        "{role_quarter}, {manager_change} changes manager in {manager_quarter}, {missing}'s {missing_quarter} "
        "workbook never returned)",
    ),
    "demo.year_written": (
        "年度：{out}（财务 CSV：{csv}，核对：{control}）",
        "Year: {out}  (finance CSV: {csv}, control: {control})",
    ),
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
    # the manifest (kpibook/manifest.py)
    "manifest.not_found": (
        "找不到该文件；请给出 generate 写出的 manifest.csv",
        "not found; give the manifest.csv that generate wrote",
    ),
    "manifest.unreadable": ("无法读取（{reason}）；请检查路径", "cannot be read ({reason}); check the path"),
    "manifest.not_utf8": (
        "不是 UTF-8 编码；请使用 generate 写出的 manifest.csv",
        "is not UTF-8; use the manifest.csv that generate wrote",
    ),
    "manifest.empty": (
        "是空的；请使用 generate 写出的 manifest.csv",
        "is empty; use the manifest.csv that generate wrote",
    ),
    "manifest.columns_missing": (
        "缺少列 {columns}；请使用 generate 写出的 manifest.csv",
        "column(s) {columns} missing; use the manifest.csv that generate wrote",
    ),
    "manifest.row": ("{path} 第 {row} 行", "{path} row {row}"),
    "manifest.column": ("{where}，{column} 列", "{where}, column {column}"),
    "manifest.duplicate": ("{id} 也在第 {row} 行；只保留一行", "{id} is also on row {row}; keep one row"),
    "manifest.problems": ("{path}：清单中有 {count} 个问题", "{path}: {count} problem(s) in the manifest"),
    "manifest.no_id": ("是空的；每一行都需要员工编号", "is empty; every row needs an id"),
    "cycle.too_many_superseded": (
        "{file} 的旧版本太多，已无法再移入此文件夹；请把其中不再需要的旧版本移走后重试",
        "too many superseded copies of {file}; move the old ones you no longer need out of this folder and run again",
    ),
    "manifest.bad_issue": ("{value} 不是发放序号（1、2……）", "{value} is not an issue number (1, 2, ...)"),
    "manifest.bad_state": ("{value} 不是 {states} 之一", "{value} is not one of {states}"),
}
