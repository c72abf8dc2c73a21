"""The calibration workbook's file format: its columns, formulas, metadata and fingerprint, and
reading one back verified. Written in one place, used by `kpibook calibrate` (writing, through
kpibook.calibration_sheets), `consolidate --calibration` (reading) and `audit` (checking).

Sheet `Calibration` holds the Excel table `Calibration` from A1: one row per calibrated
employee. Columns A-G (who, their score and the grade the formulas gave) are values kpibook
fixed, H, K and L are formulas, I (calibrated_grade) and J (reason) are the only inputs.

The hidden `_kpibook` sheet (key in A, value in B, as in the scorecards and the summary)
records the period, the spec, the summary it came from and a digest of columns A-G of every
row, signed with HR's key (HMAC-SHA256). A workbook whose fixed cells were edited, or that was
made for another summary, or signed with another key, is refused with a reason.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from kpibook.errors import KpibookError, Problem
from kpibook.fingerprint import Key
from kpibook.messages import t
from kpibook.signing import cell_text, sign

SHEET = "Calibration"
TABLE = "Calibration"
DISTRIBUTION = "Distribution"
NOT_CALIBRATED = "Not calibrated"
META_SHEET = "_kpibook"
KIND = "kpibook-calibration"
FORMAT_VERSION = "1"
SIGNED_KEYS = ("kind", "format_version", "period", "spec_sha256", "summary_sha256", "employees", "rows_sha256")

FIXED = ("employee_id", "employee_name", "manager", "role_id", "department", "total_score", "grade")
COLUMNS = (*FIXED, "dept_rank", "calibrated_grade", "reason", "final_grade", "check")
INPUTS = ("calibrated_grade", "reason")
LETTER = {name: get_column_letter(i) for i, name in enumerate(COLUMNS, 1)}
FIRST_ROW = 2  # the table's header is row 1


# ---------------------------------------------------------------------------------------
# Formulas of the computed columns (written by calibrate, compared by audit)
# ---------------------------------------------------------------------------------------


def grade_list_ref(grades: int) -> str:
    """The Distribution cells that list the grade scale (top grade first)."""
    return f"{DISTRIBUTION}!$A${GRADE_TABLE_ROW}:$A${GRADE_TABLE_ROW + grades - 1}"


GRADE_TABLE_ROW = 8  # first grade row of the Distribution's grade table (kpibook.calibration_sheets)


def row_formulas(row: int, last: int, grades: int) -> dict[str, str]:
    """The formulas of one table row: rank in the department, final grade, the visible check.

    The final grade is the calibrated grade only when it is a grade of the scale and a reason
    is given; the check says which of the two is missing (the same rule as consolidate)."""
    c = {name: f"{letter}{row}" for name, letter in LETTER.items()}
    dept, score = (
        f"${LETTER['department']}${FIRST_ROW}:${LETTER['department']}${last}",
        (f"${LETTER['total_score']}${FIRST_ROW}:${LETTER['total_score']}${last}"),
    )
    new, old, why = c["calibrated_grade"], c["grade"], c["reason"]
    unchanged = f'OR({new}="",{new}={old})'
    not_grade = f"ISNA(MATCH({new},{grade_list_ref(grades)},0))"
    no_reason = f"LEN(TRIM({why}))=0"
    return {
        "dept_rank": f"=SUMPRODUCT(({dept}={c['department']})*({score}>{c['total_score']}))+1",
        "final_grade": f"=IF({unchanged},{old},IF(OR({not_grade},{no_reason}),{old},{new}))",
        "check": (
            f'=IF({unchanged},"",IF({not_grade},"{check_text("not_a_grade")}",'
            f'IF({no_reason},"{check_text("reason_needed")}","✓ "&{old}&" → "&{new})))'
        ),
    }


def check_text(code: str) -> str:
    """The flag the check column shows, in both languages (workbooks are read by everyone)."""
    return f"✗ {t('calibrate.' + code, 'zh')} {t('calibrate.' + code, 'en')}"


def reason_rule(row: int) -> str:
    """Data validation of a reason cell: required when the grade changes."""
    c = {name: f"${letter}{row}" for name, letter in LETTER.items()}
    return f'=OR({c["calibrated_grade"]}="",{c["calibrated_grade"]}={c["grade"]},LEN(TRIM({c["reason"]}))>0)'


# ---------------------------------------------------------------------------------------
# The fingerprint
# ---------------------------------------------------------------------------------------


def rows_digest(rows: Iterable[Sequence[object]]) -> tuple[str, int]:
    """sha256 over the fixed columns (A-G) of every row; (hex digest, number of rows)."""
    digest = hashlib.sha256(json.dumps(list(FIXED)).encode())
    count = 0
    for row in rows:
        digest.update(b"\n" + json.dumps([cell_text(v) for v in row[: len(FIXED)]], ensure_ascii=False).encode())
        count += 1
    return digest.hexdigest(), count


def signature(key: Key, fields: Mapping[str, str]) -> str:
    """HMAC of this file kind's signed fields (kpibook.signing)."""
    return sign(key, fields, SIGNED_KEYS)


