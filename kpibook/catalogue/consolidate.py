"""Consolidate and the summary: Issues rows, column labels, the folder scan, the workbook's prompts.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
    "summary.column.employee_id": ("工号", "employee ID"),
    "summary.column.employee_name": ("姓名", "name"),
    "summary.column.role_id": ("岗位", "role"),
    "summary.column.department": ("部门", "department"),
    "summary.column.manager": ("直属上级", "manager"),
    "summary.column.period": ("考核期间", "period"),
    "summary.column.status": ("状态", "status"),
    "summary.column.total_score": ("总分", "total score"),
    "summary.column.grade": ("等级", "grade"),
    "summary.column.file": ("文件", "file"),
    "summary.column.dimension": ("维度：{name}", "dimension: {name}"),
    "summary.column.signoff.employee": ("员工签名", "employee sign-off"),
    "summary.column.signoff.employee_date": ("员工签名日期", "employee sign-off date"),
    "summary.column.signoff.manager": ("上级签名", "manager sign-off"),
    "summary.column.signoff.manager_date": ("上级签名日期", "manager sign-off date"),
    "summary.column.overall_comment": ("综合评语", "overall comment"),
    "summary.column.calibrated_grade": ("校准等级", "calibrated grade"),
    "summary.column.final_grade": ("最终等级", "final grade"),
    "summary.column.calibration_reason": ("校准理由", "calibration reason"),
    "consolidate.output_is_manifest": (
        "是清单文件，会被覆盖；请另选输出文件",
        "is the manifest; it would be overwritten. Choose another output",
    ),
    "consolidate.no_workbooks": (
        "里面没有 .xlsx 工作簿；请给出收回的工作簿所在的文件夹",
        "holds no .xlsx workbook; give the folder the returned workbooks are in",
    ),
    "consolidate.unreadable.timeout": (
        "读取时{detail}，已停止；文件可能已损坏或被做成拖住读取程序。请索取新的副本（用 Excel 打开后另存为 .xlsx）。",
        "reading it {detail}, so it was stopped; the file is probably damaged or built to stall readers. "
        "Ask for a fresh copy (open it in Excel and Save As .xlsx).",
    ),
    "consolidate.unreadable.memory": (
        "读取它所需的内存超过任何 kpibook 工作簿，已停止；文件已损坏或有恶意。请索取新的副本。{detail}",
        "reading it needed more memory than any kpibook workbook does, so it was stopped; the file is damaged "
        "or hostile. Ask for a fresh copy. {detail}",
    ),
    "consolidate.unreadable.crash": (
        "读取时{detail}；文件已损坏。请索取新的副本。",
        "{detail} while reading it; the file is damaged. Ask for a fresh copy.",
    ),
    "consolidate.unreadable.other": (
        "无法读取（{detail}）；请索取新的副本，并把此情况报告给 kpibook 团队。",
        "could not be read ({detail}); ask for a fresh copy and report this to the kpibook team.",
    ),
    "consolidate.not_kpibook": (
        "不是本规格能计分的 kpibook 工作簿（_kpibook 元数据中没有员工或岗位）；请交回 kpibook 生成的工作簿。",
        "is not a kpibook workbook this spec can score (no employee or role in its _kpibook metadata); "
        "send back the workbook kpibook generated.",
    ),
    "consolidate.total.error": (
        "无法计算总分（{total}）；请与 HR 核对此工作簿的目标。",
        "the total cannot be computed ({total}); check the targets of this workbook with HR.",
    ),
    "consolidate.actual.blank": (
        "{kpi}：实际值为空；请填写后交回工作簿。",
        "{kpi}: the actual is blank; enter it and send the workbook back.",
    ),
    "consolidate.actual.blank_na": (
        "{kpi}：实际值为空；请填写（或填 N/A）后交回工作簿。",
        "{kpi}: the actual is blank; enter it (or N/A) and send the workbook back.",
    ),
    "consolidate.actual.error": (
        "{kpi}：是错误值 {value}；请直接输入数字。",
        "{kpi}: holds the error value {value}; type the figure itself (a number).",
    ),
    "consolidate.actual.na_not_allowed": (
        "{kpi}：此 KPI 不允许填 N/A；请输入数字。",
        "{kpi}: N/A is not allowed for this KPI; enter a number.",
    ),
    "consolidate.actual.text": (
        "{kpi}：“{value}”是文字，不是数字；请以数字输入（不带单位或空格）。",
        "{kpi}: '{value}' is text, not a number; enter the figure as a number (no units or spaces).",
    ),
    "consolidate.actual.bounds": (
        "{value} 超出允许范围 {min} 至 {max}；请核对数字。",
        "{value} is outside the allowed range {min} to {max}; check the figure.",
    ),
    "consolidate.actual.percent_hint": (
        "{value} 超出允许范围 {min} 至 {max}；您是指 {value}% 吗？请输入 {value}%（或 {fraction}）。",
        "{value} is outside the allowed range {min} to {max}; did you mean {value}%? Enter {value}% (or {fraction}).",
    ),
    "consolidate.actual.whole": (
        "{value} 不是整数；请输入整数。",
        "{value} is not a whole number; enter a whole number.",
    ),
    "consolidate.the_manager": ("直属上级", "the manager"),
    "consolidate.missing": (
        "{id} {name}（{role}，直属上级 {manager}）的工作簿没有交回；应为 {expected}。请让 {manager} 交回。",
        "no workbook came back for {id} {name} ({role}, manager {manager}); expected {expected}. Ask {manager} to send it.",
    ),
    "consolidate.not_in_manifest": (
        "{id} {name} 不在清单中；此工作簿列为额外一行。请确认它属于本部门和本期。",
        "{id} {name} is not in the manifest; the workbook is listed as an extra row. "
        "Check that it belongs to this department and period.",
    ),
    "consolidate.duplicate.copy": (
        "与 {original} 完全相同；只计一次。请删除多余的副本。",
        "is an identical copy of {original}; counted once. Remove the extra copy.",
    ),
    "consolidate.duplicate": (
        "{id} 交回了 {count} 个不同的工作簿（{files}）；kpibook 不替您挑选。请在文件夹中只保留正确的一个，再运行 consolidate。",
        "{id} was returned in {count} different workbooks ({files}); kpibook does not pick one. "
        "Keep only the right workbook in the folder and run consolidate again.",
    ),
    "consolidate.source.option": ("--period 参数", "--period"),
    "consolidate.source.manifest": ("清单", "the manifest"),
    "consolidate.source.majority": ("多数交回的工作簿", "most of the returned workbooks"),
    "consolidate.none": ("（无）", "(none)"),
    "consolidate.period.ambiguous": (
        "交回的工作簿属于不同期间（{found}），没有哪个占多数；请加 --manifest 或 --period 重新运行 consolidate，说明本汇总是哪一期。",
        "the workbooks returned are for different periods ({found}) and none is the majority; run consolidate "
        "again with --manifest or --period to say which period this summary is for.",
    ),
    "consolidate.period": (
        "属于期间 {found}，但本汇总是 {expected}（依据：{source}）；请交回为 {expected} 生成的工作簿。",
        "is for period {found}, but this summary is for {expected} (from {source}); "
        "send the workbook generated for {expected}.",
    ),
    "consolidate.role_mismatch": (
        "是为岗位 {found} 生成的，但清单中 {id} 的岗位是 {role}；请交回用此清单生成的工作簿。",
        "was generated for role {found}, but the manifest lists {id} as {role}; "
        "send the workbook generated with this manifest.",
    ),
    "consolidate.status_read": (
        "读取 {files} 个工作簿文件，用时 {seconds} 秒；期间 {period}",
        "{files} workbook file(s) read in {seconds} s; period {period}",
    ),
    "consolidate.period_not_decided": ("（未确定）", "(not decided)"),
    "consolidate.status_employees": ("员工：{count} 人（{counts}）", "employees: {count} ({counts})"),
    "consolidate.status_totals": (
        "正常员工的总分：平均 {mean}，最低 {min}，最高 {max}",
        "total score of ok employees: mean {mean}, min {min}, max {max}",
    ),
    "consolidate.status_issues": (
        "问题：{errors} 个错误，{warnings} 个警告：见 Issues 表",
        "issues: {errors} error(s), {warnings} warning(s): see the Issues sheet",
    ),
    "consolidate.status_no_issues": ("问题：无", "issues: none"),
    "discover.no_such_input": (
        "没有这个文件或文件夹；请给出收回的工作簿所在文件夹或一个 .xlsx 文件",
        "no such file or folder; give a folder of returned workbooks or an .xlsx file",
    ),
    "discover.folder_unreadable": (
        "文件夹无法读取（{reason}）；其中的工作簿未被读取。请检查权限。",
        "folder cannot be read ({reason}); its workbooks were not read. Check its permissions.",
    ),
    "discover.link_folder_outside": (
        "是指向 {root} 之外文件夹的链接（{target}）；未跟随。请把工作簿本身复制到文件夹中。",
        "is a link to a folder outside {root} ({target}); it was not followed. Copy the workbooks themselves into the folder.",
    ),
    "discover.link_file_outside": (
        "是指向 {root} 之外文件的链接（{target}）；未读取。请把工作簿本身复制到文件夹中。",
        "is a link to a file outside {root} ({target}); it was not read. Copy the workbook itself into the folder.",
    ),
    "discover.lock_file": (
        "Office 锁定文件（复制时有人正在 Excel 中打开该工作簿）；已跳过。",
        "an Office lock file (someone had the workbook open in Excel when it was copied); skipped.",
    ),
    "discover.hidden_file": (
        "隐藏文件（如 macOS 的“._”元数据）；已跳过。",
        "a hidden file (e.g. macOS '._' metadata); skipped.",
    ),
    "discover.not_xlsx": (
        "是 {suffix} 文件，不是 .xlsx：未读取。请交回 kpibook 的 .xlsx 工作簿本身（Excel：文件 > 另存为 > Excel 工作簿）。",
        "is a {suffix} file, not .xlsx: it was not read. Send back the kpibook .xlsx workbook itself "
        "(in Excel: File > Save As > Excel Workbook).",
    ),
    "discover.file_unreadable": ("无法读取（{reason}）；请检查文件。", "cannot be read ({reason}); check the file."),
    "discover.not_regular_file": (
        "不是普通文件（名为 .xlsx 的管道、设备或套接字）；未读取。",
        "is not a regular file (a pipe, device or socket named .xlsx); it was not read.",
    ),
    "cycle.action.new": ("新建 {id} {name}: {file}（第 {issue} 版）", "new       {id} {name}: {file} (issue {issue})"),
    "cycle.action.reissue": (
        "重发 {id} {name}: {file}（第 {issue} 版，空白）",
        "reissue   {id} {name}: {file} (issue {issue}, blank)",
    ),
    "cycle.action.carry": (
        "重发并带入已填内容 {id} {name}: {file}（第 {issue} 版）",
        "carry     {id} {name}: {file} (issue {issue}, entries carried over)",
    ),
    "cycle.action.restore": (
        "补写 {id} {name}: {file}（文件不见了，仍为第 {issue} 版）",
        "restore   {id} {name}: {file} (the file was gone; still issue {issue})",
    ),
    "cycle.action.withdraw": (
        "撤回 {id} {name}: {file}（已不在名单中，文件保留）",
        "withdraw  {id} {name}: {file} (no longer on the roster; file kept)",
    ),
    "cycle.action.unchanged": ("未变 {id} {name}: {file}", "unchanged {id} {name}: {file}"),
    "cycle.moved": ("旧文件移至 {path}", "old file moved to {path}"),
    "cycle.not_carried": ("未能带入: {entry}", "not carried: {entry}"),
    "cycle.field.name": ("姓名", "name"),
    "cycle.field.role": ("岗位", "role"),
    "cycle.field.department": ("部门", "department"),
    "cycle.field.manager": ("直属上级", "manager"),
    "cycle.reason.targets": ("目标值变了", "targets changed"),
    "cycle.reason.spec": ("roles.toml 变了", "roles.toml changed"),
    "cycle.reason.back": ("重新回到名单", "back on the roster"),
    "cycle.why.role": ("岗位变了，实际值不带入", "the role changed; actuals are never carried"),
    "cycle.unreadable": (
        "旧文件无法读取（{reason}），其内容无法带入",
        "the old file cannot be read ({reason}); nothing in it could be carried",
    ),
    "cycle.why.kpi_gone": ("新版本中没有这个指标", "the new issue has no such KPI"),
    "cycle.withdrawn_with_entries": ("工作簿里已有填写内容", "the workbook holds entries"),
    "cycle.hr.not_carried": (
        "有 {count} 项内容未能带入新版本；旧文件在 superseded/ 中，请与经理核对后手工补填",
        "{count} entry(ies) could not be carried into the new issue; the old file is in superseded/: "
        "check them with the manager and type them in by hand",
    ),
    "cycle.hr.withdrawn": (
        "该员工已不在名单中，但工作簿里已有填写内容；文件保留，请确认是否仍需考核",
        "this employee left the roster but the workbook holds entries; the file is kept: decide whether "
        "they are still appraised",
    ),
    "cycle.other_period": (
        "这里的台账是 {ledger} 期间的；{period} 请生成到另一个文件夹，例如 {suggestion}",
        "holds the ledger of period {ledger}; generate {period} into another folder, e.g. {suggestion}",
    ),
    "cycle.summary": (
        "新建 {new}，重发 {reissue}，带入内容重发 {carry}，补写 {restore}，撤回 {withdraw}，未变 {unchanged}",
        "{new} new, {reissue} reissued blank, {carry} reissued with entries, {restore} restored, "
        "{withdraw} withdrawn, {unchanged} unchanged",
    ),
    "status.manager": ("上级", "manager"),
    "status.total": ("合计", "total"),
    "status.count.issued": ("已下发", "issued"),
    "status.count.returned": ("已交回", "returned"),
    "status.count.ok": ("合格", "ok"),
    "status.count.incomplete": ("未填完", "incomplete"),
    "status.count.rejected": ("退回", "rejected"),
    "status.count.missing": ("未交", "missing"),
    "status.due": ("{period} 截止日期: {due}", "{period} due: {due}"),
    "status.blanks": ("还有 {count} 项实际值未填（{cells}）", "{count} actual(s) still blank ({cells})"),
    "status.not_returned": ("尚未交回", "not returned yet"),
    "status.all_in": ("全部交回且合格", "every workbook is back and ok"),
    "status.reminder_written": ("催交邮件: {path}", "reminder: {path}"),
    "status.reminder_sent": ("已发送给 {manager} <{email}>", "sent to {manager} <{email}>"),
    "remind.subject": ("{period} 绩效考核表催交：{count} 人待处理", "{period} appraisal: {count} outstanding"),
    "remind.bad_server": (
        "{value!r} 不是 主机:端口（例如 smtp.example.com:25）",
        "{value!r} is not HOST:PORT (e.g. smtp.example.com:25)",
    ),
    "remind.cannot_write": (
        "无法写入（{reason}）；请换一个 --reminders 文件夹",
        "cannot be written ({reason}); choose another --reminders folder",
    ),
    "remind.no_address": (
        "台账中没有此上级的邮箱（名单里上级本人那一行的 email），未发送；请用 --reminders 写出 .eml 后手工发送",
        "the ledger has no e-mail address for this manager (the email of their own roster row); not sent. Use "
        "--reminders to write the .eml and send it by hand",
    ),
    "remind.refused": ("邮件服务器 {server} 拒收: {reason}", "the mail server {server} refused it: {reason}"),
    "remind.no_server": (
        "无法通过邮件服务器发送（{reason}）；请检查 --smtp，或用 --reminders 写出 .eml 文件",
        "cannot send through the mail server ({reason}); check --smtp, or write .eml files with --reminders",
    ),
    "cycle.dry_run": ("演练（--dry-run）：以上为计划，未写入任何文件", "dry run: the plan above; nothing was written"),
    # (the cycle's part of consolidate: ledger, keys, sign-off)
    "signoff.bad_date": (
        "{value!r} 不是日期；请按 2027-01-05 的格式填写日期",
        "{value!r} is not a date; type the date as 2027-01-05",
    ),
    "signoff.missing": (
        "缺少{who}签字（姓名和日期，单元格 {cells}）；签字后再交回",
        "the {who}'s sign-off (name and date, cells {cells}) is missing; sign and send it back",
    ),
    "signoff.who.employee": ("员工", "employee"),
    "signoff.who.manager": ("上级", "manager"),
    "ledger.superseded": (
        "这是第 {found} 版，但台账中当前是第 {current} 版（{current_file}）；请用当前版本填写并交回",
        "is issue {found}, but the ledger's current issue is {current} ({current_file}); fill in and send "
        "back the current file",
    ),
    "ledger.newer": (
        "这是第 {found} 版，但台账中最新只有第 {current} 版；它来自另一个台账，请用 {current_file}",
        "is issue {found}, but the ledger's latest is issue {current}: it comes from another ledger; use "
        "{current_file}",
    ),
    "ledger.withdrawn": (
        "{id} {name} 已在台账中撤回（不在名单上）；此工作簿只列出，不计入汇总",
        "{id} {name} is withdrawn in the ledger (no longer on the roster); this workbook is reported, not counted",
    ),
    "ledger.targets": (
        "目标值与台账中 HR 下发的不一致（隐藏的 _kpibook 和可见单元格都可能被改过）；已拒收，请用 {current_file}",
        "the targets differ from those HR issued (the ledger's digest): edited after generation, in the hidden "
        "_kpibook sheet and perhaps the visible cells; rejected, use {current_file}",
    ),
    "key.unverifiable": (
        "用另一把密钥签名（密钥编号 {key_id}），无法核实，因此不计为 ok；请用 --key-file 提供生成时所用的密钥（编号 {key_id}）",
        "was signed with another key (key id {key_id}), so it cannot be verified and is never ok; give the key "
        "HR generated with (id {key_id}) with --key-file or KPIBOOK_KEY_FILE",
    ),
    "key.all_unverifiable": (
        "{count} 个工作簿都用另一把密钥签名（密钥编号 {key_ids}），一个也无法核实；请用 --key-file 提供生成时所用的密钥",
        "all {count} workbooks were signed with another key (key id {key_ids}); none can be verified. Give the key "
        "HR generated with, with --key-file or KPIBOOK_KEY_FILE",
    ),
    "consolidate.not_kpibook_skipped": (
        "不是 kpibook 考核表(没有 _kpibook 元数据),已跳过,不计入人数;如果它是某位员工的考核表,请交回 kpibook 生成的那份",
        "is not a kpibook workbook (no _kpibook metadata); skipped and not counted. If it is someone's "
        "appraisal, send back the workbook kpibook generated instead",
    ),
    "consolidate.wrong_suffix": (
        "{option} 的文件名应以 {suffix} 结尾;kpibook 只写 {suffix} 文件,请改用以 {suffix} 结尾的文件名",
        "{option} must name a {suffix} file; kpibook writes only {suffix} there. Give a name ending in {suffix}",
    ),
}
