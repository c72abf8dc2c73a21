"""The formula book (`kpibook audit --explain`) and the workbook's Audit sheet: what each distinct
formula computes, the spec rule behind it, the scoring methods in general, and the book's labels.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used. The spec keys
(roles.toml: kpis.weight, ...) stay as the spec spells them, in both languages."""

MESSAGES: dict[str, tuple[str, str]] = {
    # each scoring method in general (kpibook.methods.Method.words), in the score formula's legend
    "method.ratio": ("实际 ÷ 目标 × 100", "actual ÷ target × 100"),
    "method.inverse_ratio": (
        "目标 ÷ 实际 × 100（越低越好；实际为 0 或以下得封顶分）",
        "target ÷ actual × 100 (lower is better; an actual of 0 or less earns the cap)",
    ),
    "method.linear": (
        "直线：零分点得 0 分，目标得 100 分",
        "straight line: the zero point earns 0, the target earns 100",
    ),
    "method.threshold": (
        "达到限值（目标）得 100 分；每超出一个单位扣除罚分",
        "100 when the limit (target) is met; minus the penalty for each unit beyond it",
    ),
    "method.bands": (
        "按分档表取所达到的最高档的分数；低于最低档得保底分",
        "step table: the points of the highest band reached; below the first band, the floor",
    ),
    "method.rating": ("按评级表，每个等级得其对应分数", "rating scale: each level earns its points"),
    "formula.method_item": ("{number} = {name}：{words}", "{number} = {name}: {words}"),
    "formula.method_separator": ("；", "; "),
    # what each distinct formula computes (formula.<ColumnFormula.key>.words) and its spec rule (.rule)
    "formula.kpi.score.words": (
        "KPI 得分（100 = 达成目标）：未填实际值时为空；KPI 允许时可为 N/A；否则按 {code_column} 列的代码"
        "选择计分方法（{methods}），限制在保底分与封顶分之间，四舍五入到 2 位小数；不是 N/A 的文字显示“invalid”。",
        "KPI score in points (100 = target met): blank until the actual is entered; N/A where "
        "the KPI allows it; otherwise the method chosen by the code in column "
        "{code_column} ({methods}), kept between floor and cap, rounded to 2 decimals; "
        'text that is not N/A shows "invalid".',
    ),
    "formula.kpi.score.rule": (
        "roles.toml：kpis.method（计分方法）、target（目标）、zero/penalty（零分点/罚分）、bands（分档）、"
        "floor（保底）、cap（封顶）、allow_na（允许 N/A）",
        "roles.toml: kpis.method, target, zero/penalty, bands, floor, cap, allow_na",
    ),
    "formula.kpi.weighted.words": (
        "KPI 为其维度贡献的分数：得分 × KPI 权重 ÷ 100（未计分时为 0）。",
        "Points the KPI contributes to its dimension: score × KPI weight ÷ 100 (0 if not scored).",
    ),
    "formula.kpi.weighted.rule": (
        "roles.toml：kpis.weight（占维度的 %）",
        "roles.toml: kpis.weight (% of the dimension)",
    ),
    "formula.kpi.pending.words": (
        "KPI 仍缺少有效输入（空白、无效文字或错误值）时为 1，否则为 0。",
        "1 while the KPI still needs a valid input (blank, invalid text or an error), else 0.",
    ),
    "formula.kpi.pending.rule": (
        "约定：任一实际值缺失时，总分和等级保持空白",
        "contract: total and grade stay blank while any actual is missing",
    ),
    "formula.kpi.counted.words": (
        "计入的 KPI 权重：已计分时为其权重，N/A 时为 0。",
        "The KPI weight that counts: its weight when scored, 0 when N/A.",
    ),
    "formula.kpi.counted.rule": (
        "roles.toml：kpis.allow_na（N/A 的权重由同一维度的其余 KPI 分摊）",
        "roles.toml: kpis.allow_na (N/A shares its weight among the rest of the dimension)",
    ),
    "formula.dimension.score.words": (
        "维度得分：其任一 KPI 待填时为空；否则为加权分之和 ÷ 计入权重之和 × 100，四舍五入到 2 位小数。",
        "Dimension score: blank while any of its KPIs is pending; else the sum of its weighted "
        "points ÷ the sum of its counted weights × 100, rounded to 2 decimals.",
    ),
    "formula.dimension.score.rule": (
        "roles.toml：dimensions.kpis.weight（维度内各 KPI 的权重）",
        "roles.toml: dimensions.kpis.weight",
    ),
    "formula.total.words": (
        "总分：任一输入缺失时为空；否则为 Σ(维度权重 × 维度得分) ÷ 100，四舍五入到 2 位小数。",
        "Total score: blank while any input is missing; else Σ(dimension weight × dimension score) "
        "÷ 100, rounded to 2 decimals.",
    ),
    "formula.total.rule": ("roles.toml：dimensions.weight（维度权重）", "roles.toml: dimensions.weight"),
    "formula.grade.words": (
        "等级：总分所在的等级表区间（下限 ≤ 总分 < 上限）；总分为空时为空。",
        "Grade: the band of the grade table (min ≤ total < max) holding the total; blank while the total is.",
    ),
    "formula.grade.rule": ("roles.toml：[[grades]]（等级表）", "roles.toml: [[grades]]"),
    "formula.pending.words": ("仍缺失或无效的输入个数。", "How many inputs are still missing or invalid."),
    "formula.pending.rule": (
        "约定：工作簿显示还剩多少项输入",
        "contract: the workbook shows how many inputs remain",
    ),
    # the formula book as text
    "formula_book.role": ("== {role}：{name} ==", "== {role}: {name} =="),
    "formula_book.computes": ("   计算内容：{words}", "   computes: {words}"),
    "formula_book.spec": ("   规格依据：{rule}", "   spec: {rule}"),
    "formula_book.kpi_rules": (
        "KPI 规则（每行得分公式的参数）：",
        "KPI rules (the score formula's parameters per row):",
    ),
    "formula_book.kpi_line": ("      {method}；{params}", "      {method}; {params}"),
    "formula_book.kpi_words": ("{zh} / {en}：{rule}", "{zh} / {en}: {rule}"),
    "formula_book.method": (
        "计分方法 {method}（CHOOSE 第 {branch} 个分支：{excel}）",
        "method {method} (CHOOSE branch {branch}: {excel})",
    ),
    "formula_book.kpi_spec": (
        "roles.toml：roles[{role}].dimensions[{dimension}].kpis[{kpi}]（权重 {weight}%）",
        "roles.toml: roles[{role}].dimensions[{dimension}].kpis[{kpi}] (weight {weight}%)",
    ),
    # a KPI row's parameter cells (also the scorecard's parameter column headers, in English)
    "formula_book.param": ("{label} {cell} = {value}", "{label} {cell} = {value}"),
    "formula_book.param_separator": ("，", ", "),
    "formula_book.param.code": ("代码", "code"),
    "formula_book.param.direction": ("方向", "direction"),
    "formula_book.param.param": ("零分点/罚分", "zero/penalty"),
    "formula_book.param.floor": ("保底", "floor"),
    "formula_book.param.cap": ("封顶", "cap"),
    "formula_book.param.na": ("允许 N/A", "N/A ok"),
    # the formula book as an .xlsx: sheet names and column headings
    "formula_book.sheet.formula": ("公式手册", "Formula book"),
    "formula_book.sheet.kpi": ("KPI 规则", "KPI rules"),
    "formula_book.head.role": ("岗位", "role"),
    "formula_book.head.number": ("序号", "#"),
    "formula_book.head.cells": ("单元格", "cells"),
    "formula_book.head.r1c1": ("公式（R1C1）", "formula (R1C1)"),
    "formula_book.head.a1": ("公式（A1，首个单元格）", "formula (A1, first cell)"),
    "formula_book.head.words": ("计算内容", "what it computes"),
    "formula_book.head.rule": ("规格规则", "spec rule"),
    "formula_book.head.kpi": ("KPI 编号", "KPI"),
    "formula_book.head.score_cell": ("得分单元格", "score cell"),
    "formula_book.head.method": ("计分方法", "method"),
    "formula_book.head.parameters": ("参数", "parameters"),
    "formula_book.head.rule_words": ("规则说明", "rule in words"),
    "formula_book.head.spec": ("规格依据", "spec"),
}
