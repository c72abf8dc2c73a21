"""Why a returned file cannot be read, in the run's language.

Real bad files (an empty file, a legacy .xls, a CSV renamed .xlsx, a truncated copy, a zip bomb
by declared size, a workbook declaring a DTD, an xlsx that is no kpibook workbook) go through
`kpibook --lang zh|en consolidate` and `kpibook --lang zh|en audit`; each Issues row and each
audit verdict line must carry the reader's refusal (kpibook/catalogue/reader.py) in that
language. A worker process started afresh (spawn: it inherits no language) must say it in the
language consolidate hands it.
"""

from __future__ import annotations

import ast
import io
import multiprocessing
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from kpibook.cli import main
from kpibook.consolidate import examine
from kpibook.fingerprint import load_key
from kpibook.generate import generate
from kpibook.messages import CATALOGUE, chosen_language, restore_language, set_language, t
from kpibook.read import UnreadableWorkbook, read_workbook
from kpibook.spec import Spec
from kpibook.xlsx_package import MAX_UNCOMPRESSED
from tests.common import ROOT, ROSTER
from tests.test_audit import read_parts, rewrite

PERIOD = "2026Q4"
SHEET_PART = "xl/worksheets/sheet1.xml"
BOMB_MEMBERS = 120  # each declares 1,000,000 bytes: under the ratio check, 120 MB together
BOMB_MEMBER_SIZE = 1_000_000

# file name -> (the reader's code, its catalogue entry, the entry's fields)
EXPECTED: dict[str, tuple[str, str, dict[str, object]]] = {
    "empty.xlsx": ("empty", "reader.empty", {}),
    "legacy.xlsx": ("legacy_xls", "reader.legacy_xls", {}),
    "export.xlsx": ("text_file", "reader.text_file", {}),
    "cut.xlsx": ("truncated", "reader.truncated", {}),
    "bomb.xlsx": (
        "zip_bomb",
        "reader.zip_bomb_size",
        {"total": BOMB_MEMBERS * BOMB_MEMBER_SIZE, "limit": MAX_UNCOMPRESSED},
    ),
    "entities.xlsx": ("xml_entities", "reader.xml_entities", {"name": SHEET_PART}),
    "budget.xlsx": ("not_kpibook", "reader.not_kpibook", {}),
    "E1001_budget.xlsx": ("not_kpibook", "reader.not_kpibook", {}),  # under E1001's name: E1001's file
}
SKIPPED = "budget.xlsx"  # no one's file: consolidate lists it as skipped, in its own words


