"""Finding the roster's table in a file the way HR keeps it.

A roster may be a CSV saved by any Excel (UTF-8 with or without BOM, or GB18030/GBK from
"CSV (逗号分隔)" on a Chinese Windows), separated by commas, semicolons or tabs, or an .xlsx
whose roster sits on any sheet, below a title row or two. Headers may be in Chinese or
English, in any case, with spaces around them. This module finds the header row and returns
the rows under it with the row number Excel shows; `kpibook.roster` then checks the values.

Every file-format detail of the roster (aliases, encodings, delimiters) is written here once.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.errors import Problem, RosterError
from kpibook.messages import t

REQUIRED_COLUMNS = ("employee_id", "name", "role", "department", "manager")
OPTIONAL_COLUMNS = ("email",)
TARGET_PREFIX = "target."
HEADER_SCAN_ROWS = 30  # a header below more title rows than this is not looked for

# Header text (compared after `header_key`) -> the contract's column id.
ALIASES: dict[str, tuple[str, ...]] = {
    "employee_id": ("employee_id", "employee id", "employee no", "emp id", "工号", "员工编号", "员工工号", "员工号"),
    "name": ("name", "employee name", "employee_name", "姓名", "员工姓名"),
    "role": ("role", "role_id", "role id", "岗位", "职位", "岗位名称"),
    "department": ("department", "dept", "部门", "所属部门"),
    "manager": ("manager", "直属上级", "上级", "经理", "直属经理"),
    "email": ("email", "e-mail", "mail", "邮箱", "电子邮箱", "邮件"),
}
CHINESE_NAMES = {"employee_id": "工号", "name": "姓名", "role": "岗位", "department": "部门", "manager": "直属上级"}
ENCODINGS = (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030/GBK"))
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def header_key(text: str) -> str:
    """What two headers must share to mean the same: full-width folded, any case, no spaces,
    underscores or hyphens ("Employee ID", " employee_id ", "ＥＭＰＬＯＹＥＥ＿ＩＤ")."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text).casefold())


_COLUMN_OF = {header_key(alias): column for column, aliases in ALIASES.items() for alias in aliases}
_TARGET_RE = re.compile(r"^(?:target|目标)\s*[.:]\s*(\S+)$")  # after NFKC: 目标．x and 目标：x too


def column_of(header: str) -> str | None:
    """The contract's column id a header means (`target.<kpi_id>` for a target), or None."""
    folded = unicodedata.normalize("NFKC", header).casefold().strip()
    target = _TARGET_RE.match(folded)
    if target:
        return TARGET_PREFIX + target.group(1)
    return _COLUMN_OF.get(header_key(header))


@dataclass(frozen=True)
class RosterTable:
    """The roster's header and the rows under it, each with the row number Excel shows."""

    file: str  # the file's name, for messages
    sheet: str  # "" for a CSV
    encoding: str  # "" for an .xlsx
    delimiter: str  # "" for an .xlsx
    header_row: int
    columns: dict[str, int]  # column id -> index in a row
    labels: dict[str, str]  # column id -> the header as the file writes it
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def where(self) -> str:
        """How messages name the roster: the file, and the sheet of an .xlsx."""
        return t("roster.in_sheet", file=self.file, sheet=self.sheet) if self.sheet else self.file

    def note(self, count: int) -> str:
        """One line saying how the file was read (encoding, delimiter or sheet, header row)."""
        if self.sheet:
            return t("roster.read_xlsx", file=self.file, sheet=self.sheet, row=self.header_row, count=count)
        delimiter = t(f"roster.delimiter.{DELIMITERS[self.delimiter]}")
        return t(
            "roster.read_csv",
            file=self.file,
            encoding=self.encoding,
            delimiter=delimiter,
            row=self.header_row,
            count=count,
        )


@dataclass(frozen=True)
class _Grid:
    """One candidate reading of the file: a sheet, or the CSV under one delimiter."""

    cells: list[list[str]]  # cells[i] is Excel's row i + 1
    sheet: str = ""
    delimiter: str = ""


@dataclass(frozen=True)
class _Header:
    row: int  # Excel's row number
    columns: dict[str, int]
    labels: dict[str, str]
    duplicates: dict[str, list[str]]

    @property
    def missing(self) -> list[str]:
        return [c for c in REQUIRED_COLUMNS if c not in self.columns]


def read_table(path: Path, sheet: str | None = None) -> RosterTable:
    """The roster's table in `path` (CSV or .xlsx; `sheet` picks an .xlsx sheet by name)."""
    grids, encoding = _grids(path, sheet)
    best: tuple[_Grid, _Header] | None = None
    for grid in grids:
        header = find_header(grid.cells)
        if header is not None and not header.missing:
            return _table(path, grid, header, encoding)
        if header is not None and (best is None or len(header.missing) < len(best[1].missing)):
            best = (grid, header)
    raise RosterError([Problem(path.name, _not_found(grids, best))])


def read_rows(path: Path, sheet: str | None = None) -> tuple[list[str], list[list[str]]]:
    """The header row as written (cells stripped) and every row under it, empty ones included,
    for readers of extra roster columns (kpibook.year_roster). The header is the first row
    naming employee_id (工号...) in any sheet or delimiter, else the file's first row."""
    grids, _ = _grids(path, sheet)
    for grid in grids:
        header = find_header(grid.cells)
        if header is not None and "employee_id" in header.columns:
            return [c.strip() for c in grid.cells[header.row - 1]], grid.cells[header.row :]
    cells = grids[0].cells
    return [c.strip() for c in cells[0]], cells[1:]


