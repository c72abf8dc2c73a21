"""Reading returned workbooks: safe and fast, straight from the OOXML parts.

Managers send back whatever their spreadsheet wrote (Excel, WPS, LibreOffice), and sometimes
something else: a legacy .xls, a CSV renamed .xlsx, a password-protected file, a truncated
copy, or a hostile file (zip bomb, XML entity expansion, absurd sheet dimensions). Cheap checks
on the raw bytes and the zip directory refuse those before any XML parser sees them
(`UnreadableWorkbook`, with a message a manager can act on); the parts that are parsed go
through a hardened lxml parser (no DTD, no entities, no network, no huge trees).

Only what kpibook needs is read: the sheet list, the defined names, the hidden `_kpibook`
metadata, every cell of the scorecard sheet (value, formula text, locked), its data
validations, and the protection and formulas of the other sheets. openpyxl is never used
here: it costs about 60x the unzip floor per file (bench/), this reader a few times it.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from lxml import etree

from kpibook.formula_text import column_index, column_letter, shift, split_cell
from kpibook.messages import t
from kpibook.scoring import ExcelError
from kpibook.shared_parts import SharedStrings, styles, text_of
from kpibook.sheet_cells import FastSheet, RawCell, fast_cells
from kpibook.xlsx_package import (
    MAX_BYTES,
    MAX_UNCOMPRESSED,
    Parts,
    UnreadableWorkbook,
    application,
    is_true,
    local_name,
    open_parts,
    parse_xml,
    read_bytes,
    relationships,
    workbook_part,
)

MAX_CELLS = 200_000  # cells present in one sheet
DIMENSION_FACTOR = 25  # a sheet may claim up to MAX_CELLS * this in its <dimension>

METADATA_SHEET = "_kpibook"
# Names every kpibook workbook carries (contract); any one of them identifies the scorecard sheet.
KPIBOOK_NAMES = ("total_score", "employee_id", "role_id", "grade", "period", "employee_name")

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*\bref=\"([^\"]{1,40})\"")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_A1 = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")
_NAME_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]{1,3}\$?\d{1,7})$")


EXTERNAL_LINK_REL = "/externalLink"


@dataclass(slots=True, frozen=True)  # frozen: a remembered row's cells are shared by workbooks
class CellData:
    value: float | str | bool | ExcelError | None  # cached value; None: empty, or a formula without a cache
    formula: str | None = None  # formula text as stored (no '='); shared formulas expanded
    locked: bool = True  # the cell style's protection (Excel's default: locked)
    style: int = 0


@dataclass
class WorkbookData:
    path: Path
    size: int
    sha256: str
    sheet_names: list[str]
    sheet_states: dict[str, str]  # visible / hidden / veryHidden
    names: dict[str, str]  # workbook-scoped defined name -> its text ("Scorecard!$H$8")
    metadata: dict[str, str]  # the _kpibook sheet's key/value rows
    scorecard: str  # the sheet the kpibook names point to (managers may rename it)
    cells: dict[str, CellData]  # the scorecard's cells by A1 reference; empty locked cells left out
    validations: list[dict[str, str]]  # the scorecard's dataValidation elements
    sheet_protection: dict[str, bool]  # per sheet: <sheetProtection sheet="1"> present
    structure_locked: bool
    external_links: bool
    app: str  # docProps/app.xml Application: "Microsoft Excel", "LibreOffice/7.4...", "WPS..."
    has_metadata_sheet: bool = True
    formulas_elsewhere: dict[str, dict[str, str]] = field(default_factory=dict)  # other sheets: ref -> formula
    conditional_formulas: list[str] = field(default_factory=list)  # the scorecard's conditional formats
    local_names: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, name, text), sheet-scoped
    metadata_cells: dict[str, str] = field(default_factory=dict)  # metadata key -> its value cell ("B15")
    metadata_duplicates: list[str] = field(default_factory=list)  # keys found on more than one row
    merged: list[str] = field(default_factory=list)  # the scorecard's merged ranges ("C31:L31")
    number_formats: list[str] = field(default_factory=list)  # per style index: format code ("" = built-in)
    workbook_protection: bool = False  # a <workbookProtection> element is there (LibreOffice writes it empty)

    def number_format(self, ref: str) -> str:
        """The custom number format of a scorecard cell ("" for General and the other built-ins)."""
        cell = self.cells.get(ref)
        index = cell.style if cell else 0
        return self.number_formats[index] if index < len(self.number_formats) else ""

    def ref(self, name: str) -> str:
        """The A1 cell a defined name points to on the scorecard sheet ("H8"); "" if it does not."""
        text = self.names.get(name)
        if text is None:
            return ""
        target = parse_name_ref(text)
        if target is None or target[0] != self.scorecard:
            return ""
        return target[1]

    def value(self, name: str) -> float | str | bool | ExcelError | None:
        """The cached value at a defined name (None when the name or the cell is missing)."""
        cell = self.cells.get(self.ref(name))
        return cell.value if cell else None

    @property
    def saved_by_libreoffice(self) -> bool:
        return self.app.startswith("LibreOffice") or self.app.startswith("OpenOffice")


@lru_cache(maxsize=65536)
def parse_name_ref(text: str) -> tuple[str, str] | None:
    """ "'Score card'!$H$8" -> ("Score card", "H8"); None for anything but one cell on one sheet."""
    m = _NAME_REF.match(text.strip())
    if not m:
        return None
    sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    return sheet, m.group(3).replace("$", "")


# ---------------------------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    cells: dict[str, CellData]
    protected: bool
    validations: list[dict[str, str]]
    conditional_formulas: list[str]
    merged: list[str]


def _check_sheet_size(name: str, data: bytes, max_cells: int) -> None:
    end = data.find(b"sheetData")
    m = _DIMENSION.search(data, 0, end if end > 0 else len(data))
    if m:
        area = _area(m.group(1).decode("ascii", "replace"))
        if area is None or area > max_cells * DIMENSION_FACTOR:
            raise UnreadableWorkbook(
                "too_many_cells", t("reader.sheet_range", name=name, ref=m.group(1).decode("ascii", "replace"))
            )
    if data.count(b"<") <= max_cells:
        return  # every cell starts with a "<": no need to count them one by one
    count = data.count(b"<c ") + data.count(b"<c>") + data.count(b":c ")
    if count > max_cells:
        raise UnreadableWorkbook("too_many_cells", t("reader.too_many_cells", name=name, count=count, limit=max_cells))


def _area(ref: str) -> int | None:
    corners = ref.split(":")
    try:
        points = [split_cell(c) for c in corners]
    except ValueError:
        return None
    if any(r > 1_048_576 or c > 16_384 for r, c in points):
        return None
    if len(points) == 1:
        return 1
    (r1, c1), (r2, c2) = points[0], points[-1]
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def _parse_sheet(
    name: str, data: bytes, strings: SharedStrings, locked: Sequence[bool], max_cells: int, full: bool
) -> _Sheet:
    """Every cell of a sheet; with `full`, also its data validations and conditional formats."""
    _check_sheet_size(name, data, max_cells)
    fast = fast_cells(data) if _FAST_PATH else None
    if fast is not None:
        try:
            rest = _rest_of_sheet(name, fast.rest, full)
        except UnreadableWorkbook:
            rest = None  # the whole part is parsed below: its error, with its own line and column, is the one told
        if rest is not None:
            protected, validations, conditional, merged = rest
            return _Sheet(
                _fast_cells(fast, strings, locked),
                protected,
                [dict(v) for v in validations],
                list(conditional),
                list(merged),
            )
    root = parse_xml(name, data)
    tags = _Tags(root.tag[: -len(local_name(root.tag))])
    cells: dict[str, CellData] = {}
    masters: dict[str, tuple[str, int, int]] = {}
    for section in root.iterchildren(tags.sheet_data):
        _slow_cells(section, tags, strings, locked, masters, cells)
    protected, validations, conditional, merged = _sections(root, tags, full)
    return _Sheet(cells, protected, list(validations), list(conditional), list(merged))


_Sections = tuple[bool, tuple[dict[str, str], ...], tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=64)  # bounded: the rest of a scorecard (columns, validations, protection) repeats per role
def _rest_of_sheet(name: str, rest: bytes, full: bool) -> _Sections | None:
    """The sections of a sheet part whose <sheetData> (and <headerFooter>) content the strict
    reader cut out; None when a cut-out element was not the sheet's own (in a comment, in
    another namespace...)."""
    if rest.count(b"sheetData") != 2 or rest.count(b"headerFooter") not in (0, 2):
        return None  # the cut-out elements' tags are the only ones: a root child of each is them
    root = parse_xml(name, rest)
    tags = _Tags(root.tag[: -len(local_name(root.tag))])  # "{main namespace}": transitional or strict
    children = {child.tag for child in root}
    if tags.sheet_data not in children or (b"<headerFooter" in rest and tags.header_footer not in children):
        return None  # a cut-out element was not the sheet's own: read the whole part
    return _sections(root, tags, full)


def _sections(root: etree._Element, tags: _Tags, full: bool) -> _Sections:
    """(protected, validations, conditional-format formulas, merged ranges) of a sheet's root."""
    protected = False
    validations: list[dict[str, str]] = []
    conditional: list[str] = []
    merged: list[str] = []
    for section in root:
        tag = section.tag
        if tag == tags.protection:
            protected = is_true(section.get("sheet"))
        elif tag == tags.validations and full:
            for dv in section:
                if local_name(dv.tag) == "dataValidation":
                    validations.append(_validation(dv))
        elif tag == tags.conditional and full:
            for rule in section:
                for f in rule:
                    if local_name(f.tag) == "formula" and f.text:
                        conditional.append(f.text)
        elif tag == tags.merges and full:
            merged += [m.get("ref", "") for m in section]
    return protected, tuple(validations), tuple(conditional), tuple(merged)


