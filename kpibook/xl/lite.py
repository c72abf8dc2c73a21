"""kpibook for xlwings Lite and xlwings Server (Office.js: Excel on Windows, macOS and the web).

With xlwings in server mode (`XLWINGS_ON_SERVER=true`, as xlwings Lite and xlwings Server run
it), importing this module registers:

- the worksheet functions of kpibook.xl.udfs (KPIBOOK_SCORE, KPIBOOK_GRADE...), re-exported
  here so that xlwings Lite's main.py only needs `from kpibook.xl.lite import *`;
- the buttons of kpibook.xl.scripts as scripts: kpibook_recompute, kpibook_consolidate,
  kpibook_audit. xlwings hands each one the workbook (`book: xw.Book`); it prints what it did
  (xlwings Lite shows it in its output pane) and writes it into the kpibook_status cell.

In xlwings Lite, files are under /data (xlwings Lite menu > Files > Import/Export) or in a
mounted local folder (desktop Excel on Windows): put such a path into kpibook_input.
"""

from __future__ import annotations

import xlwings as xw

from kpibook.xl import scripts
from kpibook.xl.udfs import (
    KPIBOOK_CHECK,
    KPIBOOK_GRADE,
    KPIBOOK_KPI_SCORE,
    KPIBOOK_RULE,
    KPIBOOK_SCORE,
    KPIBOOK_TOTAL,
)


@xw.script(name="kpibook: Recompute")
def kpibook_recompute(book: xw.Book) -> None:
    """Excel's scores beside Python's recomputation, differences in red (sheet "kpibook Recompute")."""
    print(scripts.run(scripts.recompute, book).message)


@xw.script(name="kpibook: Consolidate")
def kpibook_consolidate(book: xw.Book) -> None:
    """The department summary of the folder in kpibook_input (sheets "kpibook Summary" and "kpibook Issues")."""
    print(scripts.run(scripts.consolidate_folder, book).message)


@xw.script(name="kpibook: Audit")
def kpibook_audit(book: xw.Book) -> None:
    """The audit findings of the workbook(s) in kpibook_input (sheet "kpibook Audit")."""
    print(scripts.run(scripts.audit_active, book).message)


@xw.script(name="kpibook: Calibrate")
def kpibook_calibrate(book: xw.Book) -> None:
    """The calibration workbook for the summary in kpibook_input (sheet "kpibook Calibration")."""
    print(scripts.run(scripts.calibrate_summary, book).message)


SCRIPTS = (kpibook_recompute, kpibook_consolidate, kpibook_audit, kpibook_calibrate)

__all__ = [
    "KPIBOOK_CHECK",
    "KPIBOOK_GRADE",
    "KPIBOOK_KPI_SCORE",
    "KPIBOOK_RULE",
    "KPIBOOK_SCORE",
    "KPIBOOK_TOTAL",
    "kpibook_audit",
    "kpibook_calibrate",
    "kpibook_consolidate",
    "kpibook_recompute",
]

MAIN_PY = '''\
"""kpibook in xlwings Lite: the KPIBOOK_* worksheet functions and the kpibook buttons.

Written by `kpibook xl lite`. Everything lives in the kpibook package (see requirements.txt);
this file only makes it visible to xlwings Lite.
"""

from kpibook.xl.lite import *  # noqa: F403 - KPIBOOK_SCORE..., kpibook_recompute, kpibook_consolidate, kpibook_audit
'''

# What kpibook needs, all pure Python or built for Pyodide; micropip can then install kpibook's
# own wheel, which only works while every dependency in its metadata has such a build.
LITE_PACKAGES = ("xlwings", "openpyxl", "jinja2", "pandas", "lxml")
WHEEL_PLACEHOLDER = "https://YOUR-INTRANET/kpibook-{version}-py3-none-any.whl"


def requirements_txt(wheel_url: str | None = None) -> str:
    """xlwings Lite's requirements.txt: kpibook's wheel (a URL the add-in can download) and what it needs."""
    from kpibook.version import __version__

    url = wheel_url or WHEEL_PLACEHOLDER.format(version=__version__)
    lines = ["# kpibook for xlwings Lite (written by `kpibook xl lite`)"]
    if not wheel_url:
        lines.append("# Replace the last line with the address of kpibook's wheel (python -m build --wheel).")
    return "\n".join([*lines, *LITE_PACKAGES, url]) + "\n"
