"""Rewrites an openpyxl-written package into the form Excel itself writes, so every reader opens it.

openpyxl writes valid OOXML that Excel and LibreOffice read, but other readers expect the exact
form Excel (and XlsxWriter, which is tested against files Excel made) writes:

- **Relationship targets relative** to the part that holds them (`../drawings/drawing1.xml`),
  not absolute (`/xl/drawings/drawing1.xml`): ExcelJS resolves only relative ones and fails
  with "Cannot read properties of undefined (reading 'anchors')".
- **Drawing and chart XML prefixed**, namespaces declared on the root (`<xdr:wsDr xmlns:xdr=..
  xmlns:a=..>`, `<c:chartSpace xmlns:c=.. xmlns:a=.. xmlns:r=..>`); `c:` and `r:` on
  `<c:chart>` as Excel puts them. ExcelJS matches tag names with their prefixes; Gnumeric drops
  every chart whose `<a:graphic>` declares its own namespace ("Unexpected element 'a:graphic'").
- **Charts carry their data**: each series' values as `c:numRef` with a `c:numCache`, text
  categories and a series name taken from a cell as `c:strRef` with a `c:strCache`, read from
  the cells (with their cached formula values) of this same package. WPS and phone previewers
  draw charts (and name their series) only from these caches.

`as_excel_writes(xlsx)` is the one step that does this; kpibook.build, kpibook.summary,
kpibook.year_sheets and kpibook.calibration_sheets (and kpibook.calibration_fill, after typing
recomputes the cells) call it on what openpyxl saved, after the formulas' values are cached.

`chart_mismatches(xlsx)` reads the same references back: every cached chart point that is not
what the cell it draws holds (a forged or stale chart), for the audits of the workbooks above.
The cells are read by the one `_SheetValues` both use.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from kpibook.messages import t

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_RANGE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]+)\$?([0-9]+)(?::\$?([A-Z]+)\$?([0-9]+))?$")

Cells = Mapping[str, object]  # "A1" -> number or text


def as_excel_writes(xlsx: bytes) -> bytes:
    """The package `xlsx` with relative relationship targets, prefixed drawing and chart XML and
    chart caches; every other part byte-identical."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
        infos = source.infolist()
    sheets = _SheetValues(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            data = _rewrite(info.filename, parts[info.filename], sheets)
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return buffer.getvalue()


def _rewrite(name: str, data: bytes, sheets: _SheetValues) -> bytes:
    if name.endswith(".rels"):
        return relative_targets(name, data)
    if name.startswith("xl/drawings/") and name.endswith(".xml"):
        return _prefixed_drawing(data)
    if name.startswith("xl/charts/") and name.endswith(".xml"):
        return _prefixed_chart(data, sheets)
    return data


# -- relationships ---------------------------------------------------------------------------


def relative_targets(name: str, data: bytes) -> bytes:
    """A .rels part with every absolute internal Target made relative to the folder of the part
    it describes (xl/worksheets/_rels/sheet1.xml.rels describes xl/worksheets/sheet1.xml)."""
    root = etree.fromstring(data, _PARSER)
    base = posixpath.dirname(posixpath.dirname(name))  # the described part's folder
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External" and target.startswith("/"):
            rel.set("Target", posixpath.relpath(target.lstrip("/"), base or "."))
    return _DECLARATION + etree.tostring(root, encoding="unicode").encode()


# -- prefixed XML ----------------------------------------------------------------------------


def _rebuilt(
    element: etree._Element, nsmap: Mapping[str | None, str], parent: etree._Element | None = None
) -> etree._Element:
    """A copy of `element` whose tags take their prefixes from `nsmap` (declared on the copy's root)."""
    attributes = dict(element.attrib)
    if parent is None:
        copy = etree.Element(element.tag, attributes, nsmap=dict(nsmap))
    elif element.tag == f"{{{C}}}chart" and parent.tag == f"{{{A}}}graphicData":
        copy = etree.SubElement(parent, element.tag, attributes, nsmap={"c": C, "r": R})  # where Excel puts them
    else:
        copy = etree.SubElement(parent, element.tag, attributes)
    copy.text, copy.tail = element.text, element.tail
    for child in element:
        if isinstance(child.tag, str):
            _rebuilt(child, nsmap, copy)
    return copy


def _prefixed_drawing(data: bytes) -> bytes:
    root = _rebuilt(etree.fromstring(data, _PARSER), {"xdr": XDR, "a": A})
    for frame in root.iter(f"{{{XDR}}}graphicFrame"):
        frame.set("macro", frame.get("macro", ""))
        xfrm = frame.find(f"{{{XDR}}}xfrm")
        if xfrm is not None and len(xfrm) == 0:  # Excel always writes the (empty) offset and size
            etree.SubElement(xfrm, f"{{{A}}}off", {"x": "0", "y": "0"})
            etree.SubElement(xfrm, f"{{{A}}}ext", {"cx": "0", "cy": "0"})
    return _DECLARATION + etree.tostring(root, encoding="unicode").encode()


def _prefixed_chart(data: bytes, sheets: _SheetValues) -> bytes:
    root = _rebuilt(etree.fromstring(data, _PARSER), {"c": C, "a": A, "r": R})
    for series in root.iter(f"{{{C}}}ser"):
        for holder in ("tx", "cat", "val"):
            ref = series.find(f"{{{C}}}{holder}")
            if ref is not None:
                _cache_reference(ref, sheets, name=holder == "tx")
    return _DECLARATION + etree.tostring(root, encoding="unicode").encode()


# -- chart caches ----------------------------------------------------------------------------


def _cache_reference(holder: etree._Element, sheets: _SheetValues, name: bool = False) -> None:
    """Replaces the reference under `holder` (c:tx, c:cat or c:val) by a c:strRef or c:numRef
    carrying the cells' current values: a series name (`name`, c:tx takes only text) and text
    categories as strings, everything else as numbers."""
    formula = holder.find(f".//{{{C}}}f")
    if formula is None or not formula.text:
        return
    values = sheets.range_values(formula.text)
    if values is None:
        return
    if name:
        values = ["" if v is None else _number(v) if isinstance(v, float) else str(v) for v in values]
    text = name or any(isinstance(v, str) and v != "" for v in values)
    for old in list(holder):
        holder.remove(old)
    ref = etree.SubElement(holder, f"{{{C}}}{'strRef' if text else 'numRef'}")
    etree.SubElement(ref, f"{{{C}}}f").text = formula.text
    cache = etree.SubElement(ref, f"{{{C}}}{'strCache' if text else 'numCache'}")
    if not text:
        etree.SubElement(cache, f"{{{C}}}formatCode").text = "General"
    etree.SubElement(cache, f"{{{C}}}ptCount", {"val": str(len(values))})
    for index, value in enumerate(values):
        if value is None or value == "":
            continue  # a blank cell is a gap, as Excel caches it
        point = etree.SubElement(cache, f"{{{C}}}pt", {"idx": str(index)})
        etree.SubElement(point, f"{{{C}}}v").text = value if isinstance(value, str) else _number(value)


def _number(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


class _SheetValues:
    """The values cells hold in this package (numbers, text, cached formula results), by sheet name."""

    def __init__(self, parts: Mapping[str, bytes]) -> None:
        self.parts = parts
        self.cells: dict[str, dict[str, object]] = {}
        self.uncached: set[tuple[str, str]] = set()  # (sheet part, cell): a formula saved without its value
        self.sheet_parts = dict(self._sheet_parts())
        self.strings = list(self._shared_strings())

    def _sheet_parts(self) -> Iterator[tuple[str, str]]:
        if "xl/workbook.xml" not in self.parts or "xl/_rels/workbook.xml.rels" not in self.parts:
            return
        rels = etree.fromstring(self.parts["xl/_rels/workbook.xml.rels"], _PARSER)
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        for sheet in etree.fromstring(self.parts["xl/workbook.xml"], _PARSER).iter(f"{{{MAIN}}}sheet"):
            target = targets.get(sheet.get(f"{{{R}}}id"), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            yield sheet.get("name", ""), part

    def _shared_strings(self) -> Iterator[str]:
        data = self.parts.get("xl/sharedStrings.xml")
        if data:
            for item in etree.fromstring(data, _PARSER).iter(f"{{{MAIN}}}si"):
                yield "".join(t.text or "" for t in item.iter(f"{{{MAIN}}}t"))

    def sheet(self, name: str) -> dict[str, object]:
        if name not in self.cells:
            self.cells[name] = dict(self._read(self.sheet_parts.get(name, "")))
        return self.cells[name]

    def _read(self, part: str) -> Iterator[tuple[str, object]]:
        if part not in self.parts:
            return
        for cell in etree.fromstring(self.parts[part], _PARSER).iter(f"{{{MAIN}}}c"):
            kind, value = cell.get("t", "n"), cell.find(f"{{{MAIN}}}v")
            if kind == "inlineStr":
                yield cell.get("r", ""), "".join(t.text or "" for t in cell.iter(f"{{{MAIN}}}t"))
            elif value is None or value.text is None:
                if cell.find(f"{{{MAIN}}}f") is not None:
                    self.uncached.add((part, cell.get("r", "")))
                continue
            elif kind == "s":
                yield cell.get("r", ""), self.strings[int(value.text)]
            elif kind in ("str", "e"):
                yield cell.get("r", ""), value.text
            else:
                yield cell.get("r", ""), float(value.text)

    def range_values(self, reference: str) -> list[object] | None:
        """The values of a one-column or one-row range such as 'Overview'!$D$23:$D$27 (None: not one)."""
        found = range_cells(reference)
        if found is None:
            return None
        cells = self.sheet(found[0])
        return [cells.get(ref) for ref in found[1]]

    def calculated(self, sheet: str, ref: str) -> bool:
        """False for a formula cell saved without its value (openpyxl saves none): nothing to compare."""
        return (self.sheet_parts.get(sheet, ""), ref) not in self.uncached


def range_cells(reference: str) -> tuple[str, list[str]] | None:
    """(sheet name, its cells in order) of a one-column or one-row range (None: not one)."""
    match = _RANGE.match(reference.strip())
    if not match:
        return None
    quoted, plain, col1, row1, col2, row2 = match.groups()
    sheet = quoted.replace("''", "'") if quoted else plain
    col2, row2 = col2 or col1, row2 or row1
    if col1 == col2:
        return sheet, [f"{col1}{r}" for r in range(int(row1), int(row2) + 1)]
    if row1 == row2:
        return sheet, [f"{c}{row1}" for c in _columns(col1, col2)]
    return None


def _columns(first: str, last: str) -> list[str]:
    from openpyxl.utils import column_index_from_string, get_column_letter

    return [get_column_letter(i) for i in range(column_index_from_string(first), column_index_from_string(last) + 1)]


# -- reading the caches back -----------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    """One cached chart point that is not what the cell it draws holds."""

    chart: str  # the chart's title (its part name when it has none)
    part: str  # xl/charts/chart1.xml
    series: str  # the reference the point belongs to, 'Distribution'!$E$8:$E$12
    point: int  # 1 for the reference's first cell
    sheet: str  # the cell's sheet and reference
    cell: str
    cached: str  # what the chart shows ("" none)
    value: str  # what the cell holds ("" blank)

    def message(self, command: str) -> str:
        """What is wrong, in the run's language; `command` writes the file again (annual...)."""
        blank = t("audit.chart_blank")
        return t("audit.chart_point", chart=self.chart, series=self.series, point=self.point,
                 cell=f"{self.sheet}!{self.cell}", cached=self.cached or blank, value=self.value or blank,
                 command=command)  # fmt: skip


def chart_mismatches(xlsx: bytes | Path) -> list[ChartPoint]:
    """Every cached point (series name, category or value) of every chart in the package that
    differs from the cell its reference names: a number by more than rounding, text at all, a
    point where the cell is blank or a blank where it holds something. A formula cell saved
    without its value is not judged, nor a reference without a cache."""
    data = xlsx.read_bytes() if isinstance(xlsx, Path) else xlsx
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    sheets = _SheetValues(parts)
    found: list[ChartPoint] = []
    for name in sorted(parts, key=lambda n: (len(n), n)):
        if name.startswith("xl/charts/") and name.endswith(".xml") and "/_rels/" not in name:
            found.extend(_chart_mismatches(name, etree.fromstring(parts[name], _PARSER), sheets))
    return found


def _chart_mismatches(part: str, root: etree._Element, sheets: _SheetValues) -> Iterator[ChartPoint]:
    title = root.find(f"{{{C}}}chart/{{{C}}}title")
    chart = "".join(t.text or "" for t in title.iter(f"{{{A}}}t")) if title is not None else ""
    for ref in root.iter(f"{{{C}}}numRef", f"{{{C}}}strRef"):
        formula, cache = ref.find(f"{{{C}}}f"), ref.find(f"{{{C}}}numCache")
        cache = cache if cache is not None else ref.find(f"{{{C}}}strCache")
        target = range_cells(formula.text or "") if formula is not None else None
        if cache is None or target is None or formula is None:
            continue
        sheet, refs = target
        cells = sheets.sheet(sheet)
        points = {int(p.get("idx", "-1")): p.findtext(f"{{{C}}}v") or "" for p in cache.iter(f"{{{C}}}pt")}
        for index in sorted(set(points) | set(range(len(refs)))):
            cell = refs[index] if 0 <= index < len(refs) else f"{formula.text}[{index}]"
            if 0 <= index < len(refs) and not sheets.calculated(sheet, cell):
                continue
            value = _shown_value(cells.get(cell))
            if not _same_point(points.get(index, ""), value):
                yield ChartPoint(chart or part, part, formula.text or "", index + 1, sheet, cell,
                                 points.get(index, ""), value)  # fmt: skip


def _shown_value(value: object) -> str:
    return "" if value is None else _number(value) if isinstance(value, float) else str(value)


def _same_point(cached: str, value: str) -> bool:
    try:
        a, b = float(cached), float(value)
    except ValueError:
        return cached == value
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))
