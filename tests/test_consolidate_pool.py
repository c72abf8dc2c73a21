"""Isolation of the per-file work: a file that hangs, crashes or eats memory is rejected, the batch goes on.

The workers are real processes; the failures are real (a sleep, os._exit, SIGSEGV, a huge
allocation), so what is tested is what happens when a parser meets a hostile file.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kpibook.cli import main
from kpibook.consolidate import consolidate
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.pool import TaskFailure, map_isolated
from kpibook.spec import Spec, load_spec

ROOT = Path(__file__).resolve().parent.parent


def misbehave(item: str) -> str:
    if item == "hang":
        time.sleep(60)
    elif item == "exit":
        os._exit(3)
    elif item == "segfault":
        ctypes.string_at(0)
    elif item == "memory":
        return str(len(bytearray(8 << 30)))
    elif item == "raise":
        raise ValueError("a bug")
    return item.upper()


def test_every_failure_is_contained_and_the_rest_complete() -> None:
    items = ["a", "hang", "b", "exit", "c", "segfault", "d", "memory", "raise"] + [f"x{i}" for i in range(200)]
    started = time.monotonic()
    results = dict(map_isolated(misbehave, items, workers=2, timeout=2.0))
    assert time.monotonic() - started < 30
    assert sorted(results) == list(range(len(items)))
    failures = {items[i]: r for i, r in results.items() if isinstance(r, TaskFailure)}
    assert {k: f.kind for k, f in failures.items()} == {
        "hang": "timeout",
        "exit": "crash",
        "segfault": "crash",
        "memory": "memory",
        "raise": "error",
    }
    assert "SIGSEGV" in failures["segfault"].detail and "ValueError: a bug" in failures["raise"].detail
    assert all(results[i] == item.upper() for i, item in enumerate(items) if item not in failures)


def test_in_process_mode_and_empty_input() -> None:
    assert dict(map_isolated(str.upper, ["a", "b"], workers=0)) == {0: "A", 1: "B"}
    assert list(map_isolated(str.upper, [], workers=2)) == []


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(ROOT / "roles.toml")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> Path:
    import random

    base = tmp_path_factory.mktemp("pool")
    generate(ROOT / "samples" / "roster.csv", "2026Q4", base / "blank", spec=spec)
    rng = random.Random(7)
    returned = base / "returned"
    for blank in sorted((base / "blank").rglob("*.xlsx"))[:6]:
        from kpibook.read import read_workbook

        role = spec.role(read_workbook(blank).metadata["role_id"])
        fill_workbook(blank, returned / blank.name, spec, manager_actuals(role, rng))
    return returned


def slow_copy(source: Path, dest: Path) -> Path:
    """A valid workbook that takes well over a second to read: 180,000 long text cells (under the
    reader's cell limit) beside the scorecard, as a pasted data dump would add."""
    import io
    import zipfile

    with zipfile.ZipFile(source) as archive:
        parts = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    cell = b'<c r="%s%d" t="inlineStr"><is><t>' + b"x" * 200 + b"</t></is></c>"
    columns = [b"AZ", b"BA", b"BB", b"BC", b"BD", b"BE", b"BF", b"BG", b"BH", b"BI"]
    dump = b"".join(
        b'<row r="%d">' % r + b"".join(cell % (c, r) for c in columns) + b"</row>" for r in range(100, 18_100)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            out.writestr(
                name,
                data.replace(b"</sheetData>", dump + b"</sheetData>") if name == "xl/worksheets/sheet1.xml" else data,
            )
    dest.write_bytes(buffer.getvalue())
    return dest


def test_a_file_that_overruns_its_time_is_rejected_and_the_batch_goes_on(
    folder: Path, spec: Spec, tmp_path: Path
) -> None:
    """The slow file takes ~1.5 s to read, every other file ~5 ms: with a 0.4 s limit the slow one,
    and only it, is stopped and rejected; the rest are consolidated as usual."""
    returned = tmp_path / "returned"
    shutil.copytree(folder, returned)
    victim = sorted(returned.glob("*.xlsx"))[0]
    slow_copy(victim, victim)
    result = consolidate([returned], tmp_path / "s.xlsx", spec=spec, workers=2, timeout=0.4)
    # without a manifest nothing says whose the stopped file is: it is in Issues, not a row of no one
    assert result.out.is_file() and result.exit_code == 1 and len(result.employees) == 5
    assert [r.status for r in result.employees] == ["ok"] * 5
    assert victim.name not in " ".join(r.file for r in result.employees)
    assert [(i.code, i.severity) for i in result.issues] == [("unreadable.timeout", "error")]
    assert "stopped" in result.issues[0].message and victim.name in result.issues[0].file
    fine = consolidate([returned], tmp_path / "s.xlsx", spec=spec, workers=2)
    assert [r.status for r in fine.employees] == ["ok"] * 6 and fine.exit_code == 0


def test_a_summary_that_cannot_be_replaced_is_a_clear_error(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An immutable file stands in for a summary Excel holds open (Linux does not lock open files)."""
    out = tmp_path / "summary.xlsx"
    assert main(["consolidate", str(folder), "--out", str(out)]) == 0
    before = out.read_bytes()
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here (needs root on a filesystem that supports it)")
    try:
        assert main(["consolidate", str(folder), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert str(out) in err and "open in another program" in err and "Traceback" not in err
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    assert out.read_bytes() == before
    assert not list(tmp_path.glob(".summary.xlsx.*"))