def _grids(path: Path, sheet: str | None) -> tuple[list[_Grid], str]:
    """Every reading of the file (each sheet, or the CSV under each delimiter) and the CSV's encoding."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        grids, encoding = _xlsx_grids(path, sheet), ""
    else:
        text, encoding = _decode(path)
        grids = [_Grid(list(csv.reader(io.StringIO(text), delimiter=d)), delimiter=d) for d in DELIMITERS]
    if not any(any(c.strip() for c in row) for grid in grids for row in grid.cells):
        raise RosterError([Problem(path.name, t("roster.empty"))])
    return grids, encoding


def find_header(cells: list[list[str]]) -> _Header | None:
    """The row among the first few that names the most required columns (None: no row names any)."""
    best: _Header | None = None
    for index, row in enumerate(cells[:HEADER_SCAN_ROWS]):
        header = _header_of(index + 1, row)
        if header.columns and (best is None or len(header.missing) < len(best.missing)):
            best = header
            if not header.missing:
                break
    return best


def _header_of(row_no: int, row: list[str]) -> _Header:
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    duplicates: dict[str, list[str]] = {}
    for index, text in enumerate(row):
        column = column_of(text) if text.strip() else None
        if column is None:
            continue
        if column in columns:
            duplicates.setdefault(column, [labels[column]]).append(text.strip())
            continue
        columns[column], labels[column] = index, text.strip()
    return _Header(row_no, columns, labels, duplicates)


def _table(path: Path, grid: _Grid, header: _Header, encoding: str) -> RosterTable:
    table = RosterTable(path.name, grid.sheet, encoding, grid.delimiter, header.row, header.columns, header.labels)
    if header.duplicates:
        problems = [
            Problem(
                t("roster.where_header", file=table.where),
                t("roster.duplicate_column", columns=", ".join(labels), column=column),
            )
            for column, labels in header.duplicates.items()
        ]
        raise RosterError(problems)
    table.rows.extend((row_no, cells) for row_no, cells in enumerate(grid.cells, 1) if row_no > header.row)
    return table


def _not_found(grids: list[_Grid], best: tuple[_Grid, _Header] | None) -> str:
    """Which sheets and rows were read, the closest header seen, and what it lacks."""
    read = "; ".join(_what_was_read(g) for g in grids if g.sheet or best is None or g is best[0])
    required = ", ".join(f"{c} ({CHINESE_NAMES[c]})" for c in REQUIRED_COLUMNS)
    if best is None:
        first = next((row for g in grids for row in g.cells if any(c.strip() for c in row)), [])
        seen = ", ".join(c.strip() for c in first if c.strip()) or t("roster.nothing_seen")
        return t(
            "roster.header_not_found",
            read=read,
            row=1,
            seen=seen,
            missing=", ".join(REQUIRED_COLUMNS),
            required=required,
        )
    grid, header = best
    seen = ", ".join(c.strip() for c in grid.cells[header.row - 1] if c.strip())
    return t(
        "roster.header_not_found",
        read=read,
        row=header.row,
        seen=seen,
        missing=", ".join(header.missing),
        required=required,
    )


def _what_was_read(grid: _Grid) -> str:
    rows = min(len(grid.cells), HEADER_SCAN_ROWS)
    if grid.sheet:
        return t("roster.read_sheet_rows", sheet=grid.sheet, rows=rows)
    return t("roster.read_csv_rows", rows=rows, delimiter=t(f"roster.delimiter.{DELIMITERS[grid.delimiter]}"))


# ---------------------------------------------------------------------------------------
# The bytes of a file
# ---------------------------------------------------------------------------------------


SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # a zip (.xlsx, .ods) or an OLE file (.xls, .et)


def _decode(path: Path) -> tuple[str, str]:
    """The CSV's text and the name of its encoding (UTF-8 first: GBK would misread it)."""
    data = _read_bytes(path)
    if data.startswith(SPREADSHEET_MAGIC):  # .xls from old Excel or WPS, or an .xlsx under another name
        raise RosterError([Problem(path.name, t("roster.not_text"))])
    for codec, name in ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return text, name + (" BOM" if data.startswith(b"\xef\xbb\xbf") else "")
    raise RosterError([Problem(path.name, t("roster.bad_encoding"))])


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise RosterError([Problem(str(path), t("roster.not_found"))]) from None
    except OSError as exc:
        raise RosterError([Problem(str(path), t("roster.unreadable", reason=exc.strerror or exc))]) from None


def _xlsx_grids(path: Path, sheet: str | None) -> list[_Grid]:
    """Every sheet's cells as text (or only `sheet`), row i of the list being Excel's row i + 1."""
    import openpyxl

    from kpibook.read import cell_text

    _read_bytes(path)  # the same messages as a CSV for a missing or unreadable file
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise RosterError([Problem(path.name, t("roster.bad_xlsx", reason=type(exc).__name__))]) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise RosterError([Problem(path.name, t("roster.no_sheet", sheet=sheet, sheets=", ".join(wb.sheetnames)))])
        grids = []
        for ws in wb.worksheets if sheet is None else [wb[sheet]]:
            cells: list[list[str]] = []
            for row in ws.iter_rows():
                cells.extend([] for _ in range(_row_number(row, len(cells) + 1) - len(cells) - 1))
                cells.append(["" if c.value is None else cell_text(c.value) for c in row])
            grids.append(_Grid(cells, sheet=ws.title))
    finally:
        wb.close()
    return grids


def _row_number(row: tuple[object, ...], fallback: int) -> int:
    """The Excel row of a row of cells (a read-only row of only empty cells has none)."""
    numbers = (getattr(c, "row", None) for c in row)
    return next((n for n in numbers if isinstance(n, int)), fallback)
