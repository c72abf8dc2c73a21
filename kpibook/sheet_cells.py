"""A strict fast reader for the cells of a sheet part, used before the hardened XML parser.

Walking a scorecard's ~470 cells through lxml costs more than unzipping the whole workbook.
Yet kpibook, Excel, LibreOffice and WPS write the <sheetData> of a sheet in one narrow shape:
rows of <c r="A1" s="3" t="s"> cells holding an optional <f>, <v> and <is><t>, attributes in
double quotes, at most spaces, tabs and line feeds between tags (Gnumeric indents). `fast_cells`
reads exactly that shape with regular expressions and returns None for anything else, so the
caller hands the part to the full hardened reader instead: namespace prefixes or declarations,
CDATA, comments, processing instructions, entities other than XML's five and character
references (openpyxl writes every Chinese character as one), references to characters XML
forbids, control characters, raw carriage returns, shared formulas, rich text, phonetic runs,
cells without a reference, a non-UTF-8 encoding.

The work is done on the bytes, a row and a cell at a time, and remembered: a row or a cell
already read in this process (the labels, parameters and formulas every workbook of a role
shares, ~95% of a scorecard's cells) is not matched again. Each row and cell is still checked
to be exactly the narrow shape, so the result is the one a single pass over the region gives.

Only the <sheetData> content is read here. The caller parses the rest of the part (with that
content, and a plain <headerFooter>'s, cut out: a small document, the same for a whole role)
with the hardened parser, which also confirms that each cut-out element really is the sheet's
own; `tests/test_sheet_cells.py` checks on
every workbook of the test corpora that the two readers give the same cells.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

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
_WS = rb"[ \t\n]*"  # between tags, as Gnumeric indents; the parser ignores it there (raw CR: see _CONTROL)
_CELL = re.compile(
    b"".join(
        (
            rb'r="([A-Z]{1,3}[1-9][0-9]{0,6})"(?: s="([0-9]{1,6})")?(?: t="([a-zA-Z]{1,9})")?',  # 1 ref, 2 s, 3 t
            rb"(?:/>|>" + _WS,
            rb"(?:(<f" + _ATTRS + rb"(?:/>|>))(?:(?<=/>)|([^<]*)</f>)" + _WS + rb")?",  # 4 <f> start tag, 5 text
            rb"(?:(<v/>|<v>)(?:(?<=/>)|([^<]*)</v>)" + _WS + rb")?",  # 6 <v> start tag, 7 text
            rb"(?:<is>" + _WS + rb'(<t(?: xml:space="preserve")?(?:/>|>))(?:(?<=/>)|([^<]*)</t>)',  # 8 <t>, 9 text
            _WS + rb"</is>" + _WS + rb")?",
            rb"</c>)" + _WS,
        )
    )
)
_SPACE = b" \t\n"
_HEADER_FOOTER_TAG = re.compile(_ATTRS + rb">")
_HEADER_FOOTER = re.compile(
    rb"(?:" + _WS + rb"<(oddHeader|oddFooter|evenHeader|evenFooter|firstHeader|firstFooter)>[^<]*</\1>)*" + _WS
)
_ATTR_NAME = re.compile(rb' ([A-Za-z]{1,30})="')
_SHARED = b' t="shared"'

# (ref, style index, t attribute or "n", formula text, <v> text, <is> text); None: no such element
RawCell = tuple[str, int, str, str | None, str | None, str | None]


Row = tuple[RawCell, ...]
V = TypeVar("V")


class FastSheet(NamedTuple):
    rest: bytes  # the part with the <sheetData> (and <headerFooter>) content cut out, for the hardened parser
    cells: list[RawCell]
    keys: list[int]  # per cell: the same key whenever the same cell (its bytes) comes back


class _Kept(Generic[V]):
    """Rows or cells already read, by their bytes; the least recently used dropped first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.entries: OrderedDict[bytes, V] = OrderedDict()

    def read(self, piece: bytes, reader: Callable[[bytes], V | None]) -> V | None:
        """What `reader` gives for `piece`, remembered; None (never remembered): not the shape."""
        found = self.entries.get(piece)
        if found is not None:
            self.entries.move_to_end(piece)
            return found
        found = reader(piece)
        if found is not None:
            self.entries[piece] = found
            if len(self.entries) > self.limit:
                self.entries.popitem(last=False)
        return found

    def clear(self) -> None:
        self.entries.clear()


