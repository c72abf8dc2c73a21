"""kpibook.read: the fast reader of returned workbooks, and its refusals of hostile files.

Good files: generated ones (inline strings), workbooks with shared strings, rich text, shared
formulas, cells without an r attribute, a renamed scorecard. Bad files are small crafted ones,
one per refusal; each must be refused by its cheap check with the right code, quickly.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kpibook.generate import generate, holds_entries
from kpibook.read import UnreadableWorkbook, WorkbookData, parse_name_ref, read_workbook
from kpibook.scoring import ExcelError
from kpibook.spec import Spec
from tests.common import read_entries
from tests.test_audit import ROSTER, SCORECARD_PART, WORKBOOK_PART, read_parts, rewrite

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(ROSTER, "2026Q4", out, spec=spec)
    return sorted(out.rglob("E1001_*.xlsx"))[0]


def refused(path: Path, **limits: int) -> UnreadableWorkbook:
    started = time.perf_counter()
    with pytest.raises(UnreadableWorkbook) as info:
        read_workbook(path, **limits)
    assert time.perf_counter() - started < 2.0, "a refusal must be cheap"
    assert info.value.message and "Traceback" not in info.value.message
    return info.value


def zip_bytes(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Reading good files
# ---------------------------------------------------------------------------------------------


def test_reads_a_generated_workbook(workbook: Path) -> None:
    data = read_workbook(workbook)
    assert isinstance(data, WorkbookData)
    assert data.sheet_names == ["Scorecard", "Instructions", "Audit", "_kpibook"]
    assert data.sheet_states["_kpibook"] == "hidden"
    assert data.scorecard == "Scorecard"
    assert data.metadata["employee_id"] == "E1001" and data.metadata["employee_name"] == "王芳"
    assert data.metadata_cells["employee_id"] == "B7"
    assert data.names["total_score"] == "Scorecard!$I$25"
    assert data.ref("kpi_sm_revenue_actual") == "H8" and data.ref("no_such_name") == ""
    assert data.value("kpi_sm_revenue_target") == 6_000_000.0  # the roster's override
    assert data.value("total_score") == "" and data.value("grade") == ""  # the blank workbook's caches
    assert data.value("inputs_missing") == 10.0
    score = data.cells["I8"]
    assert score.formula is not None and score.formula.startswith('IF(H8="","",') and score.locked
    assert not data.cells["H8"].locked and data.cells["H8"].value is None
    assert data.sheet_protection == {"Scorecard": True, "Instructions": True, "Audit": True, "_kpibook": True}
    assert data.structure_locked and not data.external_links
    assert {v["sqref"] for v in data.validations} == {f"H{r}" for r in range(8, 18)}
    assert data.app.startswith("Microsoft Excel Compatible")
    assert len(data.sha256) == 64 and data.size == workbook.stat().st_size


def test_read_entries_for_generate_force(spec: Spec, workbook: Path, tmp_path: Path) -> None:
    from kpibook.fill import fill_workbook

    assert not holds_entries(workbook)
    assert all(v is None for v in read_entries(workbook).values())
    assert "Scorecard!H8" in read_entries(workbook)
    signed = fill_workbook(workbook, tmp_path / "signed.xlsx", spec, {}, comments=None)
    assert not holds_entries(signed)
    filled = fill_workbook(workbook, tmp_path / "filled.xlsx", spec, {"sm_revenue": 4_500_000})
    assert read_entries(filled)["Scorecard!H8"] == 4_500_000.0
    assert holds_entries(filled)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"garbage")
    assert holds_entries(junk)  # unreadable: never overwritten


def test_shared_strings_rich_text_and_types(workbook: Path, tmp_path: Path) -> None:
    """Cells as Excel writes them: shared strings (one of them rich text with a phonetic run),
    booleans, errors, formula string results, cells without an r attribute."""
    strings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>N/A</t></si><si><r><rPr><b/></rPr><t>王</t>'
        '</r><r><t xml:space="preserve">芳 &amp; co</t></r><rPh sb="0" eb="1"><t>wang</t></rPh></si>'
        "<si><t/></si></sst>"
    ).encode()

    def sheet(xml: bytes) -> bytes:
        xml = xml.replace(b'<c r="H8" s="11" t="n"></c>', b'<c r="H8" s="11" t="s"><v>0</v></c>')
        xml = xml.replace(b'<c r="L8" s="13" t="n"></c>', b'<c r="L8" s="13" t="s"><v>1</v></c>')
        return xml.replace(
            b"</sheetData>",
            b'<row r="40"><c r="A40" t="b"><v>1</v></c><c t="e"><v>#DIV/0!</v></c>'
            b'<c t="s"><v>2</v></c><c><f>1+1</f><v>2</v></c></row></sheetData>',
        )

    def rels(xml: bytes) -> bytes:
        return xml.replace(
            b"</Relationships>",
            b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml" Id="rId77"/></Relationships>',
        )

    path = rewrite(
        workbook,
        tmp_path / "strings.xlsx",
        {SCORECARD_PART: sheet, "xl/_rels/workbook.xml.rels": rels},
        add={"xl/sharedStrings.xml": strings},
    )
    data = read_workbook(path)
    assert data.cells["H8"].value == "N/A"
    assert data.cells["L8"].value == "王芳 & co"  # runs joined, the phonetic reading left out
    assert data.cells["A40"].value is True
    assert data.cells["B40"].value == ExcelError("#DIV/0!")
    assert data.cells["C40"].value == ""
    assert data.cells["D40"].formula == "1+1" and data.cells["D40"].value == 2.0


def test_shared_formulas_are_expanded(workbook: Path, tmp_path: Path) -> None:
    """Excel writes a filled-down column once, in its first cell; every other cell gets the
    first cell's formula with its relative references moved."""

    def sheet(xml: bytes) -> bytes:
        import re

        for row in range(8, 18):
            pattern = rb'(<c r="J%d"[^>]*>)<f>.*?</f>' % row
            head = (
                b'<f t="shared" ref="J8:J17" si="3">IF(ISNUMBER(I8),I8*F8/100,0)</f>'
                if row == 8
                else b'<f t="shared" si="3"/>'
            )
            xml = re.sub(pattern, lambda m, head=head: m.group(1) + head, xml, count=1, flags=re.S)
        return xml

    data = read_workbook(rewrite(workbook, tmp_path / "shared.xlsx", {SCORECARD_PART: sheet}))
    assert data.cells["J8"].formula == "IF(ISNUMBER(I8),I8*F8/100,0)"
    assert data.cells["J13"].formula == "IF(ISNUMBER(I13),I13*F13/100,0)"
    assert data.cells["J17"].formula == "IF(ISNUMBER(I17),I17*F17/100,0)"


