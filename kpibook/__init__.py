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
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kpibook")
except PackageNotFoundError:  # a source checkout that is not installed
    __version__ = "0.1.0"

# Defined after __version__: the modules below read it while they load.
from kpibook.audit import audit  # noqa: E402
from kpibook.consolidate import consolidate  # noqa: E402
from kpibook.demo import demo  # noqa: E402
from kpibook.errors import KpibookError, Problem, SpecError  # noqa: E402
from kpibook.generate import generate  # noqa: E402
from kpibook.scoring import score_role  # noqa: E402
from kpibook.spec import load_spec, parse_spec  # noqa: E402

__all__ = [
    "KpibookError",
    "Problem",
    "SpecError",
    "__version__",
    "audit",
    "consolidate",
    "demo",
    "generate",
    "load_spec",
    "parse_spec",
    "score_role",
]
