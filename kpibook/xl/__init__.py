"""kpibook in Excel, through xlwings.

- `kpibook.xl.core`: the bodies of the worksheet functions, plain Python over the scoring core;
- `kpibook.xl.udfs`: the worksheet functions (KPIBOOK_SCORE, KPIBOOK_GRADE...), registered for
  the classic add-in on Windows and, in server mode, as Office.js custom functions;
- `kpibook.xl.scripts`: the bodies of the Recompute, Consolidate and Audit buttons, written
  against xlwings' Book API;
- `kpibook.xl.classic`: those buttons as RunPython macros (Windows and macOS desktop Excel);
- `kpibook.xl.lite`: those buttons as xlwings Lite / xlwings Server scripts, and the main.py
  and requirements.txt that xlwings Lite needs;
- `kpibook.xl.setup`: preparing a workbook for the add-in (`kpibook xl setup`).

This package imports nothing from xlwings itself; only udfs, classic and lite do.
"""