def metadata_rows(
    key: Key, *, period: str, spec_sha256: str, summary_sha256: str, rows: Sequence[Sequence[object]], extra: dict
) -> list[tuple[str, str]]:
    digest, count = rows_digest(rows)
    fields = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "period": period,
        "spec_sha256": spec_sha256,
        "summary_sha256": summary_sha256,
        "employees": str(count),
        "rows_sha256": digest,
    }
    return [*fields.items(), *extra.items(), ("key_id", key.key_id), ("fingerprint", signature(key, fields))]


# ---------------------------------------------------------------------------------------
# Reading one back
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationRow:
    row: int  # the Excel row, for messages
    employee_id: str
    employee_name: str
    manager: str
    role_id: str
    department: str
    total_score: float | None
    grade: str
    calibrated_grade: str
    reason: str

    @property
    def who(self) -> str:
        return f"{self.employee_id} {self.employee_name}".strip()


@dataclass
class CalibrationData:
    path: Path
    metadata: dict[str, str]
    rows: list[CalibrationRow] = field(default_factory=list)

    @property
    def period(self) -> str:
        return self.metadata.get("period", "")


def is_calibration(path: Path) -> bool:
    """True for a workbook with the calibration's sheets (what audit hands to the calibration check)."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return f'name="{SHEET}"'.encode() in workbook and f'name="{DISTRIBUTION}"'.encode() in workbook


def is_blank_calibration(path: Path) -> bool:
    """True for a calibration workbook in which nobody has typed a grade or a reason yet: what
    calibrate --out may replace (a filled one holds the meeting's decisions and is kept)."""
    if not is_calibration(path):
        return False
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return False
    try:
        first, last = COLUMNS.index(INPUTS[0]) + 1, COLUMNS.index(INPUTS[-1]) + 1
        cells = book[SHEET].iter_rows(min_row=FIRST_ROW, min_col=first, max_col=last, values_only=True)
        return all(v in (None, "") for row in cells for v in row)
    finally:
        book.close()


def read_calibration(path: str | Path, key: Key) -> CalibrationData:
    """The calibration workbook at `path`, verified; raises KpibookError (exit 2) when its fixed
    cells or its metadata cannot be trusted."""
    path = Path(path)
    if not path.is_file():
        raise KpibookError([Problem(str(path), t("calibration.not_found"))])
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise KpibookError([Problem(str(path), t("calibration.not_calibration"))]) from None
    try:
        if META_SHEET not in book.sheetnames or SHEET not in book.sheetnames:
            raise KpibookError([Problem(str(path), t("calibration.not_calibration"))])
        meta = _metadata(book[META_SHEET])
        values = table_rows(book[SHEET], path)
    finally:
        book.close()
    if meta.get("kind") != KIND or meta.get("format_version") != FORMAT_VERSION:
        raise KpibookError([Problem(f"{path}!{META_SHEET}", t("calibration.not_calibration"))])
    digest, count = rows_digest(values)
    if digest != meta.get("rows_sha256"):
        where = f"{path}!{SHEET}!A{FIRST_ROW}"
        raise KpibookError([Problem(where, t("calibration.edited", rows=count, signed=meta.get("employees", "?")))])
    if not hmac.compare_digest(signature(key, meta), meta.get("fingerprint", "")):
        raise KpibookError([Problem(f"{path}!{META_SHEET}", t("calibration.forged", key_id=meta.get("key_id", "?")))])
    return CalibrationData(path, meta, calibration_rows(values))


def _metadata(sheet: object) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in sheet.iter_rows(max_col=2, values_only=True):  # type: ignore[attr-defined]
        if row and row[0] is not None:
            meta[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    return meta


def table_rows(sheet: object, path: Path) -> list[tuple[object, ...]]:
    """The Calibration table's rows below its header, columns A-L as the cells hold them."""
    rows = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    header = next(rows, ())
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        raise KpibookError([Problem(f"{path}!{SHEET}!A1", t("calibration.not_calibration"))])
    values = [tuple(r[: len(COLUMNS)]) + (None,) * (len(COLUMNS) - len(r)) for r in rows]
    while values and all(v in (None, "") for v in values[-1]):
        values.pop()  # a reader may see formatted empty rows below the table
    return values


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def calibration_rows(values: Sequence[Sequence[object]]) -> list[CalibrationRow]:
    """The table's rows (as table_rows returns them), their texts trimmed."""
    return [_row(FIRST_ROW + i, v) for i, v in enumerate(values)]


def _row(number: int, values: Sequence[object]) -> CalibrationRow:
    v = dict(zip(COLUMNS, values))
    score = v["total_score"]
    return CalibrationRow(
        row=number,
        employee_id=_text(v["employee_id"]),
        employee_name=_text(v["employee_name"]),
        manager=_text(v["manager"]),
        role_id=_text(v["role_id"]),
        department=_text(v["department"]),
        total_score=float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
        grade=_text(v["grade"]),
        calibrated_grade=_text(v["calibrated_grade"]),
        reason=_text(v["reason"]),
    )
