"""kpibook: KPI scorecard workbooks built from one role spec.

The library is the product; every `kpibook` command is one call of the function of the same
name, and the command line only presents its result:

    >>> import kpibook
    >>> spec = kpibook.load_spec()                      # the bundled roles.toml
    >>> role = spec.role("sales_manager")
    >>> kpibook.score_role(role, spec.grades, {"sm_revenue": 4_500_000}).kpis["sm_revenue"]
    90.0

    kpibook.generate("samples/roster.csv", "2026Q4", "out/")          # -> GenerateResult
    kpibook.consolidate(["returned/"], "summary.xlsx", manifest="out/manifest.csv")
    kpibook.audit(["returned/"])                                       # -> AuditResult
    kpibook.calibrate("summary.xlsx", "calibration.xlsx")              # -> CalibrateResult
"""

from __future__ import annotations

from kpibook.audit import audit
from kpibook.calibrate import calibrate
from kpibook.consolidate import consolidate
from kpibook.demo import demo
from kpibook.errors import KpibookError, Problem, SpecError
from kpibook.generate import generate
from kpibook.scoring import score_role
from kpibook.spec import load_spec, parse_spec
from kpibook.version import __version__

__all__ = [
    "KpibookError",
    "Problem",
    "SpecError",
    "__version__",
    "audit",
    "calibrate",
    "consolidate",
    "demo",
    "generate",
    "load_spec",
    "parse_spec",
    "score_role",
]
