"""Other spreadsheet programs: saves by LibreOffice, Gnumeric, ExcelJS, SheetJS, WPS.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
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
    "interop.unknown_program": ("保存此文件的程序", "the program that saved it"),
    # kpibook xl setup (kpibook/xl/setup.py)
    "xl.unreadable": (
        "无法作为 Excel 工作簿读取（{reason}）；请给出 .xlsx 或 .xlsm 文件",
        "cannot be read as an Excel workbook ({reason}); give an .xlsx or .xlsm file",
    ),
    "xl.scorecard": (
        "是员工的 kpibook 考核表；添加工作表会改变它（审计会标出）。请在新工作簿或部门汇总上运行 setup，"
        "并把考核表所在文件夹填入 kpibook_input",
        "is an employee's kpibook scorecard; adding sheets would alter it (the audit would flag it). Run setup "
        "on a new workbook or on the department summary, and put the scorecards' folder into kpibook_input",
    ),
    "xl.suffix": (
        "必须是 .xlsx 或 .xlsm 工作簿（VBA 按钮需要 .xlsm）",
        "must be an .xlsx or .xlsm workbook (.xlsm for VBA buttons)",
    ),
    "xl.not_a_file": ("不是文件；请给出 Excel 工作簿", "is not a file; give an Excel workbook"),
    "xl.in_place": (
        "就是该工作簿本身；setup 从不原地修改工作簿：请用 --out 指定另一个文件",
        "is the workbook itself; setup never changes a workbook in place: give another file with --out",
    ),
    "xl.exists": (
        "已存在；请用 --out 指定另一个文件，或用 --force 替换",
        "exists; give another file with --out, or --force to replace it",
    ),
    "xl.cannot_write": (
        "无法写入（{reason}）；请检查文件夹，并确认文件没有在 Excel 中打开",
        "cannot be written ({reason}); check the folder and that the file is not open in Excel",
    ),
}
