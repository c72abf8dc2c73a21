"""Calibration: the guideline, the workbook and its read-back.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
    "guideline.not_table": (
        "必须是一个 [calibration] 表；参见 docs/spec-format.md 的“校准指引”",
        "must be a [calibration] table; see 'Calibration guideline' in docs/spec-format.md",
    ),
    "guideline.unknown_key": ("不是校准指引的键；可用的键：{keys}", "is not a key of the guideline; use one of {keys}"),
    "guideline.rounding": (
        '为 {found}；请写 "nearest"（四舍五入）、"down"（向下取整）或 "up"（向上取整）',
        'is {found}; write "nearest" (half up), "down" or "up"',
    ),
    "guideline.per": (
        '为 {found}；请写 "all"（全部）、"department"（按部门）或 "role"（按岗位）',
        'is {found}; write "all", "department" or "role"',
    ),
    "guideline.no_limits": (
        "缺少；请至少添加一个 [[calibration.limits]] 表（grades 和 max 或 min）",
        "is missing; add at least one [[calibration.limits]] table (grades and max or min)",
    ),
    "guideline.whole": ("为 {found}；请写一个不小于 1 的整数", "is {found}; write a whole number of 1 or more"),
    "guideline.points": ("为 {found}；请写一个不小于 0 的分数", "is {found}; write a number of points, 0 or more"),
    "guideline.grades_type": (
        '为 {found}；请写等级列表，例如 ["S", "A"]',
        'is {found}; write a list of grades such as ["S", "A"]',
    ),
    "guideline.grade_unknown": (
        "{found} 不在等级表中；请使用 [[grades]] 中的等级：{scale}",
        "{found} is not in the grade scale; use grades of [[grades]]: {scale}",
    ),
    "guideline.share": (
        '为 {found}；请写 0% 到 100% 之间的比例，例如 "10%" 或 0.1',
        'is {found}; write a share between 0% and 100%, such as "10%" or 0.1',
    ),
    "guideline.no_bound": ("缺少 max 或 min；请至少写一个", "has neither max nor min; give at least one"),
    "guideline.min_above_max": (
        "min {low} 高于 max {high}；min 必须不大于 max",
        "min {low} is above max {high}; min must not exceed max",
    ),
    "guideline.role": (
        "{found} 不是本规格中的岗位；可用：{roles}",
        "{found} is not a role of this spec; use one of {roles}",
    ),
    "guideline.department": ("为 {found}；请写带引号的部门名称", "is {found}; write the department's name in quotes"),
    "calibrate.no_guideline": (
        "规格中没有校准指引（[calibration]）；分布将只显示不作比较。可在 roles.toml 中添加，参见 docs/spec-format.md",
        "the spec has no calibration guideline ([calibration]); the distribution is shown without limits. "
        "Add one to roles.toml: see docs/spec-format.md",
    ),
    "calibrate.nobody": (
        "汇总中没有状态为 ok 的员工，无人可校准；请先收齐工作簿并重新运行 kpibook consolidate",
        "no employee of this summary is ok, so nobody can be calibrated; collect the workbooks and run "
        "kpibook consolidate again",
    ),
    "calibrate.other_spec": (
        "该汇总由另一份规格生成（sha256 {found}，当前规格 {expected}）；请用生成汇总时的 roles.toml（--spec）",
        "was made with another spec (sha256 {found}, this spec {expected}); give the roles.toml the summary was "
        "made with (--spec)",
    ),
    "calibrate.not_ours": (
        "已存在且不是 kpibook 写出的校准工作簿，不会被覆盖；请换一个 --out 或移走该文件",
        "exists and is not a calibration workbook written by kpibook, so it is not replaced; choose another "
        "--out or move the file away",
    ),
    "calibrate.filled": (
        "是已填写了校准等级或理由的校准工作簿，不会被覆盖（其中有会议的决定）；请换一个 --out",
        "is a calibration workbook that already holds calibrated grades or reasons (the meeting's decisions), "
        "so it is not replaced; choose another --out",
    ),
    "calibrate.written": ("校准工作簿：{out}（{period} 期）", "Calibration workbook: {out} (period {period})"),
    "calibrate.counts": (
        "{people} 名员工参与校准，{others} 名未参与（状态不是 ok）",
        "{people} employee(s) to calibrate, {others} not calibrated (not ok)",
    ),
    "calibrate.limit_broken": (
        "指引 {limit}{group}：{count}/{people} 人，{status} {move} 人",
        "guideline {limit}{group}: {count} of {people}, {status} by {move}",
    ),
    "calibrate.manager_flag": (
        "直属上级 {manager}：平均分 {mean}（与部门差 {gap}），{flag}",
        "manager {manager}: mean {mean} ({gap} vs department), {flag}",
    ),
    "calibrate.over": ("超出", "over"),
    "calibrate.under": ("缺少", "short"),
    "calibrate.lenient": ("偏松", "lenient"),
    "calibrate.severe": ("偏严", "severe"),
    "calibrate.why_not": ("{status}：未参与校准。{why}", "{status}: not calibrated. {why}"),
    "calibrate.reason_needed": ("需填写理由", "reason needed"),
    "calibrate.not_a_grade": ("不是等级", "not a grade"),
    "calibration.not_found": (
        "找不到该文件；请给出 kpibook calibrate 写出的校准工作簿",
        "not found; give the calibration workbook that kpibook calibrate wrote",
    ),
    "calibration.not_calibration": (
        "不是 kpibook calibrate 写出的校准工作簿（没有相应的 _kpibook 元数据）；请给出 calibrate 写出的文件",
        "is not a calibration workbook written by kpibook calibrate (no matching _kpibook metadata); give the "
        "file calibrate wrote",
    ),
    "calibration.edited": (
        "员工、分数或公式等级在 kpibook calibrate 写出后被修改过（{rows} 行，签名时 {signed} 行）；只能修改 "
        "calibrated_grade 和 reason 两列。请用 kpibook calibrate 重新生成",
        "the employees, scores or formula grades were changed after kpibook calibrate wrote it ({rows} rows now, "
        "{signed} when signed); only calibrated_grade and reason may change. Write it again with kpibook calibrate",
    ),
    "calibration.forged": (
        "签名的元数据被修改过或由另一密钥签名（{key_id}），无法证明该工作簿由 kpibook 写出；请用 kpibook calibrate 重新生成",
        "its signed metadata was edited or signed with another key ({key_id}), so kpibook cannot prove it wrote "
        "this workbook; write it again with kpibook calibrate",
    ),
    "calibration.other_period": (
        "是 {found} 期的校准，而本次汇总是 {expected} 期；请给出本期的校准工作簿",
        "calibrates period {found}, but this summary is for {expected}; give this period's calibration workbook",
    ),
    "calibration.other_spec": (
        "由另一份规格的汇总生成（spec sha256 {found}）；请用同一份 roles.toml 重新运行 kpibook calibrate",
        "was made from a summary of another spec (spec sha256 {found}); run kpibook calibrate again with this "
        "roles.toml",
    ),
    "calibration.stale": (
        "{employee}：校准时总分为 {then}、等级 {grade}，本次汇总为 {now}、等级 {grade_now}；校准未应用。请在新汇总上重新校准",
        "{employee}: calibrated at total {then}, grade {grade}, but this summary has {now}, grade {grade_now}; the "
        "calibration is not applied. Calibrate again on the new summary",
    ),
    "calibration.no_reason": (
        "{employee}：等级由 {before} 改为 {after} 但没有填写理由；该调整未应用。请在 reason 列写明理由",
        "{employee}: grade changed from {before} to {after} without a reason; the change is not applied. Write the "
        "reason in the reason column",
    ),
    "calibration.not_a_grade": (
        "{employee}：{found} 不是等级表中的等级（{scale}）；该调整未应用。请从下拉列表中选择",
        "{employee}: {found} is not a grade of the scale ({scale}); the change is not applied. Pick one from the list",
    ),
    "calibration.not_ok_now": (
        "{employee}：在校准工作簿中，但本次汇总中状态为 {status}；校准未应用",
        "{employee}: is in the calibration workbook but is {status} in this summary; the calibration is not applied",
    ),
    "calibration.absent": (
        "{employee}：本次汇总中状态为 ok，但不在校准工作簿中；以公式等级为最终等级。如需校准请重新运行 kpibook calibrate",
        "{employee}: is ok in this summary but not in the calibration workbook; the formula grade is final. Run "
        "kpibook calibrate again to calibrate them",
    ),
    "calibration.other_summary": (
        "是另一份汇总的校准：其中 {count} 名员工没有一人在本次汇总中为 ok；请给出为本汇总生成的校准工作簿",
        "calibrates another summary: none of its {count} employees is ok in this one; give the calibration "
        "workbook made for this summary",
    ),
    "calibration.formula": (
        "公式被修改过；请用 kpibook calibrate 重新生成该工作簿",
        "the formula was changed; write the workbook again with kpibook calibrate",
    ),
    "calibration.unlocked": (
        "该单元格应被锁定（只有 calibrated_grade 和 reason 可编辑）",
        "this cell should be locked (only calibrated_grade and reason are inputs)",
    ),
    "calibration.cached_value": (
        "缓存值与 kpibook 按已填内容重新计算的结果不符：被篡改过，或由不会计算的工具保存；请在电子表格中打开并保存，或用 kpibook calibrate 重新生成",
        "the cached value differs from kpibook's recomputation for what is typed: forged, or saved by a tool "
        "that does not calculate; open and save it in a spreadsheet, or write it again with kpibook calibrate",
    ),
    "calibration.unprotected": ("工作表未受保护", "the sheet is not protected"),
    "calibration.validation": (
        "下拉列表校验缺失或被修改；请用 kpibook calibrate 重新生成",
        "the list validation is missing or changed; write the workbook again with kpibook calibrate",
    ),
}
