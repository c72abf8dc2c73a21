"""The year: the spec's [year], kpibook annual and its workbook.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
    "year.not_table": (
        "必须是一个 [year] 表；参见 docs/spec-format.md",
        "must be a [year] table; see docs/spec-format.md",
    ),
    "year.unknown_key": (
        "未知的键 {key}；[year] 只有 quarter_weights、coefficients、coefficient_cap",
        "unknown key {key}; [year] has only quarter_weights, coefficients and coefficient_cap",
    ),
    "year.weights_keys": (
        "必须正好给出 Q1、Q2、Q3、Q4 四个季度的权重（现为 {found}），例如 {{ Q1 = 25, Q2 = 25, Q3 = 25, Q4 = 25 }}",
        "must give exactly the four weights Q1, Q2, Q3, Q4 (found {found}), e.g. {{ Q1 = 25, Q2 = 25, Q3 = 25, Q4 = 25 }}",
    ),
    "year.weight_value": (
        "季度权重必须是不小于 0 的数字，而不是 {value!r}",
        "a quarter's weight must be a number of 0 or more, not {value!r}",
    ),
    "year.weights_sum": (
        "四个季度权重之和为 {total}，必须等于 100",
        "the four quarter weights add up to {total}; they must add up to 100",
    ),
    "year.coefficients_missing": (
        "缺少等级 {grades} 的绩效系数；在 [year.coefficients] 中为每个等级写一个系数，例如 B = 1.0",
        "no coefficient for grade(s) {grades}; give every grade one in [year.coefficients], e.g. B = 1.0",
    ),
    "year.coefficient_grade": (
        "等级 {grade} 不在 [[grades]] 中（有 {grades}）；删除它或改为已有等级",
        "grade {grade} is not one of the [[grades]] ({grades}); remove it or use an existing grade",
    ),
    "year.coefficient_value": (
        "等级 {grade} 的系数必须是 0 到 10 之间的数字（如 1.2），而不是 {value!r}",
        "the coefficient of grade {grade} must be a number from 0 to 10 (e.g. 1.2), not {value!r}",
    ),
    "year.cap_value": (
        "系数上限必须是大于 0、不超过 10 的数字（如 1.5），而不是 {value!r}；不设上限就删除这一行",
        "the coefficient cap must be a number above 0 and at most 10 (e.g. 1.5), not {value!r}; "
        "delete the line for no cap",
    ),
    "year.sheet.rules": (
        "年度规则（来自 roles.toml 的 [year] 与 [[grades]]）",
        "The year's rules (from roles.toml [year] and [[grades]])",
    ),
    "year.rules.cap": (
        "系数上限（roles.toml 中的 coefficient_cap）",
        "coefficient cap (coefficient_cap in roles.toml)",
    ),
    "year.rules.cap_none": (
        "未设系数上限：此处为最高系数，MIN 不改变任何系数",
        "no coefficient cap: this is the highest coefficient, so MIN changes nothing",
    ),
    "year.totals.note": (
        "paid = 有奖金的人数；payout = 奖金合计（与 CSV 控制文件的合计一致）",
        "paid = people with a payout; payout = the sum of payouts (equals the CSV control file's sum)",
    ),
    "year.sheet.trend_grades": ("各季度等级分布（人数）", "Grade distribution per quarter (people)"),
    "year.chart.grades": ("各季度等级分布", "Grades per quarter"),
    "year.sheet.trend_dimensions": ("各维度部门平均分（按季度）", "Each dimension's department mean, per quarter"),
    "year.sheet.trend_people": ("每人各维度得分（按季度）", "Each person's dimension points, per quarter"),
    "year.sheet.audit": ("年度表各列的计算方法", "How every column of the Year sheet is made"),
    "year.explain.employee_id": ("工号：来自各季度汇总", "employee id: from the quarters' summaries"),
    "year.explain.employee_name": ("姓名：最后一个季度汇总中的姓名", "name: as in the last quarter's summary"),
    "year.explain.department": ("部门：最后一个季度汇总中的部门", "department: as in the last quarter's summary"),
    "year.explain.manager": (
        "直属上级：最后一个季度的上级（各季度见 manager.<季度> 列）",
        "manager: the last quarter's (each quarter's is in the manager.<quarter> columns)",
    ),
    "year.explain.role_id": (
        "岗位：最后一个季度的岗位；每个季度按当季岗位计分（见 role.<季度> 列）",
        "role: the last quarter's; each quarter is scored under its own role (role.<quarter> columns)",
    ),
    "year.explain.quarters": ("计入的季度数：有得分的季度个数", "quarters counted: how many quarters have a score"),
    "year.explain.annual_score": (
        "年度得分 = Σ(季度权重 × 季度得分) ÷ Σ(计入季度的权重)，保留 2 位小数；状态为 incomplete 时为空",
        "annual score = Σ(quarter weight × quarter score) ÷ Σ(weights of the quarters counted), "
        "rounded to 2 decimals; blank while the status is incomplete",
    ),
    "year.explain.annual_grade": (
        "年度等级：年度得分落入的等级区间（Rules 表 grade_mins）",
        "annual grade: the band of the annual score (grade_mins on the Rules sheet)",
    ),
    "year.explain.coefficient": (
        "绩效系数 = MIN(系数上限, 该等级的系数)",
        "coefficient = MIN(coefficient cap, the grade's coefficient)",
    ),
    "year.explain.months": (
        "在职月数：花名册有入职/离职日期时，为本年中当月 15 日在职的月数；否则为 3 × 出现在汇总中的季度数",
        "months worked: with the roster's hired/left dates, the months of the year in which the person was "
        "employed on the 15th; otherwise 3 per quarter the person appears in a summary",
    ),
    "year.explain.bonus_base": (
        "奖金基数：来自花名册的 bonus_base 列（没有则为空）",
        "bonus base: the roster's bonus_base (blank without)",
    ),
    "year.explain.payout": (
        "奖金 = ROUND(奖金基数 × 绩效系数 × 在职月数 ÷ 12, 2)，精确到分，四舍五入（远离零）",
        "payout = ROUND(bonus base × coefficient × months worked ÷ 12, 2): to the fen, half away from zero",
    ),
    "year.explain.status": (
        "状态：ok = 四个季度都计入；partial = 部分季度未在职（按在职季度折算）；incomplete = 有在职季度未交回或未完成",
        "status: ok = all four quarters counted; partial = not employed in some quarter (pro-rated); "
        "incomplete = a quarter in which the person was employed is not returned ok",
    ),
    "year.explain.changes": ("年内岗位或上级的变动", "changes of role or manager during the year"),
    "year.explain.score": ("该季度汇总中的总分（仅 ok 时）", "the quarter's total score in its summary (ok rows only)"),
    "year.explain.grade": (
        "该季度的等级（汇总有 final_grade 列时为校准后的等级）",
        "the quarter's grade (the calibrated final_grade where the summary has one)",
    ),
    "year.explain.role": ("该季度的岗位", "the quarter's role"),
    "year.explain.state": (
        "该季度：counted 计入；not_employed 未在职；not_returned 在职但未交回/未完成",
        "the quarter: counted; not_employed; not_returned (employed, but not returned ok)",
    ),
    "year.explain.missing": (
        "缺少的季度：未在职（不在该季度汇总中或在入职/离职日期之外）不计入并按在职时间折算；在职但未交回则年度为 incomplete，不给等级和奖金",
        "a missing quarter: not employed (absent from that quarter's summary or outside the hired/left dates) "
        "is left out and the year pro-rated; employed but not returned makes the year incomplete: no grade, no payout",
    ),
    "year.explain.rounding": (
        "取整：所有 ROUND 都是四舍五入（远离零），与 Excel、LibreOffice、WPS 一致",
        "rounding: every ROUND is half away from zero, as in Excel, LibreOffice and WPS",
    ),
    "year.explain.fingerprint": (
        "隐藏的 _kpibook 表记录来源汇总、数值摘要和 HR 密钥签名；kpibook audit YEAR.xlsx 可核对公式、锁定和签名",
        "the hidden _kpibook sheet records the source summaries, a digest of the values and HR's key's "
        "signature; kpibook audit YEAR.xlsx checks the formulas, locks and signature",
    ),
    "year.no_rules": (
        "角色规范没有 [year] 表（季度权重和绩效系数）；按 docs/spec-format.md 添加后运行 kpibook spec check",
        "the role spec has no [year] table (quarter weights and grade coefficients); add one as "
        "docs/spec-format.md shows, then run kpibook spec check",
    ),
    "year.no_summaries": (
        "请给出各季度 consolidate 写出的 summary.xlsx",
        "give the quarters' summary.xlsx files that consolidate wrote",
    ),
    "year.not_quarter": (
        "该汇总的期间是 {period}，不是季度；年度只由季度汇总（如 2026Q1）组成",
        "this summary's period is {period}, not a quarter; the year is built from quarterly summaries (e.g. 2026Q1)",
    ),
    "year.same_quarter": (
        "与 {other} 是同一季度 {period} 的汇总；每个季度只给一个汇总",
        "is a summary of {period}, like {other}; give one summary per quarter",
    ),
    "year.many_years": (
        "这些汇总属于不同年度：{years}；一次只汇总一年的季度",
        "these summaries are of different years: {years}; give the quarters of one year",
    ),
    "year.refused": (
        "{count} 个汇总问题，未写出年度结果",
        "{count} problem(s) with the summaries; nothing was written",
    ),
    "year.quarter_missing": (
        "没有给出该季度的汇总；在职的人年度为 incomplete，补上该季度汇总后重新运行",
        "no summary of this quarter was given; the year is incomplete for everyone employed in it: "
        "add the quarter's summary and run again",
    ),
    "year.result.people": ("{year} 年度：{count} 人（{counts}）", "year {year}: {count} people ({counts})"),
    "year.result.payout": ("奖金：{paid} 人，合计 {total}", "payout: {paid} people, total {total}"),
    "year.result.changes": ("{count} 人年内岗位或上级有变动", "{count} people changed role or manager during the year"),
    "year.roster_no_id": (
        "花名册没有 employee_id（工号）列；年度奖金列按工号匹配",
        "the roster has no employee_id (工号) column; the year's pay columns are matched by it",
    ),
    "year.roster_base": (
        "奖金基数 {value!r} 不是不小于 0 的数字；请写如 60000 的金额",
        "bonus base {value!r} is not a number of 0 or more; write an amount such as 60000",
    ),
    "year.roster_date": (
        "{value!r} 不是日期；请写 ISO 日期，如 2026-04-01",
        "{value!r} is not a date; write an ISO date such as 2026-04-01",
    ),
    "year.roster_left_before": (
        "离职日期 {left} 早于入职日期 {hired}；请改正其一",
        "left {left} is before hired {hired}; correct one of them",
    ),
    "year.roster_problems": (
        "花名册有 {count} 个问题，未写出年度结果",
        "{count} problem(s) in the roster; nothing was written",
    ),
    "year.output_not_ours": (
        "已存在且不是 kpibook annual 写出的文件，因此不会被覆盖；请换一个 {option} 或先移走该文件",
        "exists and is not a file kpibook annual wrote, so it is not replaced; choose another {option} "
        "or move the file away",
    ),
    "year.is_year_book": (
        "是 kpibook annual 写出的年度结果，不是季度汇总；请给出各季度 consolidate 写出的 summary.xlsx",
        "is a year written by kpibook annual, not a quarter's summary; give the quarters' summary.xlsx files",
    ),
    "year.result.absent": ("不在汇总中", "absent from the summary"),
    "year.result.incomplete": (
        "{employee}：年度未完成，未交回或未完成的季度：{quarters}；交回后重新 consolidate 并运行 kpibook annual",
        "{employee}: the year is incomplete, quarter(s) not returned ok: {quarters}; once returned, "
        "consolidate that quarter again and rerun kpibook annual",
    ),
    "year.audit.signature": (
        "年度结果的签名元数据无法验证：不是 kpibook annual 用此密钥写出，或元数据被修改；请用 HR 的密钥重新运行 kpibook annual",
        "the year's signed metadata does not verify: not written by kpibook annual under this key, or edited; "
        "run kpibook annual again with HR's key",
    ),
    "year.audit.header": (
        "年度表的列与 kpibook annual 写出的不同；请重新运行 kpibook annual",
        "the Year sheet's columns are not those kpibook annual writes; run kpibook annual again",
    ),
    "year.audit.values": (
        "年度表或规则表中的数值在写出后被修改（得分、基数、月数或系数）；请勿手工修改，重新运行 kpibook annual",
        "values of the Year or Rules sheet were changed after kpibook annual wrote them (a score, base, months "
        "or coefficient); do not edit the year: run kpibook annual again",
    ),
    "year.audit.formula": (
        "公式与该列的公式不同；同一列每行公式必须相同",
        "the formula differs from its column's formula; every row of a column has the same formula",
    ),
    "year.audit.name": (
        "规则名称（quarter_weights 等）不再指向 Rules 表",
        "a rule name (quarter_weights...) no longer points to the Rules sheet",
    ),
    "year.audit.unlocked": (
        "工作表保护被取消；年度结果中没有需要手工输入的单元格",
        "the sheet is no longer protected; nothing in the year is typed by hand",
    ),
    "year.audit.cached": (
        "保存的计算结果与 kpibook 根据签名数值重新计算的不同",
        "the value saved in the file differs from kpibook's recomputation from the signed values",
    ),
    "year.no_base": (
        "{employee} 没有奖金基数（不在花名册中或 bonus_base 为空），因此没有奖金；补上后重新运行 kpibook annual",
        "{employee} has no bonus_base (not in the roster, or the cell is empty), so no payout; add it and "
        "run kpibook annual again",
    ),
}
