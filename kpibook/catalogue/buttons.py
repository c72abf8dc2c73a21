"""The Excel buttons (Recompute, Consolidate, Audit, Calibrate; kpibook/xl/scripts.py): what each
writes into the kpibook_status cell, and the words of the tables it writes.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used. The buttons keep
their English names in Excel, so the Chinese texts name them as "重算（Recompute）" and so on."""

MESSAGES: dict[str, tuple[str, str]] = {
    "button.where_input": (
        "“{sheet}”工作表的 {cell} 单元格（名称 {name}）",
        "the named cell {name} (sheet {sheet}, cell {cell})",
    ),
    "button.no_such_path": (
        "{path}：找不到这个文件或文件夹；请把一个退回的工作簿或存放它们的文件夹的路径填入{where}",
        "{path}: no such file or folder; put the path of a returned workbook or of a folder of them into {where}",
    ),
    "button.unreadable_workbook": (
        "{path}：无法作为 Excel 工作簿读取（{reason}）；请确认它是 .xlsx 文件，必要时在 Excel 中重新保存",
        "{path}: cannot be read as an Excel workbook ({reason}); check that it is an .xlsx file, or save it "
        "again from Excel",
    ),
    "button.not_a_scorecard": (
        "{path}：没有“{sheet}”工作表，不是 kpibook 考核表；请只放入由 kpibook 生成并退回的工作簿",
        "{path}: has no sheet '{sheet}'; it is not a kpibook scorecard: put in only workbooks kpibook generated",
    ),
    "button.unexpected": (
        "kpibook 内部出错（{kind}：{detail}）；这不是您的操作问题，请把这条消息发给 kpibook 的维护人员",
        "unexpected {kind}: {detail} - please report this",
    ),
    "button.nothing_to_recompute": (
        "没有可重算的内容：请把一个退回的工作簿或存放它们的文件夹填入{where}，"
        "或在含有“{sheet}”工作表的工作簿中点“重算（Recompute）”",
        "nothing to recompute: put a returned workbook or a folder of them into {where}, or run Recompute in "
        "a workbook that has a '{sheet}' sheet",
    ),
    "button.recompute_done": (
        "重算（Recompute）：已重算 {checked} 份考核表，其中 {differing} 份 Excel 与 Python 的结果不一致"
        "{unreadable}；详见工作表“{sheet}”",
        "Recompute: {checked} scorecard(s) recomputed, {differing} with differences between Excel and Python"
        "{unreadable}; see sheet '{sheet}'",
    ),
    "button.recompute_unreadable": ("，{count} 份无法读取", ", {count} not readable"),
    "button.agrees": ("一致", "yes"),
    "button.differs": ("不一致", "NO"),
    "button.no_folder": (
        "没有指定文件夹：请把存放退回工作簿的文件夹填入{where}",
        "no folder given: put the folder of returned workbooks into {where}",
    ),
    "button.not_a_folder": (
        "{path}：不是文件夹；请把存放退回工作簿的文件夹填入{where}",
        "{path}: not a folder; put the folder of returned workbooks into {where}",
    ),
    "button.no_consolidate": (
        "此版本的 kpibook 没有汇总功能（kpibook.consolidate）；请更新 kpibook",
        "this kpibook has no consolidation (kpibook.consolidate); update kpibook",
    ),
    "button.consolidate_done": (
        "汇总（Consolidate）：{employees} 名员工，{issues} 个问题；汇总表已写入 {out}；"
        "详见工作表“{summary_sheet}”和“{issues_sheet}”",
        "Consolidate: {employees} employee(s), {issues} issue(s); summary written to {out}; see sheets "
        "'{summary_sheet}' and '{issues_sheet}'",
    ),
    "button.nothing_to_audit": (
        "没有可审计的内容：请先保存本工作簿，或把一个退回的工作簿或存放它们的文件夹填入{where}",
        "nothing to audit: save this workbook first, or put a returned workbook or a folder of them into {where}",
    ),
    "button.no_audit": (
        "此版本的 kpibook 没有审计功能（kpibook.audit）；请更新 kpibook",
        "this kpibook has no audit (kpibook.audit); update kpibook",
    ),
    "button.no_findings": ("没有发现问题", "no findings"),
    "button.audit_done": (
        "审计（Audit）：已检查 {count} 个工作簿，其中 {flagged} 个有发现；详见工作表“{sheet}”",
        "Audit: {count} workbook(s) checked, {flagged} with findings; see sheet '{sheet}'",
    ),
    "button.no_summary": (
        "没有指定汇总表：请把“汇总（Consolidate）”写出的 summary.xlsx 填入{where}",
        "no summary given: put the summary.xlsx that Consolidate wrote into {where}",
    ),
    "button.calibrate_done": (
        "校准（Calibrate）：{count} 名员工需要校准；校准工作簿已写入 {out}。请在校准会上打开它，"
        "会后运行 kpibook consolidate 并加上 --calibration",
        "Calibrate: {count} employee(s) to calibrate; workbook written to {out}; open it for the meeting, then "
        "run kpibook consolidate with --calibration",
    ),
}
