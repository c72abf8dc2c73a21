"""argparse's own words (usage, options, usage errors), as kpibook/cli_usage.py routes them.

Entries are `code: (zh, en)`; see kpibook.messages for how they are used. The fields stand for
argparse's %-placeholders of the same name (`value` for an unnamed one), so no text here may
contain a literal percent sign."""

MESSAGES: dict[str, tuple[str, str]] = {
    "argparse.usage": ("用法：", "usage: "),
    "argparse.positionals": ("位置参数", "positional arguments"),
    "argparse.options": ("选项", "options"),
    "argparse.help": ("显示本帮助并退出", "show this help message and exit"),
    "argparse.version": ("显示 kpibook 的版本号并退出", "show kpibook's version number and exit"),
    "argparse.lang": (
        "消息的语言（默认取自 LANG / LC_ALL；zh_* 为中文）",
        "language of messages (default: from LANG / LC_ALL; zh_* gives Chinese)",
    ),
    "argparse.error": ("{prog}：错误：{message}\n", "{prog}: error: {message}\n"),
    "argparse.argument": ("参数 {argument_name}：{message}", "argument {argument_name}: {message}"),
    "argparse.required": ("缺少以下必需的参数：{value}", "the following arguments are required: {value}"),
    "argparse.one_of_required": ("参数 {value} 中必须给出一个", "one of the arguments {value} is required"),
    "argparse.unrecognized": ("无法识别的参数：{value}", "unrecognized arguments: {value}"),
    "argparse.invalid_choice": (
        "无效的选项：{value}（可选：{choices}）",
        "invalid choice: {value} (choose from {choices})",
    ),
    "argparse.invalid_value": ("无效的 {type} 值：{value}", "invalid {type} value: {value}"),
    "argparse.expected_one": ("需要一个值", "expected one argument"),
    "argparse.expected_at_most_one": ("最多只能给一个值", "expected at most one argument"),
    "argparse.expected_at_least_one": ("至少需要一个值", "expected at least one argument"),
    "argparse.expected_n": ("需要 {value} 个值", "expected {value} argument(s)"),
    "argparse.ambiguous": ("选项不明确：{option} 可能是 {matches}", "ambiguous option: {option} could match {matches}"),
    "argparse.not_allowed_with": ("不能与参数 {value} 同时使用", "not allowed with argument {value}"),
    "argparse.ignored_explicit": ("忽略了显式给出的值 {value}", "ignored explicit argument {value}"),
    "argparse.cannot_open": ("无法打开“{filename}”：{error}", "can't open '{filename}': {error}"),
}
