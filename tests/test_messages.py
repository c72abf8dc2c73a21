"""The message catalogue: every entry in both languages with the same placeholders."""

from __future__ import annotations

import string

import pytest

from kpibook import messages
from kpibook.messages import CATALOGUE, fields_of, language_from_environment, t


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_message_has_both_languages_with_the_same_fields(code: str) -> None:
    zh, en = CATALOGUE[code]
    assert zh.strip() and en.strip(), f"{code}: a language is missing"
    assert fields_of(zh) == fields_of(en), f"{code}: zh and en take different fields"
    # a text in words has Chinese words; a pure format ("{where}：{message}") has none to have
    words = string.Formatter().parse(en)
    if any(ch.isascii() and ch.isalpha() for literal, *_ in words for ch in literal):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{code}: the Chinese text has no Chinese"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_language_follows_the_locale(environ: dict[str, str], expected: str) -> None:
    assert language_from_environment(environ) == expected


def test_explicit_language_wins() -> None:
    assert t("general.problems", lang="zh", count=3) == "发现 3 个问题"
    assert t("general.problems", lang="en", count=3) == "3 problem(s) found"
    previous = messages._chosen
    try:
        messages.set_language("zh")
        assert t("general.problems", count=2) == "发现 2 个问题"
        with pytest.raises(ValueError):
            messages.set_language("fr")
    finally:
        messages._chosen = previous
