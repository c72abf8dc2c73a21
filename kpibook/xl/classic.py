"""The Recompute, Consolidate and Audit buttons for classic xlwings (desktop Excel, Windows and macOS).

Each macro runs its body from kpibook.xl.scripts on the workbook that called it
(`xw.Book.caller()`). Two ways to call them, both set up by `kpibook xl setup`:

- RunPython (Windows and macOS): a VBA macro in the workbook, e.g.

      Sub KpibookRecompute()
          RunPython "import kpibook.xl.classic as k; k.recompute()"
      End Sub

- Windows only: with "UDF Modules" = kpibook.xl.udfs;kpibook.xl.classic, the ribbon's
  "Import Functions" also turns these three into VBA macros (xlwings registers `xw.script`
  functions as Subs), ready to be assigned to buttons.

A mistake (no folder given, a file that is not a scorecard...) shows as one message box,
never a Python traceback. Keep this module free of worksheet functions: "Import Functions"
turns everything here that xlwings decorated into VBA.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xlwings as xw

from kpibook.xl import scripts


def press(body: Callable[[Any], str]) -> scripts.ScriptResult:
    """Runs a button on the calling workbook; shows a mistake as a message box."""
    book = xw.Book.caller()
    result = scripts.run(body, book)
    if not result.ok:
        book.app.alert(result.message, title="kpibook", mode="critical")
    return result


@xw.script
def recompute() -> None:
    """kpibook Recompute: Excel's scores beside Python's recomputation, differences in red."""
    press(scripts.recompute)


@xw.script
def consolidate_folder() -> None:
    """kpibook Consolidate: the department summary of the folder in kpibook_input."""
    press(scripts.consolidate_folder)


@xw.script
def audit_active() -> None:
    """kpibook Audit: the findings of the workbook(s) in kpibook_input, else of this workbook."""
    press(scripts.audit_active)


@xw.script
def calibrate_summary() -> None:
    """kpibook Calibrate: the calibration workbook for the summary in kpibook_input."""
    press(scripts.calibrate_summary)


MACROS: dict[str, str] = {
    "KpibookRecompute": "recompute",
    "KpibookConsolidate": "consolidate_folder",
    "KpibookAudit": "audit_active",
    "KpibookCalibrate": "calibrate_summary",
}


def vba_module() -> str:
    """The VBA macros that call the buttons through RunPython (paste into a module, Alt+F11)."""
    lines = ["' kpibook buttons: assign these macros to buttons (Developer > Insert > Button)."]
    for macro, function in MACROS.items():
        lines += [
            f"Sub {macro}()",
            f'    RunPython "import kpibook.xl.classic as k; k.{function}()"',
            "End Sub",
            "",
        ]
    return "\n".join(lines)