def _slow_cells(
    section: etree._Element,
    tags: _Tags,
    strings: SharedStrings,
    locked: Sequence[bool],
    masters: dict[str, tuple[str, int, int]],
    cells: dict[str, CellData],
) -> None:
    """Every cell of a <sheetData> the strict reader declined, read with lxml into `cells`."""
    row_number = 0
    for row in section.iterchildren(tags.row):
        r = row.get("r")
        row_number = int(r) if r and r.isdigit() else row_number + 1
        previous = ""
        for c in row.iterchildren(tags.c):
            ref = c.get("r")
            if not ref:  # the r attribute is optional: the cell follows the previous one
                column = _column_of(previous) + 1 if previous else 1
                ref = f"{column_letter(column)}{row_number}"
            previous = ref
            cell = _cell(c, ref, tags, strings, locked, masters)
            if cell is not None:
                cells[ref] = cell


_FAST_PATH = True  # tests/test_sheet_cells.py turns it off to compare with the full reader


def _fast_cells(fast: FastSheet, strings: SharedStrings, locked: Sequence[bool]) -> dict[str, CellData]:
    """The cells the strict reader found, made into CellData exactly as `_cell` makes them. A cell
    made before from the same bytes with the same styles is not made again, unless it takes its
    text from the shared strings, which are the workbook's own."""
    made_for = _made_for(locked)
    cells: dict[str, CellData] = {}
    for key, raw in zip(fast.keys, fast.cells, strict=True):
        made = made_for.get(key, _UNKNOWN)
        if made is _UNKNOWN:
            made = _made(raw, strings, locked)
            if raw[2] != "s":
                if len(made_for) >= MADE_CELLS_KEPT:
                    made_for.clear()  # bounded; forgetting only costs making cells again
                made_for[key] = made
        if made is not None:
            cells[raw[0]] = made
    return cells


