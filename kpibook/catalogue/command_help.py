"""What `kpibook --help` says: every command's and option's help text, as kpibook/cli.py
builds its parser in the run's language (argparse's own words are in kpibook/catalogue/usage.py).

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
    "help.status": (
        "按直属上级对照台账查看谁还欠交什么；提醒邮件",
        "who still owes what, per manager, against the ledger; reminder e-mails",
    ),
    "help.status_description": (
        "按直属上级对照清单统计进度（已发、已交回、正常、未完成、退回、未交）。所有已发的工作簿都交"
        "回且正常时退出码为 0，否则为 1。",
        "Progress per manager (issued, returned, ok, incomplete, rejected, missing) against the "
        "manifest. Exit 0 when every issued workbook is back and ok, else 1.",
    ),
    "help.returned_inputs": (
        "交回的 .xlsx 文件或文件夹",
        "returned .xlsx files or folders",
    ),
    "help.status_manifest": (
        "generate 写出的台账",
        "the ledger generate wrote",
    ),
    "help.spec": (
        "roles.toml（默认 ./roles.toml，否则用内置的）",
        "roles.toml (default ./roles.toml, else bundled)",
    ),
    "help.reminders": (
        "为每位直属上级在 DIR 中写一封提醒 .eml",
        "write one reminder .eml per manager into DIR",
    ),
    "help.smtp": (
        "通过此 SMTP 服务器发送提醒",
        "send the reminders through this SMTP server",
    ),
    "help.from": (
        "提醒邮件的发件人（使用 --smtp 时必需）",
        "the reminders' sender (needed with --smtp)",
    ),
    "help.status_signoff": (
        "没有签字确认的工作簿算作未完成",
        "count a workbook without sign-off as incomplete",
    ),
    "help.report": (
        "根据部门汇总写出部门报告页面（HTML）",
        "write the department report page (HTML) from a summary",
    ),
    "help.report_summary": (
        "kpibook consolidate 写出的部门汇总",
        "summary written by kpibook consolidate",
    ),
    "help.report_out": (
        "要写出的页面",
        "the page to write",
    ),
    "help.report_spec": (
        "提供岗位和维度名称的 roles.toml（默认 ./roles.toml，否则用内置的）",
        "roles.toml for role and dimension names (default ./roles.toml, else bundled)",
    ),
    "help.calibrate": (
        "根据部门汇总写出校准工作簿",
        "write the calibration workbook from a department summary",
    ),
    "help.calibrate_summary": (
        "consolidate 写出的 summary.xlsx",
        "summary.xlsx written by consolidate",
    ),
    "help.calibrate_out": (
        "要写出的工作簿",
        "the workbook to write",
    ),
    "help.calibrate_spec": (
        "生成该汇总时所用的 roles.toml（默认 ./roles.toml）",
        "roles.toml the summary was made with (default ./roles.toml)",
    ),
    "help.hr_key": (
        "HR 的密钥（默认：KPIBOOK_KEY_FILE / KPIBOOK_KEY）",
        "HR's key (default: KPIBOOK_KEY_FILE / KPIBOOK_KEY)",
    ),
    "help.description": (
        "由一份岗位规格（roles.toml）生成 KPI 考核工作簿。",
        "KPI scorecard workbooks from one role spec (roles.toml).",
    ),
    "help.epilog": (
        "退出码：0 完成；1 完成，但发现并报告了问题；2 无法运行。",
        "Exit status: 0 done; 1 done, problems found and reported; 2 could not run.",
    ),
    "help.spec_command": (
        "处理岗位规格",
        "work with the role spec",
    ),
    "help.spec_check": (
        "校验岗位规格，并列出其岗位、维度、KPI 和权重",
        "validate a role spec and list its roles, dimensions, KPIs and weights",
    ),
    "help.spec_check_description": (
        "校验岗位规格（默认 ./roles.toml，否则用内置的）并列出其内容。",
        "Validate a role spec (default ./roles.toml, else the bundled one) and list it.",
    ),
    "help.spec_path": (
        "roles.toml 的路径",
        "path of roles.toml",
    ),
    "help.generate": (
        "为花名册中的每位员工写出一份空白工作簿",
        "write one blank workbook per employee of a roster",
    ),
    "help.roster": (
        "花名册（.csv 或 .xlsx）",
        "roster .csv or .xlsx",
    ),
    "help.sheet": (
        ".xlsx 花名册的工作表（默认：第一个有表头的）",
        "the .xlsx roster's sheet (default: the first with a header)",
    ),
    "help.period": (
        "2026Q4、2026H2、2026 或 2026-11",
        "2026Q4, 2026H2, 2026 or 2026-11",
    ),
    "help.generate_out": (
        "输出文件夹",
        "output folder",
    ),
    "help.force": (
        "即使没有变化也重新发放所有工作簿（已填内容会带过去；旧文件移到一旁）",
        "reissue every workbook even if nothing changed (entries are carried over; old files moved aside)",
    ),
    "help.dry_run": (
        "只列出将会变化的内容，不写任何文件",
        "print what would change, write nothing",
    ),
    "help.password": (
        "可选：工作表和结构保护的密码",
        "optional password for sheet and structure protection",
    ),
    "help.consolidate": (
        "读取填好的工作簿并写出部门汇总",
        "read filled workbooks and write the department summary",
    ),
    "help.inputs": (
        ".xlsx 文件或文件夹",
        ".xlsx files or folders",
    ),
    "help.consolidate_out": (
        "要写出的汇总（以 .xlsx 结尾的文件名）",
        "the summary to write (a name ending in .xlsx)",
    ),
    "help.manifest": (
        "generate 写出的 manifest.csv",
        "manifest.csv written by generate",
    ),
    "help.csv": (
        "同时把员工表的行写成 CSV",
        "also write the Employees rows as CSV",
    ),
    "help.consolidate_period": (
        "拒收其他考核期的工作簿（默认：清单中的考核期，否则为多数工作簿的考核期）",
        "reject workbooks of any other period (default: the manifest's, else the one most workbooks are for)",
    ),
    "help.require_signoff": (
        "缺少员工或直属上级签字确认（姓名和日期）的工作簿算作未完成",
        "a workbook without both the employee's and the manager's sign-off (name and date) is incomplete",
    ),
    "help.html": (
        "同时写出部门报告页面",
        "also write the department report page",
    ),
    "help.calibration": (
        "应用校准工作簿中的决定",
        "apply the calibration workbook's decisions",
    ),
    "help.audit": (
        "检查工作簿的公式、锁定、数据验证和元数据",
        "check workbooks' formulas, locks, validation and metadata",
    ),
    "help.json": (
        "以 JSON 输出审计结果",
        "print the findings as JSON",
    ),
    "help.explain": (
        "输出 ROLE 或所有岗位的公式手册（每个不同的公式，用文字说明）",
        "print the formula book (every distinct formula, in words) of ROLE or of every role",
    ),
    "help.audit_out": (
        "把完整报告（文本，或配合 --json 为 JSON）写入 FILE 而不是标准输出；配合 --explain：公式手册写成 .xlsx",
        "write the whole report (text, or JSON with --json) to FILE instead of stdout; with --explain: "
        "the formula book as .xlsx",
    ),
    "help.annual": (
        "把各季度的汇总合成年度结果及其奖金",
        "roll the quarters' summaries up into the year and its payout",
    ),
    "help.annual_summaries": (
        "各季度的 summary.xlsx",
        "the quarters' summary.xlsx",
    ),
    "help.annual_out": (
        "要写出的年度工作簿",
        "the year workbook to write",
    ),
    "help.annual_csv": (
        "给财务的 CSV（以及旁边的 FILE 的 .control.csv）",
        "finance's CSV (and FILE's .control.csv beside it)",
    ),
    "help.annual_roster": (
        "含 bonus_base、hired、left 列的花名册",
        "roster with bonus_base, hired, left columns",
    ),
    "help.annual_spec": (
        "含 [year] 表的 roles.toml（默认 ./roles.toml，否则用内置的）",
        "roles.toml with a [year] table (default ./roles.toml, else bundled)",
    ),
    "help.demo": (
        "用内置规格和示例花名册跑一遍完整流程",
        "run the whole cycle on the bundled spec and sample roster",
    ),
    "help.demo_out": (
        "默认：demo-out",
        "default: demo-out",
    ),
    "help.demo_year": (
        "同时跑 2026 年的四个季度并写出年度结果（DIR/year）",
        "also run four quarters of 2026 and write the year (DIR/year)",
    ),
    "help.xl": (
        "在 Excel 中使用 kpibook：工作表函数和按钮（xlwings）",
        "kpibook in Excel: worksheet functions and buttons (xlwings)",
    ),
    "help.xl_setup": (
        "写出为 xlwings 加载项设置好的 WORKBOOK 副本（或新工作簿）",
        "write a copy of WORKBOOK (or a new one) set up for the xlwings add-in",
    ),
    "help.xl_setup_description": (
        "写出 WORKBOOK 的副本（默认是旁边的 "
        "<name>_kpibook.xlsm），或新的 WORKBOOK，其中有 "
        "'xlwings.conf' 工作表（UDF Modules = "
        "kpibook.xl.udfs;kpibook.xl.classic）和放按钮的 "
        "'kpibook' 工作表。给出的工作簿本身从不改动。",
        "Write WORKBOOK's copy (default <name>_kpibook.xlsm beside it), or a new WORKBOOK, with an "
        "'xlwings.conf' sheet (UDF Modules = kpibook.xl.udfs;kpibook.xl.classic) and a 'kpibook' sheet "
        "for the buttons. The workbook given is never changed.",
    ),
    "help.xl_workbook": (
        ".xlsx 或 .xlsm（不存在时新建）",
        ".xlsx or .xlsm (created when missing)",
    ),
    "help.xl_out": (
        "副本写到哪里",
        "where to write the copy",
    ),
    "help.xl_input": (
        "预填 kpibook_input：交回的工作簿或文件夹",
        "prefill kpibook_input: a returned workbook or folder",
    ),
    "help.xl_spec": (
        "预填 kpibook_spec：要使用的 roles.toml",
        "prefill kpibook_spec: the roles.toml to use",
    ),
    "help.xl_interpreter": (
        "装有 kpibook 的 python（默认：Windows/macOS 上为当前这个）",
        "the python with kpibook (default: this one on Windows/macOS)",
    ),
    "help.xl_force": (
        "输出文件已存在时替换它",
        "replace the output file if it exists",
    ),
    "help.xl_lite": (
        "输出供 xlwings Lite 使用的 main.py 和 requirements.txt",
        "print main.py and requirements.txt for xlwings Lite",
    ),
    "help.xl_lite_out": (
        "改为把这两个文件写入 DIR",
        "write the two files into DIR instead",
    ),
    "help.xl_wheel": (
        "xlwings Lite 下载 kpibook wheel 的地址",
        "where xlwings Lite downloads kpibook's wheel",
    ),
    "help.xl_lite_force": (
        "替换 DIR 中的文件",
        "replace files in DIR",
    ),
    "help.xl_functions": (
        "列出 KPIBOOK_* 工作表函数",
        "list the KPIBOOK_* worksheet functions",
    ),
    "help.xl_vba": (
        "输出 Recompute、Consolidate 和 Audit 按钮的 VBA 宏",
        "print the VBA macros for the Recompute, Consolidate and Audit buttons",
    ),
    "help.key_rule": (
        "密钥：--key-file FILE（取文件的字节），否则 KPIBOOK_KEY_FILE，否则 KPIBOOK_KEY（文本，按 UTF-8）；"
        "首尾空白和换行忽略；至少 16 字节。没有密钥时使用公开的演示密钥。",
        "The key: --key-file FILE (the file's bytes), else KPIBOOK_KEY_FILE, else KPIBOOK_KEY (text, "
        "as UTF-8); surrounding whitespace and line ends are ignored; at least 16 bytes. Without one, "
        "the public demo key is used.",
    ),
    "help.key_file": ("HR 的指纹密钥文件。{rule}", "HR's fingerprint key file. {rule}"),
    "help.report_key": ("签署该汇总时所用的 HR 密钥。{rule}", "HR's key the summary was signed with. {rule}"),
}
