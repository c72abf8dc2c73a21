"""Writing spreadsheet XML by hand: cell elements, a date cell style, and rewriting parts of an .xlsx zip.

openpyxl writes kpibook's workbooks, but some parts are finished afterwards at the byte level:
the builder stores the blank workbook's cached values and stamps each employee's copy, the
demo filler types actuals as a manager would, the summary puts its bulk rows and the
Overview's cached values in, and the xlwings setup declares a package macro-enabled. Every
one of them writes cells and zips through this module, so each rule of the file format (how
a number is spelt, how text is escaped, which cell type a value gets) is written once (as
XlsxWriter keeps its XML writing in xmlwriter.py and its zipping in packager.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kpibook.scoring import ExcelError

# Excel reads _x0041_ in a string as "A": a literal one is written with its underscore escaped
_ESCAPED_CHAR = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def sheet_names(path: Path) -> list[str] | None:
    """The sheet names of the .xlsx at `path`, in order; None when it is not a readable .xlsx
    (used to recognise kpibook's own outputs before replacing them)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 1_000_000:
                return None
            workbook = archive.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None
    names = re.findall(rb'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', workbook)
    return [n.decode("utf-8", "replace") for n in names]


def number_text(value: float) -> str:
    """A number as a <v> element holds it: whole numbers below 1e15 without a decimal point
    (as Excel writes them), anything else in Python's shortest round-trip form."""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def escape(text: str) -> str:
    """Text as XML character data (the same escaping as xml.sax.saxutils.escape)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def literal_underscores(text: str) -> str:
    """Text whose _xHHHH_ sequences Excel shows as they are, instead of decoding them."""
    return _ESCAPED_CHAR.sub(r"_x005F_\1", text)


def cell(ref: str, value: object, attributes: bytes = b"", formula: bytes | None = None) -> bytes:
    """A <c> element holding `value`, with `attributes` (e.g. b' s="3"') and, when given, the
    formula element (b"<f>...</f>", whole) whose cached value `value` is.

    None or "" without a formula is an empty cell; a number (not a bool) a plain <v>; a bool
    t="b"; an ExcelError t="e"; text t="str" beside a formula, else an inline string."""
    r = ref.encode()
    f = formula or b""
    if formula is None and (value is None or value == ""):
        return b'<c r="%s"%s/>' % (r, attributes)
    if isinstance(value, ExcelError):
        return b'<c r="%s"%s t="e">%s<v>%s</v></c>' % (r, attributes, f, value.code.encode())
    if isinstance(value, bool):
        return b'<c r="%s"%s t="b">%s<v>%d</v></c>' % (r, attributes, f, int(value))
    if isinstance(value, (int, float)):
        return b'<c r="%s"%s>%s<v>%s</v></c>' % (r, attributes, f, number_text(value).encode())
    text = escape("" if value is None else str(value)).encode()
    if formula is not None:
        return b'<c r="%s"%s t="str">%s<v>%s</v></c>' % (r, attributes, f, text)
    return inline_string(ref, str(value), attributes)


# A formula cell as openpyxl, LibreOffice and kpibook write it: reference, other attributes, the
# <f> element (or an empty shared-formula one), and an optional cached value.
FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"([^>]*)>(<f[^>]*>.*?</f>|<f[^>]*/>)(?:<v>[^<]*</v>|<v\s*/>|<v\s*>\s*</v>)?\s*</c>', re.S
)
_TYPE_ATTRIBUTE = re.compile(rb'\st="[^"]*"')


def cache_formulas(data: bytes, value_of: Callable[[str], object], strict: bool = False) -> bytes:
    """A sheet's XML with `value_of(ref)` cached beside every formula (a number as a number,
    anything else as text, None as empty text). A cell for which `value_of` raises KeyError is
    left as it is; with `strict` that is a writer's bug and the KeyError propagates.

    Readers that do not calculate (previewers, pandas, Protected View) show only these values;
    spreadsheets recalculate anyway (fullCalcOnLoad)."""

    def fill(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        try:
            value = value_of(ref)
        except KeyError:
            if strict:
                raise
            return m.group(0)
        if not isinstance(value, (int, float, ExcelError)) or isinstance(value, bool):
            value = "" if value is None else str(value)
        return cell(ref, value, _TYPE_ATTRIBUTE.sub(b"", m.group(2)), m.group(3))

    return FORMULA_CELL.sub(fill, data)


def uncache_formulas(data: bytes) -> bytes:
    """A sheet's XML with the cached values of its formulas removed (stale after an input was
    typed into the file: a reader that does not calculate must not show them)."""
    return FORMULA_CELL.sub(
        lambda m: b'<c r="%s"%s>%s</c>' % (m.group(1), _TYPE_ATTRIBUTE.sub(b"", m.group(2)), m.group(3)), data
    )


def inline_string(ref: str, text: str, attributes: bytes = b"") -> bytes:
    """A text cell stored in the sheet itself (no shared-strings part), spaces kept."""
    body = escape(text).encode()
    return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref.encode(), attributes, body)


# ---------------------------------------------------------------------------------------------
# The zip
# ---------------------------------------------------------------------------------------------

Part = tuple[zipfile.ZipInfo | str, bytes]  # (member, bytes): a ZipInfo keeps the member's date


def read_parts(xlsx: bytes | Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every member of a zip, in order, with its bytes."""
    source = io.BytesIO(xlsx) if isinstance(xlsx, bytes) else xlsx
    with zipfile.ZipFile(source) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def write_parts(parts: Iterable[Part], compresslevel: int | None = None) -> bytes:
    """A zip of `parts`, in the order given, every member deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in parts:
            archive.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
    return buffer.getvalue()


def rewrite_parts(
    xlsx: bytes | Path, changes: Mapping[str, Callable[[bytes], bytes]], compresslevel: int | None = None
) -> bytes:
    """The same zip with the named members passed through their change; every other member's
    bytes, and every member's order and date, stay as they were."""
    parts = read_parts(xlsx)
    return write_parts(
        ((info, changes[info.filename](data) if info.filename in changes else data) for info, data in parts),
        compresslevel,
    )


