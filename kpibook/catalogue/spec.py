"""The role spec (roles.toml): every mistake `spec check` reports, and target periods.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used."""

MESSAGES: dict[str, tuple[str, str]] = {
    "spec.file_not_found": ("文件不存在;请给出 roles.toml 的路径", "file not found; give the path of a roles.toml"),
    "spec.unreadable": (
        "无法读取({reason});请检查路径和权限",
        "cannot be read ({reason}); check the path and its permissions",
    ),
    "spec.not_utf8": (
        "不是 UTF-8 文本(第 {byte} 字节);请在编辑器中另存为 UTF-8",
        "is not UTF-8 text (byte {byte}); save it as UTF-8 in your editor",
    ),
    "spec.bad_toml": (
        "不是有效的 TOML:{error};请修正该行的语法",
        "is not valid TOML: {error}; fix the syntax at that line",
    ),
    "spec.title": ("{source}:角色规格中有 {count} 个问题", "{source}: {count} problem(s) in the role spec"),
    "spec.line": ("第 {line} 行", "line {line}"),
    "spec.text_missing": ("缺失;请添加带引号的文本", "is missing; add it as a quoted text"),
    "spec.text_wrong": ("必须是带引号的非空文本,而不是 {value}", "must be a non-empty text in quotes, not {value}"),
    "spec.number_missing": ("缺失;请填写一个数字", "is missing; add a number"),
    "spec.number_wrong": (
        '必须是数字(如 100、0.95 或 "95%"),而不是 {value}',
        'must be a number (e.g. 100, 0.95 or "95%"), not {value}',
    ),
    "spec.flag_wrong": ("必须是 true 或 false,而不是 {value}", "must be true or false, not {value}"),
    "spec.bad_id": (
        "{value} 不是有效的 id:请使用小写字母、数字和 _,并以字母开头",
        "{value} is not a valid id: use lower-case letters, digits and _, starting with a letter",
    ),
    "spec.tables_missing": ("必须是一个或多个 [[{key}]] 表", "must be one or more [[{key}]] tables"),
    "spec.section_missing": ("缺失;请添加 [[{key}]] 表", "is missing; add the [[{key}]] tables"),
    "spec.format_version": (
        "是 {value};本版 kpibook 读取 format_version = 1",
        "is {value}; this kpibook reads format_version = 1",
    ),
    "spec.department_missing": (
        "缺失;请添加含 id、name_zh 和 name_en 的 [department] 表",
        "is missing; add a [department] table with id, name_zh and name_en",
    ),
    "spec.spec_version_missing": (
        '缺失;请添加如 spec_version = "2026.1"',
        'is missing; add e.g. spec_version = "2026.1"',
    ),
    "spec.duplicate_role": (
        "岗位 id {value} 重复(首次出现在 {first});每个岗位 id 必须唯一",
        "role id {value} is used twice (first at {first}); every role id must be unique",
    ),
    "spec.duplicate_dimension": (
        "维度 id {value} 在本岗位中重复(首次出现在 {first});每个维度 id 在岗位内必须唯一",
        "dimension id {value} is used twice (first at {first}); every dimension id must be unique",
    ),
    "spec.duplicate_kpi": (
        "指标 id {value} 重复(首次出现在 {first});每个指标 id 必须唯一",
        "KPI id {value} is used twice (first at {first}); every KPI id must be unique",
    ),
    "spec.duplicate_grade": (
        "等级 {value} 重复;每个等级必须唯一",
        "grade {value} is used twice; every grade must be unique",
    ),
    "spec.grade_missing": ('缺失;请填写简短文本,如 "A"', 'is missing; give a short text such as "A"'),
    "spec.grade_min_max": (
        "等级 {grade} 的 min {low} >= max {high};min 必须小于 max",
        "grade {grade} has min {low} >= max {high}; min must be below max",
    ),
    "spec.grades_gap": (
        "{lower}(max {high})与 {upper}(min {low})之间有空档;每档的 max 必须等于下一档的 min",
        "gap between {lower} (max {high}) and {upper} (min {low}); each band's max must equal the next band's min",
    ),
    "spec.grades_overlap": (
        "{lower}(max {high})与 {upper}(min {low})重叠;每档的 max 必须等于下一档的 min",
        "{lower} (max {high}) overlaps {upper} (min {low}); each band's max must equal the next band's min",
    ),
    "spec.grades_low": (
        "最低等级从 {min} 开始,但得分可低至 {floor};请降低该等级的 min",
        "the lowest grade starts at {min} but a score can be as low as {floor}; lower that grade's min",
    ),
    "spec.grades_high": (
        "最高等级止于 {max},但得分可达 {cap};请提高该等级的 max",
        "the top grade ends at {max} but a score can reach {cap}; raise that grade's max",
    ),
    "spec.duties_missing": (
        '缺失;请以 {{ zh = "...", en = "..." }} 列出岗位职责',
        'is missing; list the duties as {{ zh = "...", en = "..." }}',
    ),
    "spec.duty_wrong": ('必须写成 {{ zh = "...", en = "..." }}', 'must be {{ zh = "...", en = "..." }}'),
    "spec.dimension_weights_sum": (
        "岗位 {role}:维度权重合计 {total}({listed});合计必须为 100",
        "role {role}: dimension weights add up to {total} ({listed}); they must add up to 100",
    ),
    "spec.kpi_weights_sum": (
        "维度 {dimension}:指标权重合计 {total}({listed});合计必须为 100",
        "dimension {dimension}: KPI weights add up to {total} ({listed}); they must add up to 100",
    ),
    "spec.dimension_weight_low": (
        "是 {weight};维度权重必须大于 0",
        "is {weight}; a dimension's weight must be above 0",
    ),
    "spec.all_na": (
        "维度 {dimension} 的所有指标都允许 N/A;至少一个必须始终计分(将其中一个设为 allow_na = false)",
        "every KPI of dimension {dimension} allows N/A; at least one must always be scored (set allow_na = false on one)",
    ),
    "spec.kpi_id_long": ("{value} 超过 {limit} 个字符;请缩短", "{value} is longer than {limit} characters; shorten it"),
    "spec.unit_unknown": (
        "{value} 不是 kpibook 认识的单位;请使用 {units} 之一",
        "{value} is not a unit kpibook knows; use one of {units}",
    ),
    "spec.direction_unknown": ('{value} 必须是 "higher" 或 "lower"', '{value} must be "higher" or "lower"'),
    "spec.method_unknown": (
        "{value} 不是计分方法;请使用 {methods} 之一",
        "{value} is not a scoring method; use one of {methods}",
    ),
    "spec.bands_unused": (
        "只有 {methods} 方法使用分档,{method} 不用;请删除",
        "is only used by the {methods} methods, not {method}; remove it",
    ),
    "spec.bands_missing": (
        "缺失;请添加 bands = [ {{ from = 0, points = 0 }}, ... ]",
        "is missing; add bands = [ {{ from = 0, points = 0 }}, ... ]",
    ),
    "spec.band_wrong": ("必须写成 {{ from = 数字, points = 数字 }}", "must be {{ from = number, points = number }}"),
    "spec.bands_too_many": ("有 {count} 档;最多允许 {limit} 档", "has {count} bands; at most {limit} are allowed"),
    "spec.bands_not_ascending": ("'from' 值 {starts} 必须严格递增", "'from' values {starts} must strictly increase"),
    "spec.levels_not_whole": ("评级等级 {starts} 必须是整数", "rating levels {starts} must be whole numbers"),
    "spec.kpi_weight_low": ("是 {weight};指标权重必须大于 0", "is {weight}; a KPI's weight must be above 0"),
    "spec.min_max": ("min {min} 必须小于 max {max}", "min {min} must be below max {max}"),
    "spec.target_outside": (
        "目标 {target} 超出输入范围 [{min}, {max}]",
        "target {target} is outside the input bounds [{min}, {max}]",
    ),
    "spec.cap_floor": ("cap {cap} 必须大于 floor {floor}", "cap {cap} must be above floor {floor}"),
    "spec.needs_zero": (
        "缺失;linear 方法需要得 0 分的实际值(zero)",
        "is missing; the linear method needs the actual that earns 0 points",
    ),
    "spec.needs_penalty": (
        "缺失;threshold 方法需要每超出一个单位扣除的分数(penalty)",
        "is missing; the threshold method needs the points lost per unit beyond the limit",
    ),
    "spec.param_not_positive": ("是 {value};必须大于 0", "is {value}; it must be above 0"),
    "spec.direction_must_be_higher": (
        '{method} 方法按"越高越好"计分;"越低越好"请用 inverse_ratio 或 linear',
        'the {method} method scores "higher is better"; use inverse_ratio or linear for "lower"',
    ),
    "spec.direction_must_be_lower": (
        '{method} 方法按"越低越好"计分;"越高越好"请用 ratio',
        'the {method} method scores "lower is better"; use ratio for "higher"',
    ),
    "spec.ratio_target_zero": (
        "为 0,但 ratio 方法要除以目标;请给出大于 0 的目标",
        "is 0, but the ratio method divides by the target; give a target above 0",
    ),
    "spec.inverse_target": (
        "为 {target},但 inverse_ratio 方法需要大于 0 的目标",
        "is {target}, but the inverse_ratio method needs a target above 0",
    ),
    "spec.linear_target_is_zero": (
        "等于零分点 {zero};linear 方法要求两者不同",
        "equals the zero point {zero}; the linear method needs them to differ",
    ),
    "spec.linear_target_above": (
        "方向为 higher 时必须高于零分点 {zero}",
        "must be above the zero point {zero} when direction is higher",
    ),
    "spec.linear_target_below": (
        "方向为 lower 时必须低于零分点 {zero}",
        "must be below the zero point {zero} when direction is lower",
    ),
    "spec.target_period_unknown": (
        '{value} 不是目标期间类型;请使用 "quarter"(季度目标)、"year"(年度目标)或 "rate"(比率/水平,不随期间缩放)',
        '{value} is not a target period; use "quarter" (a quarterly target), "year" (a yearly target) '
        'or "rate" (a rate or level that does not scale with the period)',
    ),
    "targets.title": (
        "无法生成 {period}:该期间的目标有 {count} 个问题;未写入任何文件",
        "cannot generate {period}: {count} problem(s) with the targets of that period; nothing was written",
    ),
    "targets.missing": (
        "指标 {kpi} 没有 {period} 的目标:roles.toml 未说明其目标 {target} 是季度、年度还是比率,"
        "而花名册中有 {people} 人没有自己的目标。请在规格中为该指标加上 "
        'target_period = "quarter"、"year" 或 "rate",或在花名册中填写 target.{kpi} 列',
        "KPI {kpi} has no target for {period}: roles.toml does not say whether its target {target} is per "
        "quarter, per year or a rate, and {people} person(s) in the roster have no target of their own. Add "
        'target_period = "quarter", "year" or "rate" to the KPI in the spec, or fill the roster column target.{kpi}',
    ),
    "targets.out_of_bounds": (
        "指标 {kpi} 按期间换算后的目标 {target} 超出输入范围 [{min}, {max}];请调整规格中的 min/max,"
        "或在花名册的 target.{kpi} 列中给出目标",
        "KPI {kpi}: the target scaled to the period, {target}, is outside the input bounds [{min}, {max}]; "
        "widen min/max in the spec or give the target in the roster column target.{kpi}",
    ),
}
