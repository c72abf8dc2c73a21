"""Every sentence kpibook says to a person, once, in Chinese and English.

    from kpibook.messages import t
    t("roster.role_unknown", value="销售经理", hint="sales_manager")   # in the current language

Each entry of CATALOGUE (kpibook/catalogue/, one module per area) is `code: (zh, en)`. The code is stable and language-independent: it
is what the Issues sheet's `code` column and `--json` carry, so scripts never depend on the
wording. Placeholders are `str.format` fields and must be the same in both languages (a test
checks that every entry has both texts and the same fields).

The language is chosen once per run: `--lang zh|en`, else LC_ALL / LC_MESSAGES / LANG starting
with "zh" gives Chinese, else English. Library callers may pass `lang=` to `t` explicitly.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping

from kpibook.catalogue import CATALOGUE  # every entry, zh and en, one module per area

LANGUAGES = ("zh", "en")

_chosen: str | None = None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """zh when the locale says Chinese (LC_ALL, then LC_MESSAGES, then LANG), else en."""
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str | None) -> str:
    """Fixes the language of this run (None: from the environment); returns it."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    _chosen = lang or language_from_environment()
    return _chosen


def chosen_language() -> str | None:
    """The language fixed for this run (None: not fixed, the locale decides)."""
    return _chosen


def restore_language(previous: str | None) -> None:
    """Puts back what `chosen_language` returned (the CLI does, after one command)."""
    global _chosen
    _chosen = previous


def current_language() -> str:
    return _chosen or language_from_environment()


def t(code: str, lang: str | None = None, **fields: object) -> str:
    """The message `code` in `lang` (default: the run's language), its fields filled in."""
    zh, en = CATALOGUE[code]
    template = zh if (lang or current_language()) == "zh" else en
    return template.format(**fields)


def both(code: str, **fields: object) -> str:
    """Chinese and English together ("中文 / English"), for workbooks read by everyone."""
    return f"{t(code, 'zh', **fields)} / {t(code, 'en', **fields)}"


def fields_of(template: str) -> set[str]:
    """The placeholder names of a template (for the catalogue's own test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