_keys = itertools.count(1)  # a cell's key: the same for the same bytes while kept, never reused
_rows: _Kept[tuple[Row, tuple[int, ...]]] = _Kept(ROWS_KEPT)  # (cells, their keys)
_cells: _Kept[tuple[RawCell, int]] = _Kept(CELLS_KEPT)


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
    """The cells of a sheet part in the narrow shape, or None: read it with the full parser.
    The caller checks, once per distinct `rest`, that each cut-out element is the sheet's own
    (kpibook.read._rest_of_sheet)."""
    if data.startswith(b"<?xml"):
        if _HEAD.match(data) is None:
            return None
    elif not data.startswith(b"<"):
        return None  # a byte-order mark, leading space, UTF-16...
    start, end = data.find(b"<sheetData>"), data.rfind(b"</sheetData>")
    if start < 0 or end < start:
        return None
    start += len(b"<sheetData>")
    if end - start > MAX_FAST_BYTES:
        return None
    found = _scan(data[start:end])
    if found is None:
        return None
    cells, keys = found
    return FastSheet(_rest(data, start, end), cells, keys)


def _scan(region: bytes) -> tuple[list[RawCell], list[int]] | None:
    """Every cell of the region (and its key), which must be nothing but rows of cells in the
    narrow shape. Every byte of it belongs to a row tag or a cell checked by `_row` (comments,
    CDATA, processing instructions and other tags match neither), so the checks are made once
    per distinct row and cell, not once per workbook."""
    pieces = region.split(b"<row")
    if pieces[0].strip(_SPACE):
        return None  # something before the first row
    cells: list[RawCell] = []
    keys: list[int] = []
    for piece in pieces[1:]:
        found = _rows.read(piece, _row)
        if found is None:
            return None
        cells += found[0]
        keys += found[1]
    return cells, keys


def _row(row: bytes) -> tuple[Row, tuple[int, ...]] | None:
    """The cells of one row (its bytes after "<row") and their keys, or None when it is not the
    narrow shape."""
    tag = _ROW_TAG.match(row)
    if tag is None or not _plain(row[: tag.end()]) or (tag.end() > 2 and _repeated_attribute(row[: tag.end()])):
        return None
    if tag.group(1):  # <row .../>: nothing but whitespace may follow it
        return None if row[tag.end() :].strip(_SPACE) else ((), ())
    end = len(row.rstrip(_SPACE)) - len(b"</row>")
    if row[end:].rstrip(_SPACE) != b"</row>":
        return None
    pieces = row[tag.end() : end].split(b"<c ")
    if pieces[0].strip(_SPACE):
        return None  # something other than a cell inside the row
    cells: list[RawCell] = []
    keys: list[int] = []
    for piece in pieces[1:]:
        found = _cells.read(piece, _keyed_cell)
        if found is None:
            return None
        cells.append(found[0])
        keys.append(found[1])
    return tuple(cells), tuple(keys)


def _keyed_cell(piece: bytes) -> tuple[RawCell, int] | None:
    """A cell not seen before, with its new key."""
    cell = _cell(piece)
    return None if cell is None else (cell, next(_keys))


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


def _rest(data: bytes, start: int, end: int) -> bytes:
    """The part without the <sheetData> content (data[start:end]), and without the content of
    its <headerFooter> when that is the narrow shape: header and footer elements holding plain
    text. The header names the employee, so it differs in every workbook while the rest of the
    part is the same for a whole role; nothing in it is read. The tags stay, for the parser."""
    tag_start = data.rfind(b"<headerFooter", end)
    content_end = data.rfind(b"</headerFooter>")
    if tag_start < 0 or content_end < tag_start:
        return data[:start] + data[end:]
    tag = _HEADER_FOOTER_TAG.match(data, tag_start + len(b"<headerFooter"), content_end)
    if tag is None or not _plain(data[tag_start : tag.end()]):
        return data[:start] + data[end:]
    content = data[tag.end() : content_end]
    if _HEADER_FOOTER.fullmatch(content) is None or not _plain(content):
        return data[:start] + data[end:]
    return b"".join((data[:start], data[end : tag.end()], data[content_end:]))


@lru_cache(maxsize=4096)  # bounded: row tags repeat from workbook to workbook
def _repeated_attribute(tag: bytes) -> bool:
    """True when an attribute appears twice (not well-formed XML: the parser refuses it)."""
    names = _ATTR_NAME.findall(tag)
    return len(names) != len(set(names))
