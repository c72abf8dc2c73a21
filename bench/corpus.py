"""Corpora of returned workbooks as managers really send them back, built once and cached.

A workbook kpibook filled by editing its XML keeps every part byte-identical to the blank one
except the scorecard; a workbook a manager saved in a spreadsheet program has every part
rewritten (shared strings, styles, its own XML habits). The consolidate bench measures both:

    filled        kpibook.fill: typed actuals written into the generated XML (bench/consolidate.py)
    libreoffice   the filled workbooks opened and saved again by LibreOffice Calc (headless)
    gnumeric      the same, saved by Gnumeric's ssconvert --recalc

    .venv/bin/python bench/corpus.py libreoffice --n 600 --dir .bench-cache/lo600

The programs are slow (LibreOffice ~0.1 s a file, Gnumeric ~0.5 s), so a corpus is kept in its
folder with a stamp naming how it was made; a later run with the same arguments reuses it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lo import recalculate  # noqa: E402  (the tests' own LibreOffice driver, private profile)
from tests.programs import save_with_gnumeric  # noqa: E402  (and their Gnumeric one)

PROGRAMS = ("libreoffice", "gnumeric")
BATCH = 200  # files per soffice run: one start-up cost per batch, a bounded command line


def _stamp(folder: Path) -> dict[str, object]:
    try:
        return json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def saved_by(program: str, filled: Path, out: Path) -> list[Path]:
    """Every .xlsx under `filled`, saved again by `program` into `out` (same file names)."""
    sources = sorted(filled.rglob("*.xlsx"))
    out.mkdir(parents=True, exist_ok=True)
    if program == "libreoffice":
        saved: list[Path] = []
        for start in range(0, len(sources), BATCH):
            saved += recalculate(sources[start : start + BATCH], out)
        return saved
    if program == "gnumeric":
        pairs = [(source, out / source.name) for source in sources]
        save_with_gnumeric(pairs)
        return [target for _, target in pairs]
    raise ValueError(f"program must be one of {PROGRAMS}")


def build_corpus(program: str, n: int, folder: Path, workers: int) -> tuple[Path, Path]:
    """(the folder of saved workbooks, the manifest), building them unless the stamp matches."""
    from bench.consolidate import build  # the kpibook-filled corpus this one starts from
    from kpibook.manifest import MANIFEST

    wanted = {"program": program, "n": n}
    saved_dir = folder / f"saved-by-{program}"
    if _stamp(folder) == wanted and saved_dir.is_dir():
        return saved_dir, folder / "blank" / MANIFEST
    if folder.exists():
        shutil.rmtree(folder)
    filled, manifest = build(folder, n, workers)
    started = time.perf_counter()
    saved = saved_by(program, filled, saved_dir)
    print(f"saved {len(saved)} workbooks with {program} in {time.perf_counter() - started:.1f} s")
    (folder / "corpus.json").write_text(json.dumps(wanted), encoding="utf-8")
    return saved_dir, manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("program", choices=PROGRAMS)
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    saved, _ = build_corpus(args.program, args.n, args.dir, args.workers)
    print(f"{len(list(saved.glob('*.xlsx')))} workbooks in {saved}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