def declared_bomb() -> bytes:
    """A small zip whose directory declares 120 MB: every member's uncompressed size is rewritten
    in the central directory (what the reader's size check trusts), as a forger would."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(BOMB_MEMBERS):
            archive.writestr(f"xl/media/image{index}.bin", b"x" * 10)
    path_data = bytearray(buffer.getvalue())
    start = 0
    patched = 0
    while (start := path_data.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into("<L", path_data, start + 24, BOMB_MEMBER_SIZE)  # uncompressed size
        start += 4
        patched += 1
    assert patched == BOMB_MEMBERS
    return bytes(path_data)


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> Path:
    """One real kpibook workbook, and next to it the bad files built from it or from nothing."""
    root = tmp_path_factory.mktemp("reader_language")
    roster = root / "roster.csv"
    roster.write_text("\n".join(ROSTER.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    blank = generate(roster, PERIOD, root / "blank", spec=spec).written[0]
    folder = root / "returned"
    folder.mkdir()
    (folder / "empty.xlsx").write_bytes(b"")
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    (folder / "legacy.xlsx").write_bytes(ole2 + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 512)
    (folder / "export.xlsx").write_text("employee_id,name,actual\nE1001,王芳,4500000\n", encoding="utf-8")
    data = blank.read_bytes()
    (folder / "cut.xlsx").write_bytes(data[: len(data) // 2])
    (folder / "bomb.xlsx").write_bytes(declared_bomb())
    assert SHEET_PART in dict(read_parts(blank))
    rewrite(
        blank,
        folder / "entities.xlsx",
        {SHEET_PART: lambda xml: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml.split(b"?>", 1)[-1]},
    )
    other = openpyxl.Workbook()
    other.active["A1"] = "budget"
    other.save(folder / "budget.xlsx")
    other.save(folder / "E1001_budget.xlsx")
    return folder


def test_every_refusal_is_a_catalogue_entry() -> None:
    """No `UnreadableWorkbook(code, "English text")` anywhere: each message is t("reader.…") (or
    another catalogue entry), so it follows the run's language."""
    calls = []
    for source in sorted((ROOT / "kpibook").rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "UnreadableWorkbook":
                calls.append((source.name, node))
    assert len(calls) >= 26
    for name, call in calls:
        message = call.args[1]
        assert isinstance(message, ast.Call) and getattr(message.func, "id", "") == "t", (name, call.lineno)
        key = message.args[0]
        assert isinstance(key, ast.Constant) and key.value in CATALOGUE, (name, call.lineno)


def reason(name: str, lang: str) -> str:
    _code, key, fields = EXPECTED[name]
    return t(key, lang, **fields)


@pytest.fixture
def language() -> Iterator[None]:
    """Puts back the language a test changes."""
    previous = chosen_language()
    yield
    restore_language(previous)


@pytest.mark.usefixtures("language")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_library_refuses_in_the_run_language(bad_folder: Path, lang: str) -> None:
    set_language(lang)
    for name, (code, _key, _fields) in EXPECTED.items():
        with pytest.raises(UnreadableWorkbook) as info:
            read_workbook(bad_folder / name)
        assert info.value.code == code, name
        assert info.value.message == reason(name, lang), name
    assert reason("empty.xlsx", "zh") != reason("empty.xlsx", "en")


def issues_of(path: Path) -> dict[str, tuple[str, str]]:
    """Issues rows by file name: (code, message)."""
    rows = list(openpyxl.load_workbook(path, read_only=True)["Issues"].iter_rows(values_only=True))
    header = rows[0]
    found = {}
    for row in rows[1:]:
        item = dict(zip(header, row, strict=True))
        found[Path(str(item["file"])).name] = (str(item["code"]), str(item["message"]))
    return found


@pytest.mark.usefixtures("language")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_consolidate_issues_carry_the_reason_in_the_run_language(
    bad_folder: Path, tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The files are read in worker processes (map_isolated): the reasons come back in `lang`."""
    out = tmp_path / "summary.xlsx"
    manifest = bad_folder.parent / "blank" / "manifest.csv"
    code = main(["--lang", lang, "consolidate", str(bad_folder), "--out", str(out), "--manifest", str(manifest)])
    capsys.readouterr()
    assert code == 1
    issues = issues_of(out)
    other = "en" if lang == "zh" else "zh"
    for name, (reader_code, _key, _fields) in EXPECTED.items():
        issue_code, message = issues[name]
        assert issue_code == f"unreadable.{reader_code}", name
        if name == SKIPPED:
            assert message == t("consolidate.not_kpibook_skipped", lang)
            continue
        # consolidate makes it a sentence: a capital first letter, a closing full stop
        assert message.lower().rstrip(".。") == reason(name, lang).lower(), (name, message)
        assert reason(name, other).lower() not in message.lower(), name


@pytest.mark.usefixtures("language")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_audit_prints_the_reason_in_the_run_language(
    bad_folder: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--lang", lang, "audit", *(str(bad_folder / name) for name in EXPECTED)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    for name in EXPECTED:
        verdict = f"FAIL {bad_folder / name}: {t('audit.verdict.unreadable', lang, reason=reason(name, lang))}"
        assert verdict in lines, name  # the workbook's one-line verdict, the reason in full
    if lang == "zh":
        assert "无法读取：文件为空（0 字节）" in "\n".join(lines)


def _examine_in_a_fresh_process(path: Path, spec: Spec, lang: str | None) -> tuple[str, str]:
    context = multiprocessing.get_context("spawn")  # unlike fork, the child inherits no language
    with context.Pool(1) as pool:
        outcome = pool.apply(examine, (str(path), spec, load_key()), {"lang": lang})
    issue = outcome.issues[0]
    return issue.code, issue.message


@pytest.mark.usefixtures("language")
def test_a_spawned_worker_refuses_in_the_language_it_is_given(
    bad_folder: Path, spec: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # the child's locale says English
    set_language("en")
    path = bad_folder / "legacy.xlsx"
    code, message = _examine_in_a_fresh_process(path, spec, "zh")
    assert code == "unreadable.legacy_xls"
    assert message.rstrip(".。") == reason("legacy.xlsx", "zh")
    _code, message = _examine_in_a_fresh_process(path, spec, None)  # no language given: the locale's
    assert message.rstrip(".").lower() == reason("legacy.xlsx", "en").lower()


def test_a_chinese_reason_in_the_issues_rows_ends_in_its_own_full_stop() -> None:
    from kpibook.consolidate import _sentence

    assert _sentence("文件为空（0 字节）：请重新发送。") == "文件为空（0 字节）：请重新发送。"
    assert _sentence("文件为空（0 字节）：请重新发送") == "文件为空（0 字节）：请重新发送。"
    assert _sentence("the file is empty; send it again") == "The file is empty; send it again."
