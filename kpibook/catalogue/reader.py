"""Reading a returned workbook: why a file is refused (kpibook.xlsx_package, kpibook.read).

Each refusal says what is wrong and what the sender should do; it reaches managers and HR in
consolidate's Issues rows and in `kpibook audit`. Entries are `code: (zh, en)`; see
kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
    # the raw bytes, before any parser
    "reader.not_regular_file": (
        "不是普通文件（而是文件夹、管道或设备），不是工作簿",
        "is not a regular file (a folder, pipe or device), not a workbook",
    ),
    "reader.cannot_open": (
        "无法打开（{reason}）；请在 Excel 中关闭该文件，或检查它的访问权限",
        "cannot be opened ({reason}); close it in Excel or check its permissions",
    ),
    "reader.empty": (
        "文件为空（0 字节）：可能没有保存成功或没有完整复制；请重新发送",
        "the file is empty (0 bytes): it was not saved or not copied completely; send it again",
    ),
    "reader.too_large": (
        "文件超过 {limit:,} 字节（一份考核表约 100 KB）：请发回当初发给您的工作簿",
        "the file is larger than {limit:,} bytes (a scorecard is about 100 KB): send back the workbook "
        "that was sent to you",
    ),
    "reader.password_protected": (
        "工作簿设置了打开密码（已加密）：请打开它并取消密码（文件 > 信息 > 保护工作簿 > 用密码进行加密，"
        "清空密码），保存后重新发送",
        "the workbook is password-protected (encrypted): open it, remove the password (File > Info > "
        "Protect Workbook > Encrypt with Password, clear it), save and send it again",
    ),
    "reader.legacy_xls": (
        "这是旧版 Excel 97-2003 文件（.xls），不是 .xlsx：请打开它并另存为“Excel 工作簿 (.xlsx)”，"
        "或直接填写当初发给您的 .xlsx 文件",
        "this is a legacy Excel 97-2003 file (.xls), not .xlsx: open it and save as Excel Workbook "
        "(.xlsx), or fill in the .xlsx that was sent to you",
    ),
    "reader.text_file": (
        "这是改名为 .xlsx 的文本/CSV（或 HTML）文件，不是 Excel 工作簿：请填写当初发给您的 .xlsx 文件，并发回该文件",
        "this is a text/CSV (or HTML) file renamed .xlsx, not an Excel workbook: fill in the .xlsx that "
        "was sent to you and send that file back",
    ),
    "reader.not_xlsx": (
        "这不是 Excel 工作簿（.xlsx）：请发回当初发给您的 .xlsx 文件",
        "this is not an Excel workbook (.xlsx): send back the .xlsx that was sent to you",
    ),
    # the zip directory
    "reader.truncated": (
        "文件已损坏或不完整（缺少 zip 目录）：很可能没有完整复制或下载；请重新发送",
        "the file is damaged or incomplete (its zip directory is missing): it was probably not copied or "
        "downloaded completely; send it again",
    ),
    "reader.too_many_parts": (
        "文件包含 {count} 个部件（正常的工作簿只有几十个）：已拒收",
        "the file holds {count} parts (a workbook has a few dozen): refused",
    ),
    "reader.duplicate_part": (
        "文件中有两个名为 {name!r} 的部件：文件已损坏或被篡改；请发回由电子表格软件直接保存的工作簿",
        "the file holds two parts named {name!r}: it is damaged or forged; send back the workbook as "
        "your spreadsheet saved it",
    ),
    "reader.encrypted_parts": (
        "工作簿的部件已加密：请取消密码后重新发送",
        "the workbook's parts are encrypted: remove the password and send it again",
    ),
    "reader.zip_bomb_ratio": (
        "部件 {name} 解压后膨胀到 {ratio} 倍（压缩炸弹）：已拒收",
        "part {name} expands {ratio}x (a zip bomb): refused",
    ),
    "reader.zip_bomb_size": (
        "工作簿解压后达 {total:,} 字节（上限 {limit:,}）：已拒收",
        "the workbook expands to {total:,} bytes (limit {limit:,}): refused",
    ),
    "reader.ods": (
        "这是 OpenDocument 电子表格（.ods），不是 .xlsx：请另存为“Excel 2007-365 (.xlsx)”后重新发送",
        "this is an OpenDocument spreadsheet (.ods), not .xlsx: save it as Excel 2007-365 (.xlsx) and send it again",
    ),
    "reader.no_workbook_part": (
        "该文件是 zip 压缩包，但不是 Excel 工作簿（没有工作簿部件）：请发回当初发给您的 .xlsx 文件",
        "the file is a zip but not an Excel workbook (no workbook part): send back the .xlsx that was sent to you",
    ),
    # the XML parts
    "reader.part_damaged": (
        "部件 {name} 无法解压（{exc}）：文件已损坏；请重新发送",
        "part {name} cannot be unpacked ({exc}): the file is damaged; send it again",
    ),
    "reader.unusual_encoding": (
        "部件 {name} 使用了不常见的文本编码：请用 Excel 打开工作簿，保存后重新发送",
        "part {name} is in an unusual text encoding: open the workbook in Excel, save it and send it again",
    ),
    "reader.unreadable_xml": (
        "部件 {name} 不是可读的 XML：文件已损坏",
        "part {name} is not readable XML: the file is damaged",
    ),
    "reader.declared_encoding": (
        "部件 {name} 声明的文本编码是 {encoding}，电子表格软件不会这样保存：请用 Excel 打开工作簿，保存后重新发送",
        "part {name} declares the text encoding {encoding}, which no spreadsheet writes: open the "
        "workbook in Excel, save it and send it again",
    ),
    "reader.xml_entities": (
        "部件 {name} 声明了 DTD 或 XML 实体（常被用于实体扩展攻击，电子表格软件不会写入）：已拒收",
        "part {name} declares a DTD or XML entities (used for entity-expansion attacks; no spreadsheet "
        "writes them): refused",
    ),
    "reader.malformed_xml": (
        "部件 {name} 不是格式正确的 XML（{exc}）：文件已损坏；请用 Excel 打开它，保存后重新发送",
        "part {name} is not well-formed XML ({exc}): the file is damaged; open it in Excel, save it and send it again",
    ),
    # the sheets
    "reader.sheet_range": (
        "工作表部件 {name} 声明的区域是 {ref}（远大于一份考核表）：已拒收；请填写当初发给您的工作簿",
        "sheet part {name} claims the range {ref} (far larger than a scorecard): refused; fill in the "
        "workbook that was sent to you",
    ),
    "reader.too_many_cells": (
        "工作表部件 {name} 含有 {count:,} 个单元格（上限 {limit:,}）：已拒收",
        "sheet part {name} holds {count:,} cells (limit {limit:,}): refused",
    ),
    "reader.sheet_part_missing": (
        "工作表 {sheet!r} 没有内容部件（{part}）：文件已损坏；请重新发送",
        "sheet {sheet!r} has no content part ({part}): the file is damaged; send it again",
    ),
    "reader.not_kpibook": (
        "这不是 kpibook 工作簿（没有 _kpibook 元数据，也没有它的命名单元格）：请填写 kpibook 为此人生成的工作簿并发回",
        "this is not a kpibook workbook (no _kpibook metadata and none of its named cells): fill in the "
        "workbook that kpibook generated for this person and send that back",
    ),
}
