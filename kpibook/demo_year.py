"""The demo's year: four quarters of the sample department, then `kpibook annual`.

The sample roster changes during the year as rosters do: E1025 joins on 2026-04-13 (from Q2),
E1013 leaves on 2026-08-20 (last quarter Q3), E1021 moves from sales support to sales
specialist in Q3, and E1007's manager changes from 王芳 to 李伟 in Q2. Each quarter is
generated, filled as managers would, and consolidated; one Q4 workbook is never returned, so
that person's year shows as incomplete. The pay roster adds bonus_base, hired and left.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.annual import AnnualResult, annual
from kpibook.consolidate import consolidate
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.messages import t
from kpibook.outputs import atomic_write
from kpibook.resources import samples_dir
from kpibook.spec import Spec

YEAR = 2026
NEW_HIRE = {"employee_id": "E1025", "name": "韩梅", "role": "sales_specialist", "department": "市场销售部/华南",
            "manager": "李伟", "email": "han.mei@example.com"}  # fmt: skip
HIRED = {"E1025": "2026-04-13"}
LEFT = {"E1013": "2026-08-20"}
ROLE_CHANGE = ("E1021", "Q3", "sales_specialist")  # from this quarter on
MANAGER_CHANGE = ("E1007", "Q2", "李伟")
NOT_RETURNED = ("E1016", "Q4")
SEED = 2026


@dataclass
class DemoYearResult:
    folder: Path
    summaries: list[Path]
    pay_roster: Path
    year: AnnualResult
    lines: list[str] = field(default_factory=list)


def demo_year(out_dir: str | Path, spec: Spec) -> DemoYearResult:
    """Runs the four quarters and the year under `out_dir`/year."""
    folder = Path(out_dir) / "year"
    if folder.exists():
        shutil.rmtree(folder)  # the demo's own output from an earlier run
    header, base = _sample_roster()
    rng = random.Random(SEED)
    summaries = []
    for quarter in ("Q1", "Q2", "Q3", "Q4"):
        roster = folder / quarter / "roster.csv"
        rows = _quarter_roster(base, quarter)
        _write_csv(roster, header, rows)
        roles = {r["employee_id"]: r["role"] for r in rows}
        summaries.append(_run_quarter(folder / quarter, roster, f"{YEAR}{quarter}", spec, roles, rng))
    pay_roster = folder / "pay_roster.csv"
    _write_csv(pay_roster, [*header, "bonus_base", "hired", "left"], _pay_rows(base))
    year = annual(
        summaries, folder / f"YEAR{YEAR}.xlsx", csv=folder / f"payout{YEAR}.csv", roster=pay_roster, spec=spec
    )
    result = DemoYearResult(folder, summaries, pay_roster, year)
    result.lines += [
        t(
            "demo.year_story",
            year=YEAR,
            hire=NEW_HIRE["employee_id"],
            role_change=ROLE_CHANGE[0],
            role_quarter=ROLE_CHANGE[1],
            manager_change=MANAGER_CHANGE[0],
            manager_quarter=MANAGER_CHANGE[1],
            missing=NOT_RETURNED[0],
            missing_quarter=NOT_RETURNED[1],
        ),
        t("demo.year_written", out=year.out, csv=year.csv, control=year.control),
        *(f"  {line}" for line in year.status_lines()),
    ]
    return result


def _sample_roster() -> tuple[list[str], list[dict[str, str]]]:
    text = (samples_dir() / "roster.csv").read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), [dict(row) for row in reader]


def _quarter_roster(base: list[dict[str, str]], quarter: str) -> list[dict[str, str]]:
    rows = [dict(r) for r in base]
    if quarter >= "Q2":
        rows.append(dict(NEW_HIRE))
    if quarter == "Q4":
        rows = [r for r in rows if r["employee_id"] not in LEFT]
    for row in rows:
        if row["employee_id"] == ROLE_CHANGE[0] and quarter >= ROLE_CHANGE[1]:
            row["role"] = ROLE_CHANGE[2]
        if row["employee_id"] == MANAGER_CHANGE[0] and quarter >= MANAGER_CHANGE[1]:
            row["manager"] = MANAGER_CHANGE[2]
    return rows


def _pay_rows(base: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = [*(dict(r) for r in base), dict(NEW_HIRE)]
    for row in rows:
        managers = row["role"] == "sales_manager"
        row["bonus_base"] = "60000" if managers else f"{24000 + 1000 * (int(row['employee_id'][1:]) % 7)}"
        row["hired"] = HIRED.get(row["employee_id"], "2024-03-01")
        row["left"] = LEFT.get(row["employee_id"], "")
    return rows


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def _run_quarter(
    folder: Path, roster: Path, period: str, spec: Spec, roles: dict[str, str], rng: random.Random
) -> Path:
    """generate -> every manager fills every workbook (one Q4 never returns) -> consolidate."""
    workbooks, returned = folder / "workbooks", folder / "returned"
    generated = generate(roster, period, workbooks, spec=spec)
    for path in sorted(generated.written):
        employee_id = path.name.split("_")[0]  # generated names start with the employee id
        if (employee_id, period[4:]) == NOT_RETURNED:
            continue
        actuals = manager_actuals(spec.role(roles[employee_id]), rng)
        fill_workbook(path, returned / path.relative_to(workbooks), spec, actuals)
    summary = folder / "summary.xlsx"
    consolidate([returned], summary, spec=spec, manifest=workbooks / "manifest.csv")
    return summary