# ---------------------------------------------------------------------------------------------
# Zips assembled from members deflated once (generate's hot path)
# ---------------------------------------------------------------------------------------------
# A role's unchanging parts are the same bytes in every employee's workbook, so they are
# deflated once and their compressed bytes copied into every zip. zipfile cannot take
# precompressed data through its public API, so the zip records are written here, to the
# layout of APPNOTE.TXT 4.3 (no zip64: a part is far below 4 GB) and with the same field
# values zipfile.writestr gives a str member (made by Unix, version 2.0, mode 0600).

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DEFLATED_VERSION = 20
_UNIX = 3
_MODE_0600 = 0o600 << 16
_UTF8_NAME = 0x800


@dataclass(frozen=True)
class Deflated:
    """One zip member already compressed: its raw deflate stream with the CRC-32 and size
    of the bytes it inflates to."""

    name: str
    crc: int
    size: int
    data: bytes


def deflate(name: str, data: bytes, level: int = 6) -> Deflated:
    """`data` as a raw deflate stream (no zlib header), the form a zip member stores."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Deflated(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time[:6]
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def zip_deflated(members: Iterable[Deflated], date_time: tuple[int, ...] | None = None) -> bytes:
    """A zip of `members` in the order given, every one stored as the deflate stream it
    carries, dated `date_time` (default: now, local time, as zipfile.writestr dates a member)."""
    dostime, dosdate = _dos_time(date_time or time.localtime()[:6])
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        fields = (8, dostime, dosdate, member.crc, len(member.data), member.size, len(name))
        header = _LOCAL.pack(b"PK\x03\x04", _DEFLATED_VERSION, 0, flags, *fields, 0)
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                _DEFLATED_VERSION,
                _UNIX,
                _DEFLATED_VERSION,
                0,
                flags,
                *fields,
                0,
                0,
                0,
                0,
                _MODE_0600,
                offset,
            )
            + name
        )
        chunks += (header, name, member.data)
        offset += len(header) + len(name) + len(member.data)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end


# ---------------------------------------------------------------------------------------
# Dates: a cell style that shows a date serial as yyyy-mm-dd in every locale
# ---------------------------------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 in the 1900 date system
_NUM_FMTS = re.compile(rb'<numFmts count="(\d+)">(.*?)</numFmts>', re.S)
_CELL_XFS = re.compile(rb'<cellXfs count="(\d+)">(.*?)</cellXfs>', re.S)


def with_date_style(styles: bytes) -> tuple[bytes, bytes]:
    """styles.xml with one more cell style, the date format yyyy-mm-dd (the same in every
    locale, unlike the built-in short date), and that style's index."""
    formats = _NUM_FMTS.search(styles)
    used = [int(i) for i in re.findall(rb'numFmtId="(\d+)"', formats.group(0))] if formats else []
    format_id = max([163, *used]) + 1  # custom formats start at 164
    entry = b'<numFmt numFmtId="%d" formatCode="yyyy\\-mm\\-dd"/>' % format_id
    if formats:
        count = int(formats.group(1)) + 1
        styles = styles.replace(
            formats.group(0), b'<numFmts count="%d">%s%s</numFmts>' % (count, formats.group(2), entry), 1
        )
    else:
        opening = re.search(rb"<styleSheet[^>]*>", styles)
        assert opening is not None
        styles = styles[: opening.end()] + b'<numFmts count="1">%s</numFmts>' % entry + styles[opening.end() :]
    match = _CELL_XFS.search(styles)
    assert match is not None, "openpyxl always writes cellXfs"
    index = int(match.group(1))
    xf = b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' % format_id
    replaced = b'<cellXfs count="%d">%s%s</cellXfs>' % (index + 1, match.group(2), xf)
    return styles[: match.start()] + replaced + styles[match.end() :], str(index).encode()
