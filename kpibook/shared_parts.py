"""The workbook-wide parts a sheet's cells need: the shared strings (a text cell's value) and
the styles (whether a cell is locked, its number format). Both are read once per distinct part
in a run: a role's workbooks share them byte for byte.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from kpibook.sheet_cells import unescape
from kpibook.xlsx_package import Parts, is_true, local_name, parse_xml


class SharedStrings:
    """The shared-string table, each string's text resolved only when a parsed cell uses it
    (Excel and LibreOffice put every text of the workbook there; the scorecard uses a fraction).

    A plain table (<si> items, as Excel, LibreOffice and WPS write it) is split on its tags, each
    item's <t> texts taken by a bounded regex; a table holding comments, CDATA, processing
    instructions or prefixed tags, where that could see what a spreadsheet does not, goes
    through the hardened XML parser instead."""

    def __init__(self, parts: Parts, path: str | None) -> None:
        data = parts.get(path) if path else None
        self.texts: dict[int, str] = {}
        self.raw: list[bytes] = []
        self.items: list[etree._Element] = []
        if not data:
            return
        if (
            b"<!" not in data
            and data.find(b"<?", 5) == -1
            and b":si" not in data
            and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        ):
            # plain <si> items, as Excel, LibreOffice and WPS write them: split, don't scan
            items = data.split(b"<si>")[1:]
            if len(items) == data.count(b"<si"):
                self.raw = [item[: item.rfind(b"</si>")] for item in items]
                return
        self.items = list(parse_xml(path or "", data))

    def __getitem__(self, index: int) -> str:
        text = self.texts.get(index)
        if text is None:
            if self.items:
                text = text_of(self.items[index])
            else:
                text = _item_text(self.raw[index])
            self.texts[index] = text
        return text


@lru_cache(maxsize=8192)  # bounded: the same labels come back in every workbook of a run
def _item_text(body: bytes) -> str:
    """The text of a plain <si> item's content."""
    if body[:3] in (b"<t>", b"<t ") and body.endswith(b"</t>") and body.count(b"<") == 2:
        plain = body[body.index(b">") + 1 : -4]  # the usual item: one <t>, no runs
    else:
        plain = b"".join(_T.findall(_RPH.sub(b"", body))) if body else b""
    return unescape(plain.decode("utf-8"))


_T = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_RPH = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)


def text_of(element: etree._Element) -> str:
    """The text of an <si> or <is>: its <t>, or its rich-text runs' <t>s; phonetic runs (<rPh>) left out."""
    if len(element) == 1 and local_name(element[0].tag) == "t":
        return element[0].text or ""
    out = []
    for child in element:
        tag = local_name(child.tag)
        if tag == "t":
            out.append(child.text or "")
        elif tag == "r":
            for t in child:
                if local_name(t.tag) == "t":
                    out.append(t.text or "")
    return "".join(out)


def styles(parts: Parts, path: str | None) -> tuple[tuple[bool, ...], list[str]]:
    """Per cellXfs index: locked, and the number format code ("" for Excel's built-in formats).

    A <protection locked="0"> child unlocks (LibreOffice writes it with applyProtection="false",
    Excel with "1": both mean it); its absence leaves Excel's default, locked."""
    data = parts.get(path) if path else None
    if data is None:
        return (), []
    locked, formats = _styles_of(path or "", data)
    return locked, list(formats)  # the same tuple for every workbook with these styles


@lru_cache(maxsize=32)  # bounded: a run sees a handful of distinct style parts (one per role and program)
def _styles_of(path: str, data: bytes) -> tuple[tuple[bool, ...], tuple[str, ...]]:
    """`_styles` of a part's bytes: parsed once for every byte-identical copy in this run."""
    root = parse_xml(path, data)
    locked: list[bool] = []
    formats: list[str] = []
    codes: dict[str, str] = {}
    for section in root:
        tag = local_name(section.tag)
        if tag == "numFmts":
            codes = {f.get("numFmtId", ""): f.get("formatCode", "") for f in section}
        elif tag == "cellXfs":
            for xf in section:
                state = True
                for child in xf:
                    if local_name(child.tag) == "protection":
                        state = is_true(child.get("locked"), default=True)
                locked.append(state)
                formats.append(codes.get(xf.get("numFmtId", "0"), ""))
    return tuple(locked), tuple(formats)
