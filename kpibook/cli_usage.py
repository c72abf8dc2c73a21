"""argparse's own words in the run's language: "usage:", "options", "show this help message and
exit", and its usage errors ("the following arguments are required", "invalid choice" ...).

argparse translates those texts the gettext way: it calls the module-level functions
`argparse._` and `argparse.ngettext` with the English text as the message id. `usage_language`
points the two at the catalogue (kpibook/catalogue/usage.py) for the span of one `kpibook`
command (building the parser, parsing, printing help or a usage error) and puts gettext's back
afterwards, so argparse is unchanged for a library user outside `kpibook.cli.main`. A text
argparse has that the catalogue does not know passes through as argparse wrote it.

The language has to be known before the parser is built (the group titles and the help
option's text are fixed then), so `language_of` finds `--lang` in the arguments first, wherever
it stands: before the command, after it, or after a subcommand, as `--lang zh` or `--lang=zh`.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

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
