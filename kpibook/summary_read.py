"""Reading a summary.xlsx back, verified: what calibrate, annual and report build on.

    data = read_summary("summary.xlsx")             # key: KPIBOOK_KEY / KPIBOOK_KEY_FILE / demo
    data.period, data.employees[0]["total_score"]

A summary is accepted only when its hidden `_kpibook` sheet says consolidate wrote it, the
Employees cells (and, from format 2 on, the KPIs cells) hash to the digests recorded there,
and the record's HMAC verifies under the key given (kpibook.summary_meta), and every point its
Overview charts cache is the value of the cell it draws (kpibook.as_excel.chart_mismatches). A format 1 summary
signed only its Employees rows: it is read, but with no KPI rows (`kpis_signed` False), since
nothing vouches for its KPIs sheet. Anything else is refused with a reason that is true of the
file and says what to do: a workbook that is not a summary, a summary edited after it was
written, one signed with another key.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from kpibook import summary_meta
from kpibook.as_excel import chart_mismatches
from kpibook.errors import KpibookError, Problem
from kpibook.fingerprint import Key, load_key
from kpibook.messages import t
from kpibook.records import STATUS_IDS

EMPLOYEES_SHEET = "Employees"
ISSUES_SHEET = "Issues"
KPIS_SHEET = "KPIs"
HEADER_SEARCH_ROWS = 5  # the column ids' row may sit below a row of labels


@dataclass
class SummaryData:
    """A verified summary: its period, spec and the Employees, KPIs and Issues rows by column id
    (Issues is not signed: its messages are what consolidate said, not figures)."""

    path: Path
    period: str
    spec_sha256: str
    key_id: str
    header: list[str]
    employees: list[dict[str, object]] = field(default_factory=list)
    issues: list[dict[str, object]] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    kpis: list[dict[str, object]] = field(default_factory=list)  # each KPI's spread, verified
    kpis_signed: bool = True  # False: a format 1 summary, whose KPIs sheet is not signed (no kpis)


def read_summary(path: str | Path, key: Key | None = None) -> SummaryData:
    """The summary at `path`, verified; raises KpibookError (exit 2) when it cannot be trusted."""
    path = Path(path)
    key = key or load_key()
    book = _open(path)
    try:
        meta = _metadata(book, path)
        header, header_row, rows = _table(book, path, EMPLOYEES_SHEET)
        _verify(path, meta, key, header, rows, header_row)
        kpis_signed = meta.get("format_version") != "1"
        kpi_header, kpi_rows = _kpis(book, path, meta) if kpis_signed else ([], [])
        issues_header, _, issue_rows = _table(book, path, ISSUES_SHEET, required=False)
    finally:
        book.close()
    _check_charts(path)
    return SummaryData(
        path=path,
        period=meta.get("period", ""),
        spec_sha256=meta.get("spec_sha256", ""),
        key_id=meta.get("key_id", ""),
        header=header,
        employees=[_employee(header, row) for row in rows if any(v not in (None, "") for v in row)],
        issues=[dict(zip(issues_header, row)) for row in issue_rows if any(v not in (None, "") for v in row)],
        metadata=meta,
        kpis=[dict(zip(kpi_header, row)) for row in kpi_rows if any(v not in (None, "") for v in row)],
        kpis_signed=kpis_signed,
    )


def _open(path: Path) -> openpyxl.Workbook:
    if not path.is_file():
        raise KpibookError([Problem(str(path), t("summary_read.not_found"))])
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise KpibookError([Problem(str(path), t("summary_read.not_xlsx"))]) from None


def _metadata(book: openpyxl.Workbook, path: Path) -> dict[str, str]:
    if summary_meta.SHEET not in book.sheetnames:
        raise KpibookError([Problem(str(path), t("summary_read.not_summary"))])
    meta: dict[str, str] = {}
    for row in book[summary_meta.SHEET].iter_rows(max_col=2, values_only=True):
        if row and row[0] is not None:
            meta[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    if meta.get("kind") != summary_meta.KIND:
        raise KpibookError([Problem(f"{path}!{summary_meta.SHEET}", t("summary_read.not_summary"))])
    if meta.get("format_version") not in summary_meta.READABLE_VERSIONS:
        raise KpibookError(
            [
                Problem(
                    f"{path}!{summary_meta.SHEET}",
                    t(
                        "summary_read.format",
                        found=meta.get("format_version", ""),
                        expected=summary_meta.FORMAT_VERSION,
                    ),
                )
            ]
        )
    return meta


def _table(
    book: openpyxl.Workbook, path: Path, sheet: str, required: bool = True
) -> tuple[list[str], int, list[tuple[object, ...]]]:
    """(column ids, the header's row number, the data rows) of a sheet whose header starts
    with a known id in column A."""
    if sheet not in book.sheetnames:
        if not required:
            return [], 0, []
        raise KpibookError([Problem(f"{path}", t("summary_read.sheet_missing", sheet=sheet))])
    rows = book[sheet].iter_rows(values_only=True)
    for number, row in enumerate(rows, 1):
        if number > HEADER_SEARCH_ROWS:
            break
        if row and row[0] in ("employee_id", "file", "role_id"):
            header = [str(v) if v is not None else "" for v in row]
            while header and header[-1] == "":
                header.pop()
            return header, number, [tuple(r[: len(header)]) for r in rows]
    if not required:
        return [], 0, []
    raise KpibookError([Problem(f"{path}!{sheet}!A1", t("summary_read.header_missing"))])


def _verify(
    path: Path, meta: dict[str, str], key: Key, header: list[str], rows: list[tuple[object, ...]], header_row: int
) -> None:
    digest, count = summary_meta.rows_digest(header, rows)
    where = f"{path}!{EMPLOYEES_SHEET}!A{header_row}"
    if digest != meta.get("employees_sha256"):
        raise KpibookError([Problem(where, t("summary_read.edited", rows=count, signed=meta.get("employees", "?")))])
    if meta.get("key_id") and meta.get("key_id") != key.key_id:
        raise KpibookError(
            [
                Problem(
                    f"{path}!{summary_meta.SHEET}", t("summary_read.other_key", signed=meta["key_id"], given=key.key_id)
                )
            ]
        )
    if summary_meta.signature(key, meta) != meta.get("fingerprint"):
        raise KpibookError([Problem(f"{path}!{summary_meta.SHEET}", t("summary_read.forged"))])


def _kpis(book: openpyxl.Workbook, path: Path, meta: dict[str, str]) -> tuple[list[str], list[tuple[object, ...]]]:
    """The KPIs table, checked against its signed digest (the HMAC over it was checked already)."""
    header, header_row, rows = _table(book, path, KPIS_SHEET)
    digest, count = summary_meta.rows_digest(header, rows)
    if digest != meta.get("kpis_sha256"):
        where = f"{path}!{KPIS_SHEET}!A{header_row}"
        raise KpibookError([Problem(where, t("summary_read.kpis_edited", rows=count, signed=meta.get("kpis", "?")))])
    return header, rows


def _check_charts(path: Path) -> None:
    """The Overview charts' cached points against the cells they draw: a bar showing a number
    the summary does not hold means the file was edited after consolidate wrote it."""
    wrong = chart_mismatches(path)
    if wrong:
        raise KpibookError([Problem(f"{path}!{p.sheet}!{p.cell}", p.message("consolidate")) for p in wrong])


def _employee(header: list[str], row: tuple[object, ...]) -> dict[str, object]:
    """One Employees row by column id; a status shown as a label (正常) reads back as its id."""
    values = dict(zip(header, row))
    status = values.get("status")
    if isinstance(status, str):
        values["status"] = STATUS_IDS.get(status.strip(), status.strip())
    return values
