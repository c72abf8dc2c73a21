"""`--lang` before or after the command means the same, for every command; argparse's own words
(usage, errors, --help) come in the run's language from the catalogue.

The commands run for real: `main` in-process on real (missing or unusable) files, and the
console entry point in a subprocess where the locale decides.
"""

from __future__ import annotations

import argparse
import unicodedata
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


# -- Chinese help on an 80-column terminal --------------------------------------------------------


def every_parser(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """kpibook's parser and the parser of every command and subcommand, by the words that reach it."""
    found = {path: parser}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found.update(every_parser(child, (*path, name)))
    return found


def columns(line: str) -> int:
    """The columns a line takes on a terminal: East Asian Wide and Fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)


def test_chinese_help_fits_an_80_column_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    commands = sorted(every_parser(build_parser()))
    assert len(commands) >= 16
    for command in commands:
        code, zh = run(["--lang", "zh", *command, "--help"], capsys)
        assert code == 0 and "用法：kpibook" in zh, command
        wide = [(columns(line), line) for line in zh.splitlines() if columns(line) > 80]
        assert wide == [], (command, wide)
        assert "选项：\n" in zh and "选项:" not in zh and "位置参数:" not in zh, command
        first, *rest = zh.split("\n\n")[0].splitlines()  # the usage: continuation lines start under its first "["
        assert all(columns(line[: line.index("[") if "[" in line else 0]) <= columns(first) for line in rest)


def test_the_same_help_with_argparses_formatter_would_overflow(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the test above guards against: argparse counts characters, so Chinese overflows."""
    from kpibook import messages
    from kpibook.cli_usage import usage_language

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(messages, "_chosen", "zh")
    with usage_language("zh"):
        parser = every_parser(build_parser())[("generate",)]
        parser.formatter_class = argparse.HelpFormatter
        plain = parser.format_help()
    assert max(columns(line) for line in plain.splitlines()) > 80 and "选项:" in plain


def test_english_help_is_argparses_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """For text without wide characters kpibook's formatter is argparse's, to the character."""
    from kpibook import messages
    from kpibook.cli_usage import WideHelpFormatter, usage_language

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(messages, "_chosen", "en")
    with usage_language("en"):
        parsers = every_parser(build_parser())
        for command, parser in parsers.items():
            assert parser.formatter_class is WideHelpFormatter, command
            ours = parser.format_help()
            parser.formatter_class = argparse.HelpFormatter
            assert ours == parser.format_help(), command
            assert "options:\n" in ours


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        (
            "即使没有变化也重新发放所有工作簿（已填内容会带过去）",
            20,
            ["即使没有变化也重新发", "放所有工作簿（已填内", "容会带过去）"],
        ),
        (
            "密钥：--key-file FILE（取文件的字节），否则 KPIBOOK_KEY_FILE",
            24,
            ["密钥：--key-file FILE", "（取文件的字节），否则", "KPIBOOK_KEY_FILE"],
        ),
        ("一二三，四五", 6, ["一二", "三，四", "五"]),  # never a line starting with "，"
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # a piece wider than the line is cut
    ],
)
def test_wrap_by_display_width(text: str, width: int, lines: list[str]) -> None:
    from kpibook.cli_usage import NO_LINE_END, NO_LINE_START, wrap_wide

    assert wrap_wide(text, width) == lines
    assert all(columns(line) <= width for line in lines)
    assert not any(line[0] in NO_LINE_START or line[-1] in NO_LINE_END for line in lines[1:-1])


def test_chinese_errors_from_the_core(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A period, HR's key and the formula book's role: said in Chinese under --lang zh."""
    (workdir / "roster.csv").write_text("employee_id,name,role,department,manager\n", encoding="utf-8")
    code, zh = run(["--lang", "zh", "generate", "--roster", "roster.csv", "--period", "2026Q9", "--out", "o"], capsys)
    assert code == 2 and "期间 '2026Q9' 无法识别；请写 2026Q4（季度）" in zh, zh
    (workdir / "short.key").write_bytes(b"short")
    code, zh = run(["--lang", "zh", "audit", "afile", "--key-file", "short.key"], capsys)
    assert code == 2 and "密钥文件 short.key：密钥只有 5 字节，少于 16 字节" in zh, zh
    code, zh = run(["--lang", "zh", "audit", "afile", "--key-file", "nosuch.key"], capsys)
    assert code == 2 and "密钥文件 nosuch.key：无法读取" in zh, zh
    code, zh = run(["--lang", "zh", "audit", "--explain", "ceo"], capsys)
    assert code == 2 and "规格中没有岗位 'ceo'；现有岗位：" in zh, zh
