"""What every test module shares: the repository's paths and the bundled spec, loaded once.

Fixtures built on these (`spec`, `sample_workbooks`) are in tests/conftest.py."""

from __future__ import annotations

import functools
from pathlib import Path

from kpibook.spec import Spec, load_spec

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "samples" / "roster.csv"
SPEC_PATH = ROOT / "roles.toml"
PERIOD = "2026Q4"


@functools.cache
def bundled_spec() -> Spec:
    """The repository's roles.toml, parsed once per test process (a Spec is never changed)."""
    return load_spec(SPEC_PATH)
