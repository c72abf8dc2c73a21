"""The strict fast cell reader (kpibook.sheet_cells) against the full hardened reader.

On every workbook here (generated, filled, tampered, hostile, saved by LibreOffice and
Gnumeric) reading with the fast path gives exactly what the full reader gives, or the fast
path declines (returns None) and the full reader decides; each hostile shape is shown to be
declined, so the equality is not the fast path quietly reading something it should not."""

from __future__ import annotations

import random
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import kpibook.read as read_module
from kpibook import ooxml
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.read import UnreadableWorkbook, read_workbook
from kpibook.sheet_cells import fast_cells
from kpibook.spec import Spec, load_spec
from tests.programs import save_with_gnumeric

ROOT = Path(__file__).resolve().parent.parent
SCORECARD_PART = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(ROOT / "roles.toml")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> list[Path]:
    """One blank and one filled workbook per role (actuals with N/A, blanks, text, '&' and '<')."""
    out = tmp_path_factory.mktemp("diff")
    generate(ROOT / "samples" / "roster.csv", "2026Q4", out / "blank", spec=spec)
    blanks = sorted((out / "blank").rglob("*.xlsx"))
    rng = random.Random(15)
    files: list[Path] = []
    seen: set[str] = set()
    for blank in blanks:
        role_id = read_workbook(blank).metadata["role_id"]
        if role_id in seen:
            continue
        seen.add(role_id)
        filled = out / "filled" / f"filled_{blank.name}"
        filled.parent.mkdir(exist_ok=True)
        actuals = manager_actuals(spec.role(role_id), rng, na_rate=0.3, blank_rate=0.2)
        comments = {kpi.id: '证据 & <附件> "ok" _x0041_' for kpi in spec.role(role_id).kpis[:2]}
        fill_workbook(blank, filled, spec, actuals, comments)
        files += [blank, filled]
    return files


def both_readers(path: Path) -> tuple[object, object]:
    """What read_workbook gives with the fast path and without it (a result or the refusal)."""
    results = []
    for fast in (True, False):
        read_module._FAST_PATH = fast
        try:
            data = read_workbook(path)
            results.append(data)
        except UnreadableWorkbook as exc:
            results.append(("refused", exc.code, str(exc)))
        finally:
            read_module._FAST_PATH = True
    return results[0], results[1]


def assert_same(path: Path) -> None:
    fast, full = both_readers(path)
    assert fast == full, path


def test_generated_and_filled_workbooks_read_the_same_and_take_the_fast_path(corpus: list[Path]) -> None:
    for path in corpus:
        with zipfile.ZipFile(path) as archive:
            assert fast_cells(archive.read(SCORECARD_PART)) is not None, path  # the path is really taken
        assert_same(path)


def _prefixed(data: bytes) -> bytes:
    body = re.sub(rb"<(/?)(?!\?)([A-Za-z])", rb"<\1x:\2", data)
    return body.replace(b'<x:worksheet xmlns="', b'<x:worksheet xmlns:x="', 1)


