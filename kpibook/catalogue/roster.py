"""The roster: how it was read and every mistake in it, at the row Excel shows.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
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
}
