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
}
