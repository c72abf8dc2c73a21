"""argparse's own words in the run's language: "usage:", "options", "show this help message and
exit", and its usage errors ("the following arguments are required", "invalid choice" ...).

argparse translates those texts the gettext way: it calls the module-level functions
`argparse._` and `argparse.ngettext` with the English text as the message id. `usage_language`
points the two at the catalogue (kpibook/catalogue/usage.py) for the span of one `kpibook`
command (building the parser, parsing, printing help or a usage error) and puts gettext's back
afterwards, so argparse is unchanged for a library user outside `kpibook.cli.main`. A text
argparse has that the catalogue does not know passes through as argparse wrote it.

Chinese help is laid out for a terminal, where a Chinese character takes two columns:
`WideHelpFormatter` (kpibook's parsers only) wraps help text by display width, may break a line
between two Chinese characters (never before a closing mark such as "，" or "）", nor after an
opening one), and ends a Chinese section heading with a full-width colon ("选项："). Text without
wide characters is left to argparse, so English help is exactly argparse's.

The language has to be known before the parser is built (the group titles and the help
option's text are fixed then), so `language_of` finds `--lang` in the arguments first, wherever
it stands: before the command, after it, or after a subcommand, as `--lang zh` or `--lang=zh`.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from kpibook.messages import LANGUAGES, language_from_environment, t

# argparse's message id -> the catalogue's code
TEXTS = {
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positionals",
    "options": "argparse.options",
    "show this help message and exit": "argparse.help",
    "%(prog)s: error: %(message)s\n": "argparse.error",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "the following arguments are required: %s": "argparse.required",
    "one of the arguments %s is required": "argparse.one_of_required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "expected %s argument": "argparse.expected_n",
    "expected %s arguments": "argparse.expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "not allowed with argument %s": "argparse.not_allowed_with",
    "ignored explicit argument %r": "argparse.ignored_explicit",
    "can't open '%(filename)s': %(error)s": "argparse.cannot_open",
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sdr])|%([sdr])")
LANG_OPTION = "--lang"


def translate(message: str, lang: str) -> str:
    """argparse's `message` in `lang`, its %-placeholders kept for argparse to fill in."""
    code = TEXTS.get(message)
    if code is None:
        return message
    fields = {}
    for name, conversion, bare in _PLACEHOLDER.findall(message):
        fields[name or "value"] = f"%({name}){conversion}" if name else f"%{bare}"
    return t(code, lang, **fields)


@contextmanager
def usage_language(lang: str) -> Iterator[None]:
    """argparse speaks `lang` inside the block (and gettext's language again after it)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return translate(message, lang)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return translate(singular if n == 1 else plural, lang)

    replacements: tuple[Callable[[str], str], Callable[[str, str, int], str]] = (gettext, ngettext)
    argparse._, argparse.ngettext = replacements  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def language_of(argv: Sequence[str]) -> str:
    """The language `--lang` chooses anywhere in `argv` (the last one wins, as in argparse),
    else the locale's. An abbreviation argparse accepts (`--la zh`) counts too; a value that is
    not a language is left for argparse to refuse."""
    chosen = None
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            break
        name, equals, value = token.partition("=")
        if len(name) >= 3 and LANG_OPTION.startswith(name):
            if not equals:
                value = next(tokens, "")
            if value in LANGUAGES:
                chosen = value
    return chosen or language_from_environment()


# ---------------------------------------------------------------------------------------
# Help laid out by display width
# ---------------------------------------------------------------------------------------

NO_LINE_START = frozenset("，。、；：！？）》」』】〉”’…,.;:!?)]}%")  # never the first character of a line
NO_LINE_END = frozenset("（《「『【〈“‘([{")  # never the last one
_WHITESPACE = re.compile(r"\s+")


def is_wide(ch: str) -> bool:
    """A character that takes two columns on a terminal (East Asian Wide or Fullwidth)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def display_width(text: str) -> int:
    """The columns `text` takes on a terminal: two for a wide character, one for any other."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


def has_wide(text: str) -> bool:
    return any(is_wide(ch) for ch in text)


def break_units(text: str) -> list[tuple[str, bool]]:
    """`text` cut where a line may break, as (piece, preceded by a space): at spaces, and
    between a wide character and its neighbour, except before a closing mark or after an
    opening one. A run of narrow characters (a word, a path, an option) stays whole."""
    units: list[list[Any]] = []
    space = False
    for ch in text:
        if ch == " ":
            space = True
            continue
        if units and not space:
            last = units[-1][0][-1]
            may_break = (is_wide(ch) or is_wide(last)) and ch not in NO_LINE_START and last not in NO_LINE_END
            if not may_break:
                units[-1][0] += ch
                continue
        units.append([ch, space and bool(units)])
        space = False
    return [(piece, spaced) for piece, spaced in units]


def wrap_wide(text: str, width: int) -> list[str]:
    """`text` (one paragraph, spaces normalised) in lines of at most `width` columns; a piece
    longer than a whole line is cut between characters."""
    lines: list[str] = []
    line, used = "", 0
    for piece, spaced in break_units(text):
        gap = " " if spaced and line else ""
        size = display_width(gap + piece)
        if line and used + size > width:
            lines.append(line)
            line, used = piece, display_width(piece)
        else:
            line, used = line + gap + piece, used + size
        while used > width:  # one piece wider than the line
            head, rest = _cut(line, width)
            lines.append(head)
            line, used = rest, display_width(rest)
    return [*lines, line] if line else lines


def _cut(text: str, width: int) -> tuple[str, str]:
    """`text` split after as many characters as fit in `width` columns (at least one)."""
    used = 0
    for index, ch in enumerate(text):
        used += 2 if is_wide(ch) else 1
        if used > width:
            index = max(index, 1)
            return text[:index], text[index:]
    return text, ""


class WideHelpFormatter(argparse.HelpFormatter):
    """argparse's HelpFormatter, counting a wide character as two columns (see the module's
    docstring); for text without wide characters it is argparse's own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wide_headings: set[str] = set()

    def _split_lines(self, text: str, width: int) -> list[str]:
        if not has_wide(text):
            return super()._split_lines(text, width)
        return wrap_wide(_WHITESPACE.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if not has_wide(text):
            return super()._fill_text(text, width, indent)
        lines = wrap_wide(_WHITESPACE.sub(" ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)

    def _format_usage(
        self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any], prefix: str | None
    ) -> str:
        """argparse lays the usage out after `prefix` by its length: it is given a stand-in as
        wide as the prefix shows ("用法：" takes six columns, not three), then the prefix again."""
        if prefix is None:
            prefix = argparse._("usage: ")  # type: ignore[attr-defined]
        stand_in = "\0" * display_width(prefix)
        text = super()._format_usage(usage, actions, groups, stand_in)
        return text.replace(stand_in, prefix, 1)

    def start_section(self, heading: str | None) -> None:
        if heading and has_wide(heading):
            self._wide_headings.add(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        for heading in self._wide_headings:  # argparse ends a heading with ":"; Chinese with "："
            pattern = re.compile(rf"^( *){re.escape(heading)}:$", re.MULTILINE)
            text = pattern.sub(lambda m, h=heading: f"{m.group(1)}{h}：", text)  # type: ignore[misc]
        return text


def use_wide_help(parser: argparse.ArgumentParser) -> None:
    """`parser` and the parsers of all its commands and subcommands format with WideHelpFormatter."""
    parser.formatter_class = WideHelpFormatter
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                use_wide_help(child)
