"""What the command line says: spec listing, generate, consolidate, demo and common words.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
    "general.cannot_run": ("无法运行", "could not run"),
    "general.problems": ("发现 {count} 个问题", "{count} problem(s) found"),
    "general.where": ("{where}：{message}", "{where}: {message}"),  # a problem: where it is, what is wrong
    # the command line (kpibook/cli.py)
    "cli.spec_source": (
        "规格 {source}（spec_version {version}，sha256 {sha}）",
        "spec {source} (spec_version {version}, sha256 {sha})",
    ),
    "cli.spec_department": ("部门 {id}：{zh} / {en}", "department {id}: {zh} / {en}"),
    "cli.spec_roles": ("岗位：", "roles:"),
    "cli.spec_role": ("  {id}：{zh} / {en}（{count} 个 KPI）", "  {id}: {zh} / {en} ({count} KPIs)"),
    "cli.spec_columns": (
        "岗位|维度|维度权重|KPI|计分方法|单位|目标|KPI 权重",
        "role|dimension|dim weight|KPI|method|unit|target|KPI weight",
    ),
    "cli.spec_na_ok": ("（可填 N/A）", " (N/A ok)"),
    "cli.spec_grades": ("等级：{bands}", "grades: {bands}"),
    "cli.spec_counts": (
        "{roles}，{kpis}；每个岗位的维度权重合计 100，每个维度的 KPI 权重合计 100",
        "{roles}, {kpis}; dimension weights add up to 100 in every role, KPI weights to 100 in every dimension",
    ),
    "cli.spec_year": (
        "年度：季度权重 {weights}；等级系数 {coefficients}{cap}",
        "year: quarter weights {weights}; coefficients {coefficients}{cap}",
    ),
    "cli.spec_year_cap": ("；上限 {cap}", "; cap {cap}"),
    "cli.spec_calibration": (
        "校准指引：{limits}；取整 {rounding}",
        "calibration guideline: {limits}; rounding {rounding}",
    ),
    "cli.demo_report": ("部门报告页", "department report page"),
    "cli.demo_calibration": ("校准工作簿", "calibration workbook"),
    "cli.demo_calibrated": ("校准后的汇总", "calibrated summary"),
    "cli.count_role": ("{n} 个岗位", "{n} role"),
    "cli.count_roles": ("{n} 个岗位", "{n} roles"),
    "cli.count_kpi": ("{n} 个 KPI", "{n} KPI"),
    "cli.count_kpis": ("{n} 个 KPI", "{n} KPIs"),
    "cli.demo_key_generate": (
        "注意：正在用公开的演示密钥签名；正式考核请设置 KPIBOOK_KEY 或 KPIBOOK_KEY_FILE",
        "note: signing with the public demo key; set KPIBOOK_KEY or KPIBOOK_KEY_FILE for real appraisals",
    ),
    "cli.demo_key_audit": (
        "注意：这些工作簿用公开的演示密钥签名，其指纹证明不了什么；正式考核请在设置 KPIBOOK_KEY 或 KPIBOOK_KEY_FILE 后生成",
        "note: these workbooks were signed with the public demo key, so their fingerprints prove little; "
        "generate real appraisals with KPIBOOK_KEY or KPIBOOK_KEY_FILE set",
    ),
    "cli.rate": ("（每个 {ms} 毫秒）", "({ms} ms each)"),
    "cli.wrote": (
        "已写出 {count} 个工作簿到 {out}，用时 {seconds} 秒 {rate}",
        "Wrote {count} workbook(s) to {out} in {seconds} s {rate}",
    ),
    "cli.manifest": ("清单：{path}", "Manifest: {path}"),
    "cli.kept": (
        "保留 {count} 个已有工作簿不变（用 --force 重写空白的）",
        "Kept {count} existing workbook(s) unchanged (use --force to rewrite blank ones)",
    ),
    "cli.summary": ("部门汇总：{out}", "Department summary: {out}"),
    "cli.summary_csv": ("（CSV 文件：{csv}）", "  (CSV: {csv})"),
    "cli.more_issues": (
        "……另有 {count} 个问题，见 {out} 的 Issues 表",
        "... and {count} more in the Issues sheet of {out}",
    ),
    "cli.wrote_formula_book": ("公式手册已写到 {out}", "wrote the formula book to {out}"),
    "cli.audit_needs_inputs": (
        "请给出要审计的工作簿或文件夹（kpibook audit returned/），或用 --explain 查看公式手册",
        "give the workbooks or folders to audit (kpibook audit returned/), or --explain for the formula book",
    ),
    "cli.no_workbooks": (
        "这里没有 .xlsx 工作簿；请给出收回的工作簿所在的文件夹",
        "no .xlsx workbooks found there; give the folder the returned workbooks are in",
    ),
    "cli.xl_copy_of": ("{source} 的副本", "a copy of {source}"),
    "cli.xl_new_workbook": ("新工作簿", "a new workbook"),
    "cli.xl_wrote": (
        "已写出 {out}（{origin}），含工作表“kpibook”和“xlwings.conf”",
        "wrote {out} ({origin}) with the sheets 'kpibook' and 'xlwings.conf'",
    ),
    "cli.xl_next": (
        "下一步：docs/excel.md 的“Using kpibook from Excel”（Windows：在 xlwings 功能区点 Import Functions）",
        "next: docs/excel.md, 'Using kpibook from Excel' (Windows: Import Functions on the xlwings ribbon)",
    ),
    "cli.exists_use_force": ("已存在；用 --force 替换", "exists; use --force to replace it"),
    "cli.cannot_write": (
        "无法写入（{reason}）；请给出可写的文件夹",
        "cannot be written ({reason}); give a folder you may write to",
    ),
    "cli.wrote_file": ("已写出 {path}", "wrote {path}"),
    "cli.demo_heading": (
        "kpibook {version} 演示：生成 -> 经理填写 -> 汇总 -> 审计 -> 校准，输出到 {out}/",
        "kpibook {version} demo: generate -> managers fill -> consolidate -> audit -> calibrate, into {out}/",
    ),
    "cli.demo_outputs": ("输出：", "Outputs:"),
    "cli.demo_blank": ("空白工作簿", "blank workbooks"),
    "cli.demo_manifest": ("清单", "manifest"),
    "cli.demo_returned": ("收回（已填写）的工作簿", "returned (filled) workbooks"),
    "cli.demo_summary": ("部门汇总", "department summary"),
    "cli.demo_csv": ("汇总 CSV", "summary CSV"),
    "cli.demo_audit": ("审计报告", "audit report"),
    "cli.demo_roster": ("HR 修改后的花名册", "roster changed by HR"),
    "cli.demo_reminders": ("催交邮件", "reminder e-mails"),
    "cli.interrupted": ("已中断", "interrupted"),
    "cli.smtp_needs_from": (
        "--smtp 需要 --from ADDR（发送提醒邮件的地址）",
        "--smtp needs --from ADDR (the address the reminders are sent from)",
    ),
    "cli.year_written": ("年度：{out}", "Year: {out}"),
    "cli.year_csv": ("（CSV：{csv}，核对：{control}）", "  (CSV: {csv}, control: {control})"),
    # periods (kpibook/period.py) and HR's key (kpibook/fingerprint.py)
    "general.bad_period": (
        "期间 {text} 无法识别；请写 2026Q4（季度）、2026H2（半年）、2026（全年）或 2026-11（月）",
        "period {text} is not a period; use 2026Q4 (quarter), 2026H2 (half), 2026 (year) or 2026-11 (month)",
    ),
    "general.bundled_missing": (
        "kpibook 自带的 {name} 不见了（安装不完整）；请重新安装 kpibook",
        "kpibook's bundled {name} is missing; reinstall kpibook",
    ),
    "general.key_file": ("密钥文件 {path}", "key file {path}"),
    "general.key_unreadable": (
        "{source}：无法读取（{reason}）；请检查 --key-file 或 KPIBOOK_KEY_FILE 给出的路径",
        "{source}: cannot be read ({reason}); check --key-file / KPIBOOK_KEY_FILE",
    ),
    "general.key_too_short": (
        "{source}：密钥只有 {size} 字节，少于 {minimum} 字节；请使用足够长的随机密钥"
        "（--key-file、KPIBOOK_KEY_FILE 和 KPIBOOK_KEY 都适用这一规则）",
        "{source}: the key is {size} bytes, shorter than {minimum}; use a long random key "
        "(the same rule applies to --key-file, KPIBOOK_KEY_FILE and KPIBOOK_KEY)",
    ),
}