MADE_CELLS_KEPT = 4096  # per styles part; a role's scorecard has ~470 cells, most the same in every workbook
_UNKNOWN = CellData(None)
_made_cells: dict[tuple[bool, ...], dict[int, CellData | None]] = {}


def _made_for(locked: Sequence[bool]) -> dict[int, CellData | None]:
    """The cells made with these lock flags, by key (a handful of styles parts per run)."""
    flags = locked if isinstance(locked, tuple) else tuple(locked)
    made = _made_cells.get(flags)
    if made is None:
        if len(_made_cells) >= 16:
            _made_cells.clear()
        made = _made_cells[flags] = {}
    return made


def _made(raw: RawCell, strings: SharedStrings, locked: Sequence[bool]) -> CellData | None:
    """One cell; None for an empty locked cell (formatting only: as good as absent)."""
    ref, index, kind, formula, value, inline = raw
    is_locked = locked[index] if index < len(locked) else True
    if formula is None and value is None and inline is None:
        return None if is_locked else CellData(None, None, False, index)
    return CellData(_typed(kind, value, inline, strings), formula, is_locked, index)


class _Tags:
    """Qualified tag names of a sheet part, compared as plain strings (fast)."""

    def __init__(self, ns: str) -> None:
        self.sheet_data, self.row, self.c = ns + "sheetData", ns + "row", ns + "c"
        self.v, self.f, self.inline = ns + "v", ns + "f", ns + "is"
        self.protection, self.validations = ns + "sheetProtection", ns + "dataValidations"
        self.conditional = ns + "conditionalFormatting"
        self.merges = ns + "mergeCells"
        self.header_footer = ns + "headerFooter"


