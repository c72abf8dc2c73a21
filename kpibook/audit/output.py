"""The audit's report as finance reads it: text (a verdict line per workbook, OK / WARN / FAIL by
its worst finding, then one line per finding with code, cell, expected, found and what to do;
the run's summary last) or JSON (the same, with expected and found whole), printed or written
to one file.
"""

from __future__ import annotations

import json
from pathlib import Path

from kpibook.audit.codes import AuditResult
from kpibook.errors import OutputError, Problem
from kpibook.messages import t
from kpibook.outputs import replace_file

_REPORT_STARTS = ("OK ", "WARN ", "FAIL ", "SKIP ", "{")


def report_text(result: AuditResult, as_json: bool = False, lang: str | None = None) -> str:
    """The whole report: the text lines, or the JSON document (full texts)."""
    if as_json:
        return json.dumps(result.as_dict(lang), ensure_ascii=False, indent=2) + "\n"
    return "\n".join(result.lines(lang)) + "\n"


def check_report_path(path: Path) -> None:
    """Refuses (exit 2, before any work) an --out that is a workbook or a file that is not an
    earlier audit report: nothing else is ever replaced by a report."""
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise OutputError([Problem(str(path), t("audit.out_xlsx"))])
    if path.is_dir():
        raise OutputError([Problem(str(path), t("audit.out_folder"))])
    if path.exists() and not _is_report(path):
        raise OutputError([Problem(str(path), t("audit.out_not_report"))])


def _is_report(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(64).decode("utf-8", errors="replace")
    except OSError:
        return False
    return head == "" or head.startswith(_REPORT_STARTS)


def write_report(result: AuditResult, path: Path, as_json: bool = False, lang: str | None = None) -> None:
    """Writes the report to `path` atomically (UTF-8)."""
    check_report_path(path)
    replace_file(path, report_text(result, as_json, lang).encode("utf-8"))