def test_renamed_scorecard_is_found_through_the_names(workbook: Path, tmp_path: Path) -> None:
    def book(xml: bytes) -> bytes:
        return (
            xml.replace(b'name="Scorecard"', 'name="Bob\'s 表"'.encode())
            .replace(b">Scorecard!", ">'Bob''s 表'!".encode())
            .replace(b">'Scorecard'!", ">'Bob''s 表'!".encode())
        )

    data = read_workbook(rewrite(workbook, tmp_path / "renamed.xlsx", {WORKBOOK_PART: book}))
    assert data.scorecard == "Bob's 表"
    assert data.ref("total_score") == "I25" and data.value("inputs_missing") == 10.0
    assert parse_name_ref("'Bob''s 表'!$H$8") == ("Bob's 表", "H8")
    assert parse_name_ref("Scorecard!$H$8:$H$9") is None


def test_reading_is_fast(workbook: Path) -> None:
    read_workbook(workbook)
    started = time.perf_counter()
    for _ in range(20):
        read_workbook(workbook)
    per_file = (time.perf_counter() - started) / 20
    assert per_file < 0.03, f"{per_file * 1000:.1f} ms per workbook"


# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert refused(path).code == "empty"


def test_legacy_xls(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 512
    )
    error = refused(path)
    assert error.code == "legacy_xls" and "save as" in error.message.lower()