def _column_of(ref: str) -> int:
    m = _A1.fullmatch(ref)
    return column_index(m.group(1)) if m else 0


def _validation(dv: etree._Element) -> dict[str, str]:
    out = {k: dv.get(k, "") for k in ("sqref", "type", "operator", "allowBlank", "showErrorMessage", "errorStyle")}
    out["formula1"] = out["formula2"] = ""
    for child in dv:
        tag = local_name(child.tag)
        if tag in ("formula1", "formula2"):
            out[tag] = child.text or ""
        elif tag == "sqref":  # x14 style: <xm:sqref> child instead of the attribute
            out["sqref"] = child.text or ""
    return out


def _cell(
    c: etree._Element,
    ref: str,
    tags: _Tags,
    strings: SharedStrings,
    locked: Sequence[bool],
    masters: dict[str, tuple[str, int, int]],
) -> CellData | None:
    """The cell's data; None for an empty locked cell (formatting only: as good as absent)."""
    style = c.get("s")
    index = int(style) if style and style.isdigit() else 0
    is_locked = locked[index] if index < len(locked) else True
    if not len(c):
        return None if is_locked else CellData(None, None, False, index)
    formula: str | None = None
    raw: str | None = None
    inline: str | None = None
    for child in c:
        tag = child.tag
        if tag == tags.v:
            raw = child.text or ""
        elif tag == tags.f:
            formula = _formula(child, ref, masters)
        elif tag == tags.inline:
            inline = text_of(child)
    return CellData(_typed(c.get("t", "n"), raw, inline, strings), formula, is_locked, index)


def _formula(f: etree._Element, ref: str, masters: dict[str, tuple[str, int, int]]) -> str:
    text = f.text or ""
    if f.get("t") != "shared":
        return text
    si = f.get("si", "")
    row, col = split_cell(ref)
    if text:
        masters[si] = (text, row, col)
        return text
    if si in masters:
        master, master_row, master_col = masters[si]
        return shift(master, row - master_row, col - master_col)
    return ""  # a shared-formula reference without its master: reported as a changed formula


def _typed(
    kind: str, raw: str | None, inline: str | None, strings: SharedStrings
) -> float | str | bool | ExcelError | None:
    if kind == "inlineStr":
        return inline if inline is not None else (raw or "")
    if raw is None:
        return None
    if kind == "s":
        try:
            index = int(raw)
            return strings[index] if index >= 0 else raw
        except (ValueError, IndexError):
            return raw
    if kind == "str":
        return raw  # a formula's text result; "" is the empty string, which our formulas return
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return ExcelError(raw.strip() or "#VALUE!")
    if kind == "d":
        return raw
    if raw == "":
        return None  # a formula with an empty <v>: no cached value (openpyxl writes these)
    try:
        return float(raw)
    except ValueError:
        return raw


def _metadata(cells: dict[str, CellData]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Key/value rows (column A key, column B value, numbers as a spreadsheet shows them): the
    values, the value cell of each key, and the keys that appear more than once (first one kept)."""
    values: dict[str, str] = {}
    where: dict[str, str] = {}
    duplicates: list[str] = []
    for ref, cell in cells.items():
        m = _A1.fullmatch(ref)
        if not m or m.group(1) != "A" or not isinstance(cell.value, str) or not cell.value:
            continue
        if cell.value in values:
            duplicates.append(cell.value)
            continue
        value = cells.get(f"B{m.group(2)}")
        values[cell.value] = cell_text(value.value) if value else ""
        where[cell.value] = f"B{m.group(2)}"
    return values, where, duplicates


def cell_text(value: object) -> str:
    """A cell value as text: whole numbers without '.0' (an id typed as 1001 reads '1001')."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------------------------


def read_workbook(
    path: str | Path,
    *,
    max_bytes: int = MAX_BYTES,
    max_uncompressed: int = MAX_UNCOMPRESSED,
    max_cells: int = MAX_CELLS,
) -> WorkbookData:
    """Reads a returned workbook; raises `UnreadableWorkbook` for anything that is not a readable
    kpibook .xlsx. Never modifies the file; bounded in memory and time by the limits."""
    path = Path(path)
    data = read_bytes(path, max_bytes)
    with open_parts(data, max_uncompressed) as parts:
        return _read(path, data, parts, max_cells)


@dataclass
class _Book:
    """What xl/workbook.xml says: the sheets, the defined names and the structure lock."""

    rels: dict[str, tuple[str, str]]  # relationship id -> (type, part)
    sheets: list[tuple[str, str, str]] = field(default_factory=list)  # (name, state, part)
    names: dict[str, str] = field(default_factory=dict)
    local_names: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, name, text)
    structure_locked: bool = False
    protection_element: bool = False

    @property
    def sheet_names(self) -> list[str]:
        return [s[0] for s in self.sheets]

    @property
    def sheet_parts(self) -> dict[str, str]:
        return {s[0]: s[2] for s in self.sheets}

    def related(self, kind: str) -> str | None:
        """The part of the workbook's first relationship of this kind ("/styles", ...)."""
        return next((p for t, p in self.rels.values() if t.endswith(kind)), None)


