"""kpibook.ooxml: the one place cell XML and zip rewriting are written, checked against openpyxl
reading what it writes (a real reader of the format, not our own parser)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from kpibook import ooxml
from kpibook.scoring import ExcelError


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (100.0, "100"),
        (-3, "-3"),
        (0.1, "0.1"),
        (123456789012345.0, "123456789012345"),
        (1e15, "1000000000000000.0"),  # the guard: from 1e15 on, the float spelling
        (1e20, "1e+20"),
        (2.5e-7, "2.5e-07"),
    ],
)
def test_number_text(value: float, text: str) -> None:
    assert ooxml.number_text(value) == text
    assert float(text) == value


@pytest.mark.parametrize(
    ("value", "formula", "xml"),
    [
        (None, None, b'<c r="B2" s="1"/>'),
        ("", None, b'<c r="B2" s="1"/>'),
        (7.5, None, b'<c r="B2" s="1"><v>7.5</v></c>'),
        (True, None, b'<c r="B2" s="1" t="b"><v>1</v></c>'),
        (ExcelError("#DIV/0!"), b"<f>1/0</f>", b'<c r="B2" s="1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'),
        ("A&B", b"<f>X1</f>", b'<c r="B2" s="1" t="str"><f>X1</f><v>A&amp;B</v></c>'),
        ("", b"<f>X1</f>", b'<c r="B2" s="1" t="str"><f>X1</f><v></v></c>'),
        (" <x> ", None, b'<c r="B2" s="1" t="inlineStr"><is><t xml:space="preserve"> &lt;x&gt; </t></is></c>'),
    ],
)
def test_cell(value: object, formula: bytes | None, xml: bytes) -> None:
    assert ooxml.cell("B2", value, b' s="1"', formula) == xml


def test_literal_underscores() -> None:
    assert ooxml.literal_underscores("a_x0041_b") == "a_x005F_x0041_b"
    assert ooxml.literal_underscores("a_x41_b") == "a_x41_b"


def _workbook() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "keep"
    wb.create_sheet("Other")["A1"] = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_rewrite_parts_changes_only_the_named_part_and_openpyxl_reads_the_cells() -> None:
    original = _workbook()
    row = b"".join(
        [
            b'<row r="2">',
            ooxml.cell("A2", 1e15),
            ooxml.cell("B2", " spaced & <text> "),
            ooxml.cell("C2", False),
            b"</row>",
        ]
    )

    def add_row(xml: bytes) -> bytes:
        head, tail = xml.rsplit(b"</sheetData>", 1)
        return head + row + b"</sheetData>" + tail

    rewritten = ooxml.rewrite_parts(original, {"xl/worksheets/sheet1.xml": add_row})
    before, after = ooxml.read_parts(original), ooxml.read_parts(rewritten)
    assert [i.filename for i, _ in before] == [i.filename for i, _ in after]
    for (info, old), (_, new) in zip(before, after, strict=True):
        assert (old == new) is (info.filename != "xl/worksheets/sheet1.xml")
    assert [(i.filename, i.date_time) for i, _ in before] == [(i.filename, i.date_time) for i, _ in after]
    with zipfile.ZipFile(io.BytesIO(rewritten)) as archive:
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
    ws = openpyxl.load_workbook(io.BytesIO(rewritten)).active
    assert [c.value for c in ws[2]] == [1e15, " spaced & <text> ", False]
    assert ws["A1"].value == "keep"


def test_cache_formulas_puts_values_beside_formulas_and_can_take_them_away() -> None:
    """The one rule for cached values (scorecards, summary, calibration, year)."""
    from kpibook.ooxml import cache_formulas, uncache_formulas

    sheet = b'<row r="1"><c r="A1" s="2"><f>1+1</f><v></v></c><c r="B1"><f>"x"</f><v/></c><c r="C1"><v>3</v></c></row>'
    cached = cache_formulas(sheet, {"A1": 2, "B1": "x"}.__getitem__)
    assert b'<c r="A1" s="2"><f>1+1</f><v>2</v></c>' in cached
    assert b'<c r="B1" t="str"><f>"x"</f><v>x</v></c>' in cached
    assert b'<c r="C1"><v>3</v></c>' in cached  # not a formula: untouched
    partly = cache_formulas(sheet, {"A1": 2}.__getitem__)
    assert b'<c r="B1"><f>"x"</f><v/></c>' in partly  # no value given: left as it was
    with pytest.raises(KeyError):
        cache_formulas(sheet, {"A1": 2}.__getitem__, strict=True)
    assert uncache_formulas(cached) == sheet.replace(b"<v></v>", b"").replace(b"<v/>", b"")
