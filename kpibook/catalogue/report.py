"""The department report page.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
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
    "report.kpi_unsigned": (
        "此汇总是旧格式（格式 1），其 KPI 表没有签名，无法核实，因此不显示各 KPI 的得分分布；"
        "请用当前版本重新运行 kpibook consolidate。",
        "This summary is of format 1, whose KPIs sheet is not signed and cannot be verified, so each KPI's "
        "spread is not shown; run kpibook consolidate again with this version to see it.",
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
}
