"""Reading a summary back (calibrate, annual, report): why one is refused.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
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
    "summary_read.kpis_edited": (
        "KPI 表在 consolidate 写出后被修改过（现有 {rows} 行，签名时 {signed} 行）；不要手工修改汇总，"
        "请改正工作簿后重新运行 kpibook consolidate",
        "the KPIs rows were changed after consolidate wrote this summary ({rows} rows now, {signed} when "
        "signed); do not edit the summary: correct the workbooks and run kpibook consolidate again",
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
}