def test_password_protected(tmp_path: Path) -> None:
    """An encrypted xlsx is an OLE2 container holding an EncryptedPackage stream."""
    path = tmp_path / "locked.xlsx"
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 40 + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016 + directory + b"\x00" * 1000)
    error = refused(path)
    assert error.code == "password_protected" and "remove the password" in error.message


@pytest.mark.parametrize(
    "content",
    [
        "employee_id,name,actual\nE1001,王芳,4500000\n".encode(),
        "employee_id,name\r\nE1001,王芳\r\n".encode("gb18030"),
        "\ufeffemployee_id\tname\n".encode("utf-16"),
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    ],
)
def test_text_renamed_xlsx(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(content)
    error = refused(path)
    assert error.code == "text_file" and "CSV" in error.message


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    assert refused(path).code == "not_xlsx"


def test_truncated_zip(workbook: Path, tmp_path: Path) -> None:
    data = workbook.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    error = refused(path)
    assert error.code == "truncated" and "send it again" in error.message


def test_damaged_member(workbook: Path, tmp_path: Path) -> None:
    parts = read_parts(workbook)
    parts = [(n, d[: len(d) // 2] if n == SCORECARD_PART else d) for n, d in parts]
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(zip_bytes(parts))
    assert refused(path).code == "damaged"


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(
        zip_bytes([("[Content_Types].xml", CONTENT_TYPES), ("xl/worksheets/sheet1.xml", b"\x00" * 20_000_000)])
    )
    assert path.stat().st_size < 100_000
    error = refused(path)
    assert error.code == "zip_bomb" and "expands" in error.message


def test_zip_bomb_by_total_size(workbook: Path, tmp_path: Path) -> None:
    error = refused(workbook, max_uncompressed=50_000)
    assert error.code == "zip_bomb"


def test_too_many_members(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    path.write_bytes(zip_bytes([(f"x/{i}.xml", b"<a/>") for i in range(1_500)]))
    assert refused(path).code == "zip_bomb"


def test_file_too_large(workbook: Path) -> None:
    assert refused(workbook, max_bytes=10_000).code == "too_large"


def test_billion_laughs(workbook: Path, tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
        b'&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        b"]>"
    )

    path = rewrite(
        workbook,
        tmp_path / "laughs.xlsx",
        {WORKBOOK_PART: lambda x: laughs + x.replace(b'name="employee_id">', b'name="employee_id">&lol3;')},
    )
    error = refused(path)
    assert error.code == "xml_entities"
    # the same in UTF-16, where a byte search for "<!DOCTYPE" would miss it
    utf16 = rewrite(
        workbook,
        tmp_path / "laughs16.xlsx",
        {
            "docProps/app.xml": lambda x: (
                (laughs.decode() + x.decode())
                .replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
                .encode("utf-16")
            )
        },
    )
    assert refused(utf16).code == "xml_entities"


def test_external_entity(workbook: Path, tmp_path: Path) -> None:
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    path = rewrite(workbook, tmp_path / "xxe.xlsx", {SCORECARD_PART: lambda x: xxe + x})
    assert refused(path).code == "xml_entities"


def test_duplicate_members(workbook: Path, tmp_path: Path) -> None:
    parts = read_parts(workbook)
    forged = next(d for n, d in parts if n == SCORECARD_PART).replace(b"<v>6000000.0</v>", b"<v>1.0</v>")
    path = tmp_path / "twice.xlsx"
    with pytest.warns(UserWarning, match="Duplicate name"):
        path.write_bytes(zip_bytes(parts + [(SCORECARD_PART, forged)]))
    error = refused(path)
    assert error.code == "duplicate_member" and SCORECARD_PART in error.message


def test_duplicate_members_differing_in_case(workbook: Path, tmp_path: Path) -> None:
    """Part names are case-insensitive: a second "XL/Worksheets/Sheet1.xml" is the same part."""
    parts = read_parts(workbook)
    path = tmp_path / "twice.xlsx"
    path.write_bytes(zip_bytes(parts + [("XL/Worksheets/Sheet1.xml", dict(parts)[SCORECARD_PART])]))
    assert refused(path).code == "duplicate_member"


def test_encoding_that_hides_a_doctype(workbook: Path, tmp_path: Path) -> None:
    """UTF-7 writes "<!DOCTYPE" as "+ADw-!DOCTYPE": a part declaring such an encoding is refused."""
    utf7 = b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE x +AFs-+ADw-!ENTITY a "b"+AD4-+AF0-+AD4-'
    path = rewrite(workbook, tmp_path / "utf7.xlsx", {"docProps/app.xml": lambda x: utf7 + x})
    error = refused(path)
    assert error.code == "damaged" and "UTF-7" in error.message


def test_huge_dimension(workbook: Path, tmp_path: Path) -> None:
    path = rewrite(
        workbook,
        tmp_path / "huge.xlsx",
        {SCORECARD_PART: lambda x: x.replace(b'<dimension ref="A1:AJ33"/>', b'<dimension ref="A1:XFD1048576"/>')},
    )
    error = refused(path)
    assert error.code == "too_many_cells" and "A1:XFD1048576" in error.message
    nonsense = rewrite(
        workbook,
        tmp_path / "nonsense.xlsx",
        {SCORECARD_PART: lambda x: x.replace(b'<dimension ref="A1:AJ33"/>', b'<dimension ref="A1:ZZZZ99999999"/>')},
    )
    assert refused(nonsense).code == "too_many_cells"


def test_too_many_cells(workbook: Path) -> None:
    assert refused(workbook, max_cells=100).code == "too_many_cells"


def test_macro_workbook(workbook: Path, tmp_path: Path) -> None:
    with_vba = rewrite(
        workbook, tmp_path / "macro.xlsx", {}, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60}
    )
    error = refused(with_vba)
    assert error.code == "macro_workbook" and "VBA project, /xl/vbaProject.bin" in error.message
    xlsm_type = rewrite(
        workbook,
        tmp_path / "macro2.xlsx",
        {
            "[Content_Types].xml": lambda x: x.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        },
    )
    error = refused(xlsm_type)
    assert error.code == "macro_workbook" and "/xl/workbook.xml" in error.message and "VBA" not in error.message


def test_a_default_for_bin_is_not_a_macro(workbook: Path, tmp_path: Path) -> None:
    """SheetJS declares every `.bin` a VBA project in [Content_Types].xml, with no such part:
    the workbook is as macro-free as before."""
    sheetjs_like = rewrite(
        workbook,
        tmp_path / "sheetjs.xlsx",
        {
            "[Content_Types].xml": lambda x: x.replace(
                b"<Default ",
                b'<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
                b"<Default ",
                1,
            )
        },
    )
    assert b"macroEnabled" in zipfile.ZipFile(sheetjs_like).read("[Content_Types].xml")
    assert read_workbook(sheetjs_like).scorecard  # read, not refused as macro-enabled


def test_opendocument(tmp_path: Path) -> None:
    path = tmp_path / "calc.xlsx"
    path.write_bytes(
        zip_bytes(
            [
                ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                ("content.xml", b"<office:document-content/>"),
            ],
            zipfile.ZIP_STORED,
        )
    )
    error = refused(path)
    assert error.code == "ods" and ".xlsx" in error.message


def test_not_a_kpibook_workbook(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "budget"
    wb.save(path)
    error = refused(path)
    assert error.code == "not_kpibook" and "kpibook generated" in error.message


def test_a_folder_or_pipe_named_xlsx(tmp_path: Path) -> None:
    """Not regular files: refused on their file type, never opened (reading a pipe would block)."""
    import os

    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert refused(folder).code == "not_xlsx"
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.xlsx"
        os.mkfifo(pipe)
        assert refused(pipe).code == "not_xlsx"