def _read_book(parts: Parts) -> _Book:
    workbook_path = workbook_part(parts)
    base = posixpath.dirname(workbook_path)
    rels = relationships(parts, posixpath.join(base, "_rels", posixpath.basename(workbook_path) + ".rels"), base)
    book = _book_of(workbook_path, parts.get(workbook_path) or b"", tuple(rels.items()))
    return replace(
        book, rels=dict(book.rels), sheets=list(book.sheets), names=dict(book.names), local_names=list(book.local_names)
    )


@lru_cache(maxsize=32)  # bounded; keyed by the workbook part's bytes, the same object for every copy seen
def _book_of(workbook_path: str, data: bytes, rels: tuple[tuple[str, tuple[str, str]], ...]) -> _Book:
    book = _Book(dict(rels))
    for section in parse_xml(workbook_path, data):
        tag = local_name(section.tag)
        if tag == "sheets":
            for sheet in section:
                rid = next((v for k, v in sheet.attrib.items() if local_name(k) == "id"), "")
                book.sheets.append(
                    (sheet.get("name", ""), sheet.get("state", "visible"), book.rels.get(rid, ("", ""))[1])
                )
        elif tag == "definedNames":
            for dn in section:
                _add_name(book, dn)
        elif tag == "workbookProtection":
            book.structure_locked = is_true(section.get("lockStructure"))
            book.protection_element = True
    return book


def _add_name(book: _Book, dn: etree._Element) -> None:
    """A <definedName>: workbook-scoped, or local to the sheet its localSheetId counts to."""
    name, text = dn.get("name", ""), (dn.text or "").strip()
    if dn.get("localSheetId") is None:
        book.names[name] = text
        return
    index = int(dn.get("localSheetId", "0")) if dn.get("localSheetId", "").isdigit() else -1
    owner = book.sheets[index][0] if 0 <= index < len(book.sheets) else ""
    book.local_names.append((owner, name, text))


@dataclass
class _Sheets:
    """The sheets kpibook reads: the scorecard and metadata in full, the others' protection and
    formulas."""

    parsed: dict[str, _Sheet] = field(default_factory=dict)
    protection: dict[str, bool] = field(default_factory=dict)
    elsewhere: dict[str, dict[str, str]] = field(default_factory=dict)  # other sheets: ref -> formula


class _SheetReader:
    """Parses sheets with the workbook's shared strings, styles and the cell limit."""

    def __init__(self, parts: Parts, book: _Book, max_cells: int) -> None:
        self.parts = parts
        self.strings = SharedStrings(parts, book.related("/sharedStrings"))
        self.locked, self.number_formats = styles(parts, book.related("/styles"))
        self.max_cells = max_cells

    def parse(self, part: str, data: bytes, full: bool) -> _Sheet:
        return _parse_sheet(part, data, self.strings, self.locked, self.max_cells, full=full)

    def read_all(self, book: _Book, scorecard: str) -> _Sheets:
        found = _Sheets()
        for name, _state, part in book.sheets:
            sheet_data = self.parts.get(part) if part else None
            if sheet_data is None:
                if name in (scorecard, METADATA_SHEET):
                    raise UnreadableWorkbook("damaged", t("reader.sheet_part_missing", sheet=name, part=part or "none"))
                continue
            if name in (scorecard, METADATA_SHEET):
                found.parsed[name] = self.parse(part, sheet_data, full=name == scorecard)
                found.protection[name] = found.parsed[name].protected
                continue
            # other sheets: only their protection and any formulas are of interest
            protected, formulas = self._other_sheet(part, sheet_data)
            found.protection[name] = protected
            if formulas is not None:
                found.elsewhere[name] = dict(formulas)
        return found

    def _other_sheet(self, part: str, data: bytes) -> tuple[bool, tuple[tuple[str, str], ...] | None]:
        """(protected, its formulas by cell or None when it has none) of a sheet kpibook does not
        read in full. Neither depends on the shared strings or styles, so a byte-identical part
        (the same object: kpibook.xlsx_package._SeenParts) is looked at once."""
        key = (part, data, self.max_cells)
        found = _other_sheets.get(key)
        if found is None:
            _check_sheet_size(part, data, self.max_cells)
            formulas = None
            if _FORMULA_TAG.search(data):
                other = self.parse(part, data, full=False)
                formulas = tuple((ref, c.formula) for ref, c in other.cells.items() if c.formula is not None)
            found = _protected(data), formulas
            _other_sheets[key] = found
            if len(_other_sheets) > OTHER_SHEETS_KEPT:
                _other_sheets.popitem(last=False)
        return found


