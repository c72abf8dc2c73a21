"""A strict fast reader for the cells of a sheet part, used before the hardened XML parser.

Walking a scorecard's ~470 cells through lxml costs more than unzipping the whole workbook.
Yet kpibook, Excel, LibreOffice and WPS write the <sheetData> of a sheet in one narrow shape:
rows of <c r="A1" s="3" t="s"> cells holding an optional <f>, <v> and <is><t>, attributes in
double quotes, no whitespace between tags. `fast_cells` reads exactly that shape with regular
expressions and returns None for anything else, so the caller hands the part to the full
hardened reader instead: namespace prefixes or declarations, CDATA, comments, processing
instructions, entities other than XML's five and character references (openpyxl writes every
Chinese character as one), references to characters XML forbids, control characters, raw
carriage returns, shared
formulas, rich text, phonetic runs, cells without a reference, a non-UTF-8 encoding.

The work is done on the bytes, a row and a cell at a time, and remembered: a row or a cell
already read in this process (the labels, parameters and formulas every workbook of a role
shares, ~95% of a scorecard's cells) is not matched again. Each row and cell is still checked
to be exactly the narrow shape, so the result is the one a single pass over the region gives.

Only the <sheetData> content is read here. The caller parses the rest of the part (with the
content cut out: a small document) with the hardened parser, which also confirms that the
cut-out element really is the sheet's own <sheetData>; `tests/test_sheet_cells.py` checks on
every workbook of the test corpora that the two readers give the same cells.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from functools import lru_cache
from typing import NamedTuple

MAX_FAST_BYTES = 4 << 20  # larger cell data goes through the parser, whose limits then apply
ROWS_KEPT = 1024  # rows and cells remembered across workbooks (bounded: the worker stays flat)
CELLS_KEPT = 8192

# Checked on every row tag and cell not seen before (in C: substring searches, one character class).
_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f]|\xef\xbf[\xbe\xbf]")  # raw CR too; U+FFFE, U+FFFF
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_REFERENCE_BYTES = re.compile(rb"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_HEAD = re.compile(rb'<\?xml version="1\.0"(?: encoding="(?:[uU][tT][fF]-8)")?(?: standalone="(?:yes|no)")?\s*\?>')
# One row, after its "<row": attributes, then "/>" or ">" cells "</row>".
_ATTRS = rb'(?: [A-Za-z]{1,30}="[^"<&]*")*'
_ROW_TAG = re.compile(_ATTRS + rb"(/?)>")
# One cell, after its "<c ": the whole of it, "/>" or ">" <f> <v> <is><t> "</c>".
_CELL = re.compile(
    rb'r="([A-Z]{1,3}[1-9][0-9]{0,6})"(?: s="([0-9]{1,6})")?(?: t="([a-zA-Z]{1,9})")?'  # 1 ref, 2 s, 3 t
    rb"(?:/>|>"
    rb"(?:(<f" + _ATTRS + rb"(?:/>|>))(?:(?<=/>)|([^<]*)</f>))?"  # 4 the formula's start tag, 5 its text
    rb"(?:(<v/>|<v>)(?:(?<=/>)|([^<]*)</v>))?"  # 6 the value's start tag, 7 its text
    rb'(?:<is>(<t(?: xml:space="preserve")?(?:/>|>))(?:(?<=/>)|([^<]*)</t>)</is>)?'  # 8 inline text's tag, 9 text
    rb"</c>)"
)
_ATTR_NAME = re.compile(rb' ([A-Za-z]{1,30})="')
_SHARED = b' t="shared"'

# (ref, style index, t attribute or "n", formula text, <v> text, <is> text); None: no such element
RawCell = tuple[str, int, str, str | None, str | None, str | None]


class FastSheet(NamedTuple):
    rest: bytes  # the part with the <sheetData> content cut out, for the hardened parser
    cells: list[RawCell]


class _Kept(OrderedDict[bytes, tuple[RawCell, ...]]):
    """Rows or cells already read, by their bytes; the least recently used dropped first."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: bytes, value: tuple[RawCell, ...]) -> None:
        self[key] = value
        if len(self) > self.limit:
            self.popitem(last=False)


_rows = _Kept(ROWS_KEPT)
_cells = _Kept(CELLS_KEPT)


@lru_cache(maxsize=8192)  # bounded: the same labels come back in every workbook of a role
def unescape(text: str) -> str:
    """XML character data with its predefined entities and character references resolved."""
    return _REFERENCE.sub(_resolve, text) if "&" in text else text


