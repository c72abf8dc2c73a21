"""`--lang` before or after the command means the same, for every command; argparse's own words
(usage, errors, --help) come in the run's language from the catalogue.

The commands run for real: `main` in-process on real (missing or unusable) files, and the
console entry point in a subprocess where the locale decides.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kpibook.cli import build_parser, main
from tests.common import run_kpibook
from tests.test_language import leaf_parsers

# Per command: arguments that make it say something in the run's language, quickly.
COMMANDS: dict[tuple[str, ...], list[str]] = {
    ("spec", "check"): ["nosuch.toml"],
    ("generate",): ["--roster", "nosuch.csv", "--period", "2026Q4", "--out", "out"],
    ("status",): ["nosuch.xlsx", "--manifest", "nosuch.csv"],
    ("consolidate",): ["nosuch", "--out", "s.xlsx"],
    ("report",): ["nosuch.xlsx", "--out", "r.html"],
    ("calibrate",): ["nosuch.xlsx", "--out", "c.xlsx"],
    ("audit",): [],
    ("annual",): ["nosuch.xlsx", "--out", "y.xlsx"],
    ("demo",): ["--out", "afile"],  # a file where the folder should go
    ("xl", "setup"): ["afile"],  # not a workbook's name
    ("xl", "lite"): ["--out", "."],  # main.py is there already
    ("xl", "functions"): ["--bogus"],  # prints English docstrings: its usage error speaks the language
    ("xl", "vba"): ["--bogus"],  # prints VBA: likewise
}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder\n", encoding="utf-8")
    (tmp_path / "main.py").write_text("# someone's\n", encoding="utf-8")
    return tmp_path


def test_every_command_is_in_the_table() -> None:
    assert set(leaf_parsers(build_parser())) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_lang_before_or_after_the_command_is_the_same(
    command: tuple[str, ...], workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    said = {}
    for lang, locale in (("zh", "en_US.UTF-8"), ("en", "zh_CN.UTF-8")):  # the locale says the other one
        monkeypatch.setenv("LANG", locale)
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LC_MESSAGES", raising=False)
        before = run(["--lang", lang, *command, *COMMANDS[command]], capsys)
        after = run([*command, *COMMANDS[command], "--lang", lang], capsys)
        assert before == after, (lang, before, after)
        said[lang] = before
    assert said["zh"][0] == said["en"][0] != 0
    assert has_chinese(said["zh"][1]), said["zh"]
    assert not has_chinese(said["en"][1]), said["en"]


def test_missing_arguments_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, zh = run(["--lang", "zh", "consolidate"], capsys)
    assert code == 2
    assert "用法：kpibook consolidate" in zh and "错误：缺少以下必需的参数：INPUT, --out" in zh
    assert "usage:" not in zh and "error:" not in zh and "required" not in zh
    code, en = run(["--lang", "en", "consolidate"], capsys)
    assert code == 2
    assert "usage: kpibook consolidate" in en and "error: the following arguments are required: INPUT, --out" in en


def test_an_unknown_command_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, zh = run(["--lang", "zh", "nosuchcommand"], capsys)
    assert code == 2
    assert "无效的选项：'nosuchcommand'（可选：'spec', 'generate'" in zh and "invalid choice" not in zh
    code, en = run(["--lang=en", "nosuchcommand"], capsys)
    assert code == 2 and "invalid choice: 'nosuchcommand' (choose from 'spec', 'generate'" in en


def test_help_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, zh = run(["--lang", "zh", "generate", "--help"], capsys)
    assert code == 0
    assert "用法：kpibook generate" in zh and "\n选项" in zh and "显示本帮助并退出" in zh
    assert "消息的语言" in zh and "花名册（.csv 或 .xlsx）" in zh and "至少 16 字节" in zh
    assert "roster .csv or .xlsx" not in zh
    assert "usage:" not in zh and "options:" not in zh and "show this help message" not in zh
    code, top = run(["--la", "zh", "--help"], capsys)  # an abbreviation argparse accepts counts too
    assert code == 0 and "位置参数" in top and "显示 kpibook 的版本号并退出" in top
    code, en = run(["generate", "--help", "--lang", "en"], capsys)
    assert code == 0 and "usage: kpibook generate" in en and "options:" in en and "show this help message" in en


def all_texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every help, description and epilog text of `parser` and of its commands, recursively."""
    texts = [parser.description or "", parser.epilog or ""]
    for action in parser._actions:
        texts.append(action.help or "")
        if isinstance(action, argparse._SubParsersAction):
            texts += [choice.help or "" for choice in action._choices_actions]
            for child in set(action.choices.values()):
                texts += all_texts(child)
    return [text for text in texts if text]


def test_every_help_text_is_in_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from kpibook import messages
    from kpibook.cli_usage import usage_language

    for lang in ("zh", "en"):
        monkeypatch.setattr(messages, "_chosen", lang)
        with usage_language(lang):
            texts = all_texts(build_parser())
        assert len(texts) > 80
        odd = [text for text in texts if has_chinese(text) != (lang == "zh")]
        assert odd == [], (lang, odd)


def test_a_wrong_value_is_refused_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, zh = run(["--lang", "zh", "generate", "--roster"], capsys)
    assert code == 2 and "参数 --roster：需要一个值" in zh
    code, en = run(["--lang", "fr", "demo"], capsys)  # not a language: the locale's, and refused
    assert code == 2 and "--lang" in en and "'fr'" in en


def test_argparse_is_itself_again_after_main(capsys: pytest.CaptureFixture[str]) -> None:
    """Only kpibook's own parser speaks the catalogue, only while main runs."""
    assert main(["--lang", "zh", "nosuchcommand"]) == 2
    capsys.readouterr()
    parser = argparse.ArgumentParser(prog="other")
    assert "show this help message and exit" in parser.format_help()
    assert parser.format_usage().startswith("usage: other")


def test_a_chinese_locale_without_lang(tmp_path: Path) -> None:
    zh = run_kpibook(["consolidate"], "zh_CN.UTF-8", tmp_path)
    assert zh.returncode == 2 and "用法：kpibook consolidate" in zh.stderr and "缺少以下必需的参数" in zh.stderr
    help_zh = run_kpibook(["generate", "--help"], "zh_CN.UTF-8", tmp_path)
    assert help_zh.returncode == 0 and "显示本帮助并退出" in help_zh.stdout
    unknown = run_kpibook(["nosuchcommand"], "zh_CN.UTF-8", tmp_path)
    assert unknown.returncode == 2 and "无效的选项" in unknown.stderr
    en = run_kpibook(["consolidate"], "en_US.UTF-8", tmp_path)
    assert en.returncode == 2 and "the following arguments are required: INPUT, --out" in en.stderr
    assert not has_chinese(en.stderr)
    forced = run_kpibook(["consolidate", "--lang", "en"], "zh_CN.UTF-8", tmp_path)
    assert forced.returncode == 2 and "usage: kpibook consolidate" in forced.stderr
