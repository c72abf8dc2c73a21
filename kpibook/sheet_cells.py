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

Only the <sheetData> content is read here. The caller parses the rest of the part (with the
content cut out: a small document) with the hardened parser, which also confirms that the
cut-out element really is the sheet's own <sheetData>; `tests/test_sheet_cells.py` checks on
every workbook of the test corpora that the two readers give the same cells.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

MAX_FAST_BYTES = 4 << 20  # larger cell data goes through the parser, whose limits then apply

# Each check is a plain substring search or a regex starting with a literal (both fast scans).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")  # raw CR included: the parser turns it into LF
_NEVER = ("<!", "<?", "]]>", "xmlns")  # comments, CDATA, processing instructions, namespace declarations
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_HEAD = re.compile(rb'<\?xml version="1\.0"(?: encoding="(?:[uU][tT][fF]-8)")?(?: standalone="(?:yes|no)")?\s*\?>')
_ATTRS = r'(?: [A-Za-z]{1,30}="[^"<&]*")*'
_ROW = r"<row" + _ATTRS + r"(?:/>|>)"
_CELL = (
    r'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"(?: s="([0-9]{1,6})")?(?: t="([a-zA-Z]{1,9})")?'  # 1 ref, 2 s, 3 t
    r"(?:/>|>"
    r"(?:(<f" + _ATTRS + r"(?:/>|>))(?:(?<=/>)|([^<]*)</f>))?"  # 4 the formula's start tag, 5 its text
    r"(?:(<v/>|<v>)(?:(?<=/>)|([^<]*)</v>))?"  # 6 the value's start tag, 7 its text
    r'(?:<is>(<t(?: xml:space="preserve")?(?:/>|>))(?:(?<=/>)|([^<]*)</t>)</is>)?'  # 8 inline text's tag, 9 text
    r"</c>)"
)
# the whole cell data: rows holding cells, nothing else (checked in one pass, in C)
_SHAPE = re.compile(r"(?:<row" + _ATTRS + r"(?:/>|>(?:" + _CELL + r")*</row>))*")
_CELLS = re.compile(_CELL)
_ROWS = re.compile(_ROW)
_ATTR_NAME = re.compile(r' ([A-Za-z]{1,30})="')
_SHARED = ' t="shared"'

# (ref, style index, t attribute or "n", formula text, <v> text, <is> text); None: no such element
RawCell = tuple[str, int, str, str | None, str | None, str | None]


class FastSheet(NamedTuple):
    rest: bytes  # the part with the <sheetData> content cut out, for the hardened parser
    cells: list[RawCell]


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


def _plain(region: str) -> bool:
    """No construct outside the narrow shape: every '&' starts a reference to an allowed character."""
    if _CONTROL.search(region) or any(s in region for s in _NEVER):
        return False
    amps = region.count("&")
    if not amps:
        return True
    references = _REFERENCE.findall(region)
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
    try:
        region = data[start:end].decode("utf-8")  # the parser refuses invalid UTF-8 anywhere
    except UnicodeDecodeError:
        return None
    if not _plain(region):
        return None
    cells = _scan(region)
    return None if cells is None else FastSheet(data[:start] + data[end:], cells)


def _scan(region: str) -> list[RawCell] | None:
    if _SHAPE.fullmatch(region) is None:
        return None
    if any(_repeated_attribute(row) for row in _ROWS.findall(region) if row.count("=") > 1):
        return None
    cells: list[RawCell] = []
    append = cells.append
    for ref, style, kind, f_tag, f_text, v_tag, v_text, t_tag, t_text in _CELLS.findall(region):
        formula = raw = inline = None
        if f_tag:
            if len(f_tag) > 4 and (_SHARED in f_tag or _repeated_attribute(f_tag)):
                return None  # a shared formula needs its master: the full reader expands it
            formula = unescape(f_text) if "&" in f_text else f_text
        if v_tag:
            raw = unescape(v_text) if "&" in v_text else v_text
        if t_tag:
            inline = unescape(t_text) if "&" in t_text else t_text
        append((ref, int(style) if style else 0, kind or "n", formula, raw, inline))
    return cells


@lru_cache(maxsize=4096)  # bounded: row tags repeat from workbook to workbook
def _repeated_attribute(tag: str) -> bool:
    """True when an attribute appears twice (not well-formed XML: the parser refuses it)."""
    names = _ATTR_NAME.findall(tag)
    return len(names) != len(set(names))