def _resolve(m: re.Match[str]) -> str:
    named, decimal, hexadecimal = m.groups()
    if named:
        return _NAMED[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def _xml_char(code: int) -> bool:
    """A character XML 1.0 allows (the parser refuses a reference to any other)."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def _plain(piece: bytes) -> bool:
    """Valid UTF-8 with no construct outside the narrow shape: no control character, no "]]>",
    no namespace declaration, and every '&' starts a reference to an allowed character."""
    if b"]]>" in piece or b"xmlns" in piece or _CONTROL.search(piece):
        return False
    try:
        piece.decode("utf-8")  # the parser refuses invalid UTF-8 anywhere
    except UnicodeDecodeError:
        return False
    amps = piece.count(b"&")
    if not amps:
        return True
    references = _REFERENCE_BYTES.findall(piece)
    if len(references) != amps:
        return False  # an unknown entity, or a malformed reference
    return all(_xml_char(int(d) if d else int(h, 16)) for n, d, h in set(references) if not n)


def fast_cells(data: bytes) -> FastSheet | None:
    """The cells of a sheet part in the narrow shape, or None: read it with the full parser."""
    if data.startswith(b"<?xml"):
        if _HEAD.match(data) is None:
            return None
    elif not data.startswith(b"<"):
        return None  # a byte-order mark, leading space, UTF-16...
    start, end = data.find(b"<sheetData>"), data.find(b"</sheetData>")
    if start < 0 or end < start or data.count(b"sheetData") != 2:
        return None
    start += len(b"<sheetData>")
    if end - start > MAX_FAST_BYTES:
        return None
    cells = _scan(data[start:end])
    return None if cells is None else FastSheet(data[:start] + data[end:], cells)


def _scan(region: bytes) -> list[RawCell] | None:
    """Every cell of the region, which must be nothing but rows of cells in the narrow shape.
    Every byte of it belongs to a row tag or a cell checked by `_row` (comments, CDATA,
    processing instructions and other tags match neither), so the checks are made once per
    distinct row and cell, not once per workbook."""
    rows = region.split(b"<row")
    if rows[0]:
        return None  # something before the first row
    cells: list[RawCell] = []
    for row in rows[1:]:
        found = _rows.get(row)
        if found is None:
            read = _row(row)
            if read is None:
                return None
            _rows.keep(row, read)
            found = read
        cells += found
    return cells


def _row(row: bytes) -> tuple[RawCell, ...] | None:
    """The cells of one row (its bytes after "<row"), or None when it is not the narrow shape."""
    tag = _ROW_TAG.match(row)
    if tag is None or not _plain(row[: tag.end()]) or (tag.end() > 2 and _repeated_attribute(row[: tag.end()])):
        return None
    if tag.group(1):  # <row .../>: nothing may follow it
        return () if tag.end() == len(row) else None
    if not row.endswith(b"</row>"):
        return None
    pieces = row[tag.end() : -len(b"</row>")].split(b"<c ")
    if pieces[0]:
        return None  # something other than a cell inside the row
    cells: list[RawCell] = []
    for piece in pieces[1:]:
        cell = _cells.get(piece)
        if cell is None:
            read = _cell(piece)
            if read is None:
                return None
            cell = (read,)
            _cells.keep(piece, cell)
        cells += cell
    return tuple(cells)


def _cell(piece: bytes) -> RawCell | None:
    """One cell (its bytes after "<c "), or None when it is not the narrow shape."""
    m = _CELL.fullmatch(piece)
    if m is None or not _plain(piece):
        return None
    ref, style, kind, f_tag, f_text, v_tag, v_text, t_tag, t_text = m.groups()
    formula = raw = inline = None
    if f_tag is not None:
        if len(f_tag) > 4 and (_SHARED in f_tag or _repeated_attribute(f_tag)):
            return None  # a shared formula needs its master: the full reader expands it
        formula = _text(f_text)
    if v_tag is not None:
        raw = _text(v_text)
    if t_tag is not None:
        inline = _text(t_text)
    return (ref.decode(), int(style) if style else 0, kind.decode() if kind else "n", formula, raw, inline)


def _text(data: bytes | None) -> str:
    """An element's character data ("" for an empty element such as <v/>)."""
    if not data:
        return ""
    text = data.decode("utf-8")
    return unescape(text) if "&" in text else text


@lru_cache(maxsize=4096)  # bounded: row tags repeat from workbook to workbook
def _repeated_attribute(tag: bytes) -> bool:
    """True when an attribute appears twice (not well-formed XML: the parser refuses it)."""
    names = _ATTR_NAME.findall(tag)
    return len(names) != len(set(names))
