"""The audit: is each returned workbook exactly what kpibook generated for that person?

Finance signs off on appraisal results because they feed bonuses. `audit_workbook` compares a
returned workbook with what the spec generates for its role (kpibook.layout) and with what was
signed into it at generation (the fingerprint in `_kpibook`), and reports every difference as
a `Finding`: where (file, sheet, cell), what was expected, what is there, how serious.

Severity: "error" means the calculation, its inputs fixed by HR, or the evidence of them can no
longer be trusted (a formula, target, weight or parameter changed; metadata forged; a cached
score that no spreadsheet computed). "warning" means something changed that does not alter
any score kpibook computes but that finance should know about (validation relaxed, an input
cell locked, a tool that did not recalculate). Any finding makes the workbook not clean.

Harmless rewrites by spreadsheets are not findings: formulas are compared after
`formula_text.normalize` (case, spaces, `_xlfn.`) and, failing that, without `$` (the same
cell computes the same either way); Excel's shared formulas are expanded by the reader;
numbers at 15 significant digits (LibreOffice rounds there when it saves); LibreOffice's xlsx
export writes an empty <workbookProtection/> whatever it holds, so the structure lock is not
checked on files it saved.

Cached values. A file saved by a spreadsheet carries the value of every formula; kpibook
recomputes them all with the scoring core (from the actuals and the signed targets) and never
trusts them, but a cached value that disagrees is evidence: `cached_value` (error) — a
forged total, or a file edited by a tool that does not calculate after a spreadsheet saved it.
When *every* cache is still the blank workbook's while actuals are filled in, the file was
filled by a tool that does not recalculate (kpibook.fill with cache_values=False, scripts):
one `stale_cache` warning, since Excel recalculates such a file when it opens it. A file
without caches (openpyxl drops them all) has nothing to compare: no finding.

Versions. The fingerprint is checked against the metadata's own layout digest; the digest is
then compared with the given spec's role. A workbook from another roles.toml whose role is
unchanged gets an `other_spec` warning and the full cell-by-cell audit; one whose role changed
gets an `other_spec` error and no cell-by-cell comparison (it would list every difference
between the two versions, not tampering).

The package, by job: `codes` (finding codes, Finding, WorkbookAudit, AuditResult), `expected`
(what the spec generates for a role, from kpibook.layout), `values` (comparing and showing cell
values), `checks`, `validation` and `cached` (the checks), `run` (audit_workbook, audit) and
`formula_book` (`--explain`, which describes the spec, not a workbook).
"""

from kpibook.audit.checks import shows_fixed_display
from kpibook.audit.codes import CODES, ERROR, WARNING, AuditResult, Finding, WorkbookAudit
from kpibook.audit.formula_book import FormulaBookEntry, explain, explain_lines, write_formula_book
from kpibook.audit.run import audit, audit_workbook

__all__ = [
    "CODES",
    "ERROR",
    "WARNING",
    "AuditResult",
    "Finding",
    "FormulaBookEntry",
    "WorkbookAudit",
    "audit",
    "audit_workbook",
    "explain",
    "explain_lines",
    "shows_fixed_display",
    "write_formula_book",
]