def _first_cell(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(old, new, 1)


# each: a change a spreadsheet program or an attacker might make to the scorecard's XML
HOSTILE: dict[str, Callable[[bytes], bytes]] = {
    "comment": _first_cell(b"<row ", b"<!-- a comment --><row "),
    "cdata": lambda d: re.sub(rb"<v>([^<]*)</v>", rb"<v><![CDATA[\1]]></v>", d, count=3),
    "processing instruction": _first_cell(b"<row ", b"<?pi x?><row "),
    "prefixes": _prefixed,
    "namespace declaration": _first_cell(b"<row ", b'<row xmlns:y="urn:y" '),
    "default namespace redeclared": _first_cell(b"<row ", b'<row xmlns="urn:other" '),
    "unknown entity": lambda d: re.sub(rb"<v>([^<]*)</v>", rb"<v>&nbsp;\1</v>", d, count=1),
    "forbidden character reference": lambda d: re.sub(rb"<v>([^<]*)</v>", rb"<v>&#1;\1</v>", d, count=1),
    "control character": lambda d: re.sub(rb"<v>([^<]*)</v>", b"<v>\x01\\1</v>", d, count=1),
    "carriage return": lambda d: re.sub(rb"<t>([^<]*)</t>", b"<t>a\r\nb\\1</t>", d, count=1),
    "shared formula": lambda d: re.sub(rb"<f>([^<]*)</f>", rb'<f t="shared" ref="A1" si="0">\1</f>', d, count=1),
    "rich text": lambda d: re.sub(
        rb"<is><t>([^<]*)</t></is>", rb"<is><r><t>\1</t></r><r><t>!</t></r></is>", d, count=1
    ),
    "phonetic run": lambda d: re.sub(rb"</t></is>", rb"</t><rPh sb='0' eb='1'><t>x</t></rPh></is>", d, count=1),
    "repeated attribute": lambda d: re.sub(rb'<row r="(\d+)"', rb'<row r="\1" r="\1"', d, count=1),
    "single quotes": lambda d: re.sub(rb'<c r="([A-Z]+\d+)"', rb"<c r='\1'", d, count=1),
    "carriage return between tags": lambda d: d.replace(b"</c><c ", b"</c>\r\n  <c ", 3),
    "text between cells": lambda d: d.replace(b"</c><c ", b"</c>x<c ", 1),
    "cell without reference": lambda d: re.sub(rb'<c r="[A-Z]+\d+"', b"<c", d, count=1),
    "byte-order mark": lambda d: b"\xef\xbb\xbf" + d,
    "other encoding": lambda d: b'<?xml version="1.0" encoding="GBK"?>' + re.sub(rb"^<\?xml[^>]*\?>", b"", d),
    "sheetData in a comment": lambda d: d.replace(b"<sheetData>", b"<!--<sheetData></sheetData>--><sheetData>", 1),
    "invalid UTF-8": _first_cell(b"<row ", b'<row x="\xff" '),
    "cell outside a row": _first_cell(b"<row ", b'<c r="Z99"><v>1</v></c><row '),
    "unclosed row": lambda d: d.replace(b"</row>", b"", 1),
    "end tag mismatch": lambda d: d.replace(b"</v>", b"</w>", 1),
}


@pytest.mark.parametrize("change", sorted(HOSTILE))
def test_hostile_shapes_are_declined_and_read_as_the_full_reader_reads_them(
    corpus: list[Path], tmp_path: Path, change: str
) -> None:
    source = corpus[1]  # a filled workbook: numbers, text, formulas, inline strings
    with zipfile.ZipFile(source) as archive:
        original = archive.read(SCORECARD_PART)
    changed = HOSTILE[change](original)
    assert changed != original, f"{change}: the change did not apply"
    assert fast_cells(changed) is None, change
    target = tmp_path / "changed.xlsx"
    target.write_bytes(ooxml.rewrite_parts(source, {SCORECARD_PART: lambda _: changed}))
    assert_same(target)


def _indented(data: bytes) -> bytes:
    """The sheet as Gnumeric writes it: every tag of the cell data on its own indented line."""
    start, end = data.index(b"<sheetData>") + len(b"<sheetData>"), data.index(b"</sheetData>")
    region = re.sub(rb"(<(?:row|c |f|v|is|/is|/c|/row)[^>]*>)", rb"\n    \1", data[start:end])
    region = re.sub(rb"(<(?:t)[ >])", rb"\n      \1", region).replace(b"<t/>", b"\n      <t/>")
    return data[:start] + region + b"\n  " + data[end:]


def test_whitespace_between_tags_takes_the_fast_path_and_reads_as_the_parser_does(
    corpus: list[Path], tmp_path: Path
) -> None:
    for number, source in enumerate(corpus[:2]):
        with zipfile.ZipFile(source) as archive:
            original = archive.read(SCORECARD_PART)
        changed = _indented(original)
        assert changed.count(b"\n") > 400  # every row and cell tag moved
        assert fast_cells(changed) is not None
        target = tmp_path / f"indented{number}.xlsx"
        target.write_bytes(ooxml.rewrite_parts(source, {SCORECARD_PART: lambda _, c=changed: c}))
        assert_same(target)


def test_references_and_entities_are_resolved_as_the_parser_does(corpus: list[Path], tmp_path: Path) -> None:
    source = corpus[1]
    with zipfile.ZipFile(source) as archive:
        original = archive.read(SCORECARD_PART)
    text = "&#x4E2D;&#25991; &amp; &lt;&gt; &quot;&apos; &#x1F600; &#9;"
    changed = re.sub(rb"<is><t>[^<]*</t></is>", b"<is><t>" + text.encode() + b"</t></is>", original, count=1)
    assert fast_cells(changed) is not None  # character references are the narrow shape: openpyxl writes them
    target = tmp_path / "refs.xlsx"
    target.write_bytes(ooxml.rewrite_parts(source, {SCORECARD_PART: lambda _: changed}))
    assert_same(target)
    assert any(c.value == "中文 & <> \"' \U0001f600 \t" for c in read_workbook(target).cells.values())


@pytest.mark.libreoffice
def test_workbooks_saved_by_libreoffice_and_gnumeric_read_the_same(corpus: list[Path], tmp_path: Path) -> None:
    from tests.lo import recalculate

    saved = recalculate(corpus, tmp_path / "lo")
    if shutil.which("ssconvert"):
        (tmp_path / "gnumeric").mkdir(exist_ok=True)
        pairs = [(source, tmp_path / "gnumeric" / source.name) for source in corpus[:4]]
        save_with_gnumeric(pairs)
        saved += [target for _, target in pairs]
    taken = 0
    for path in saved:
        with zipfile.ZipFile(path) as archive:
            taken += fast_cells(archive.read(SCORECARD_PART)) is not None
        assert_same(path)
    assert taken >= len(corpus)  # LibreOffice's own shape takes the fast path


@pytest.mark.parametrize("change", sorted(HOSTILE))
def test_a_hostile_shape_is_declined_even_when_every_row_around_it_was_read_before(
    corpus: list[Path], change: str
) -> None:
    """The rows and cells already read are remembered (kpibook.sheet_cells._Kept); a change
    must still be declined on a second and third reading, with the memory warm."""
    with zipfile.ZipFile(corpus[1]) as archive:
        original = archive.read(SCORECARD_PART)
    assert fast_cells(original) is not None  # every row and cell of the original now remembered
    changed = HOSTILE[change](original)
    assert fast_cells(changed) is None, change
    assert fast_cells(changed) is None, change
    assert fast_cells(original) is not None


def test_remembered_rows_give_the_same_cells_as_a_first_reading(corpus: list[Path]) -> None:
    from kpibook import sheet_cells

    for path in corpus:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(SCORECARD_PART)
        warm = fast_cells(data)
        sheet_cells._rows.clear()
        sheet_cells._cells.clear()
        cold = fast_cells(data)
        assert warm is not None and cold is not None
        assert warm.cells == cold.cells and warm.rest == cold.rest, path


# each: a change a forger might make that stays inside the narrow shape (the audit catches it;
# the fast path must read it exactly as the full reader does)
TAMPERED: dict[str, Callable[[bytes], bytes]] = {
    "formula changed": lambda d: re.sub(rb"<f>([^<]*)</f>", rb"<f>100</f>", d, count=1),
    "cached value changed": lambda d: re.sub(rb"(</f><v>)[^<]*(</v>)", rb"\g<1>120\2", d, count=1),
    "style (lock) changed": lambda d: re.sub(rb'(<c r="[A-Z]+\d+" s=")\d+(")', rb"\g<1>0\2", d, count=5),
    "text changed": lambda d: re.sub(
        rb"<is><t>[^<]*</t></is>", "<is><t>改过 &amp; changed</t></is>".encode(), d, count=2
    ),
    "number typed as text": lambda d: re.sub(
        rb'<c r="(H\d+)"([^>]*)><v>([^<]*)</v>', rb'<c r="\1"\2 t="inlineStr"><is><t>\3</t></is>', d, count=1
    ),
}


@pytest.mark.parametrize("change", sorted(TAMPERED))
def test_tampered_workbooks_take_the_fast_path_and_read_as_the_full_reader_reads_them(
    corpus: list[Path], tmp_path: Path, change: str
) -> None:
    source = corpus[1]
    with zipfile.ZipFile(source) as archive:
        original = archive.read(SCORECARD_PART)
    changed = TAMPERED[change](original)
    assert changed != original, f"{change}: the change did not apply"
    assert fast_cells(changed) is not None, change
    target = tmp_path / "tampered.xlsx"
    target.write_bytes(ooxml.rewrite_parts(source, {SCORECARD_PART: lambda _: changed}))
    assert_same(target)


def test_a_damaged_part_is_refused_with_the_parser_s_own_words_about_the_whole_part(
    corpus: list[Path], tmp_path: Path
) -> None:
    """The rest of the part (its cell data cut out) is parsed first; a fault in it must still be
    told with the line and column of the file, as the full reader tells it."""
    source = corpus[1]
    with zipfile.ZipFile(source) as archive:
        original = archive.read(SCORECARD_PART)
    changed = original.replace(b"<pageMargins ", b"<pageMargins <", 1)
    assert changed != original and fast_cells(changed) is not None  # the cell data itself is fine
    target = tmp_path / "damaged.xlsx"
    target.write_bytes(ooxml.rewrite_parts(source, {SCORECARD_PART: lambda _: changed}))
    fast, full = both_readers(target)
    assert fast == full and fast[0] == "refused", fast