OTHER_SHEETS_KEPT = 64  # bounded: a run sees a few distinct instruction and audit sheets per role
_other_sheets: OrderedDict[tuple[str, bytes, int], tuple[bool, tuple[tuple[str, str], ...] | None]] = OrderedDict()


def _read(path: Path, data: bytes, parts: Parts, max_cells: int) -> WorkbookData:
    book = _read_book(parts)
    reader = _SheetReader(parts, book, max_cells)
    scorecard = _scorecard_sheet(book.names, book.sheet_names)
    has_metadata_sheet = METADATA_SHEET in book.sheet_parts
    if not scorecard and not has_metadata_sheet:
        raise UnreadableWorkbook("not_kpibook", t("reader.not_kpibook"))
    sheets = reader.read_all(book, scorecard)
    metadata: dict[str, str] = {}
    metadata_cells: dict[str, str] = {}
    duplicates: list[str] = []
    if METADATA_SHEET in sheets.parsed:
        metadata, metadata_cells, duplicates = _metadata(sheets.parsed[METADATA_SHEET].cells)
    if not scorecard:  # no named cell points to it: the metadata names the (renamed) scorecard
        scorecard = metadata.get("scorecard_sheet", "")
        if scorecard not in sheets.parsed and scorecard in book.sheet_parts:
            part = book.sheet_parts[scorecard]
            sheets.parsed[scorecard] = reader.parse(part, parts.get(part) or b"", full=True)
            sheets.protection[scorecard] = sheets.parsed[scorecard].protected
    card = sheets.parsed.get(scorecard)
    external = any(t.endswith(EXTERNAL_LINK_REL) for t, _ in book.rels.values()) or any(
        n.startswith("xl/externalLinks/") for n in parts.infos
    )
    return WorkbookData(
        path=path,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        sheet_names=book.sheet_names,
        sheet_states={s[0]: s[1] for s in book.sheets},
        names=book.names,
        metadata=metadata,
        scorecard=scorecard if card else "",
        cells=card.cells if card else {},
        validations=card.validations if card else [],
        sheet_protection=sheets.protection,
        structure_locked=book.structure_locked,
        external_links=external,
        app=application(parts),
        has_metadata_sheet=has_metadata_sheet,
        formulas_elsewhere=sheets.elsewhere,
        conditional_formulas=card.conditional_formulas if card else [],
        merged=card.merged if card else [],
        number_formats=reader.number_formats,
        workbook_protection=book.protection_element,
        local_names=book.local_names,
        metadata_cells=metadata_cells,
        metadata_duplicates=duplicates,
    )


def _scorecard_sheet(names: dict[str, str], sheet_names: list[str]) -> str:
    for name in KPIBOOK_NAMES:
        target = parse_name_ref(names.get(name, ""))
        if target and target[0] in sheet_names:
            return target[0]
    return ""


_PROTECTION = re.compile(rb"<(?:\w+:)?sheetProtection\b([^>]*)>")
_SHEET_ATTR = re.compile(rb"\bsheet=\"([^\"]*)\"")


def _protected(data: bytes) -> bool:
    m = _PROTECTION.search(data)
    if not m:
        return False
    value = _SHEET_ATTR.search(m.group(1))
    return bool(value) and is_true(value.group(1).decode("ascii", "replace"))  # type: ignore[union-attr]
