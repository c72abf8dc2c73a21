"""The wheel carries what an installed kpibook needs besides its code: roles.toml, templates/, samples/."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.common import ROOT


@pytest.mark.slow
def test_wheel_carries_the_bundled_spec_templates_and_samples(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("kpibook-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").iterdir()}
    assert "kpibook/_data/roles.toml" in names
    assert "kpibook/_data/samples/roster.csv" in names
    assert {f"kpibook/_data/{t}" for t in templates} <= names
    assert zipfile.ZipFile(wheel).read("kpibook/_data/roles.toml") == (ROOT / "roles.toml").read_bytes()
