"""`kpibook annual`: the four quarters' summaries rolled up into the year, with pay linkage.

    result = annual(["q1/summary.xlsx", ..., "q4/summary.xlsx"], "YEAR.xlsx",
                    csv="payout.csv", roster="roster.csv")

Every summary is read through kpibook.summary_read (refused when consolidate did not write it,
when it was edited, or when another key signed it); the summaries must be quarters of one year,
each at most once. The year is computed in Python (kpibook.year_model) and written as live
formulas (kpibook.year_sheets), so the workbook shows its own arithmetic and the tests compare
the two. The optional roster adds `bonus_base`, `hired` and `left` per employee
(kpibook.year_roster); `--csv` writes finance's export (kpibook.year_export).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kpibook.errors import KpibookError, OutputError, Problem
from kpibook.fingerprint import Key, load_key
from kpibook.messages import t
from kpibook.outputs import check_writable, replace_file
from kpibook.period import parse_period
from kpibook.spec import Spec, load_spec
from kpibook.summary_read import SummaryData, read_summary
from kpibook.version import __version__
from kpibook.year_book import YearBook, is_year_xlsx
from kpibook.year_export import is_year_csv, write_year_csv
from kpibook.year_model import INCOMPLETE, NOT_RETURNED, YEAR_STATUSES, YearRow, year_rows
from kpibook.year_roster import read_employment
from kpibook.year_rules import QUARTERS
from kpibook.year_sheets import year_bytes

if TYPE_CHECKING:
    import pandas


@dataclass
class AnnualResult:
    out: Path
    csv: Path | None
    control: Path | None
    year: int
    periods: list[str]
    rows: list[YearRow]
    problems: list[Problem] = field(default_factory=list)  # reported, not fatal: a quarter not given
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.rows) for s in YEAR_STATUSES}

    @property
    def payout_total(self) -> float:
        return round(sum(r.payout for r in self.rows if r.payout is not None), 2)

    @property
    def exit_code(self) -> int:
        """0: every year complete and nothing reported; 1: an incomplete year or a problem to act on."""
        return 1 if self.problems or any(r.status == INCOMPLETE for r in self.rows) else 0

    def status_lines(self) -> list[str]:
        counts = ", ".join(f"{s} {n}" for s, n in self.counts.items())
        lines = [t("year.result.people", year=self.year, count=len(self.rows), counts=counts)]
        paid = [r for r in self.rows if r.payout is not None]
        if paid:
            lines.append(t("year.result.payout", paid=len(paid), total=f"{self.payout_total:,.2f}"))
        changed = sum(bool(r.changes) for r in self.rows)
        if changed:
            lines.append(t("year.result.changes", count=changed))
        return lines

    def incomplete_lines(self) -> list[str]:
        """Why each incomplete year is incomplete: the quarters not returned ok."""
        lines = []
        for row in self.rows:
            if row.status != INCOMPLETE:
                continue
            quarters = ", ".join(
                f"{period} {cell.summary_status or t('year.result.absent')}"
                for period, cell in zip(self.periods, row.quarters.values(), strict=True)
                if cell.state == NOT_RETURNED
            )
            lines.append(
                t("year.result.incomplete", employee=f"{row.employee_id} {row.employee_name}", quarters=quarters)
            )
        return lines

    def dataframe(self) -> pandas.DataFrame:
        """The finance rows (the CSV's columns) as a pandas DataFrame."""
        import pandas as pd

        from kpibook.year_export import csv_header, csv_row

        return pd.DataFrame([csv_row(r, self.periods) for r in self.rows], columns=csv_header(self.periods))


def annual(
    summaries: Sequence[str | Path],
    out: str | Path,
    *,
    csv: str | Path | None = None,
    roster: str | Path | None = None,
    spec: Spec | str | Path | None = None,
    key: Key | None = None,
) -> AnnualResult:
    """Reads the quarters' summaries and writes YEAR.xlsx (and the finance CSV)."""
    started = time.perf_counter()
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    if spec.year is None:
        raise KpibookError([Problem(spec.source or "roles.toml", t("year.no_rules"))])
    key = key or load_key()
    out, csv = Path(out), Path(csv) if csv else None
    _check_output(out, is_year_xlsx, "--out")
    if csv:
        _check_output(csv, is_year_csv, "--csv")
    employment = read_employment(Path(roster)) if roster else {}
    by_quarter = _read_quarters(summaries, key)
    year = int(next(iter(by_quarter.values())).period[:4])
    periods = [f"{year}{q}" for q in QUARTERS]
    problems = [
        Problem(p, t("year.quarter_missing", period=p)) for p, q in zip(periods, QUARTERS) if q not in by_quarter
    ]
    quarters = {q: by_quarter[q].employees if q in by_quarter else None for q in QUARTERS}
    rows = year_rows(year, quarters, spec.year, spec.grades, employment)
    if roster:
        problems += [
            Problem(f"{roster}", t("year.no_base", employee=f"{r.employee_id} {r.employee_name}"))
            for r in rows
            if r.status != INCOMPLETE and r.bonus_base is None
        ]
    book = YearBook(
        year=year,
        periods=periods,
        rows=rows,
        rules=spec.year,
        grades=spec.grades,
        spec_sha256=spec.sha256,
        sources=",".join(f"{d.period}:{d.metadata.get('employees_sha256', '')}" for d in by_quarter.values()),
        kpibook_version=__version__,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    replace_file(out, year_bytes(book, key))
    control = write_year_csv(csv, rows, periods) if csv else None
    return AnnualResult(out, csv, control, year, periods, rows, problems, time.perf_counter() - started)


def _check_output(path: Path, is_ours: Callable[[Path], bool], option: str) -> None:
    """Refuses, before any work, to replace a file that is not an earlier year output."""
    if path.is_file() and not path.is_symlink() and not is_ours(path):
        raise OutputError([Problem(str(path), t("year.output_not_ours", option=option))])
    check_writable(path, is_ours, option)


def _read_quarters(summaries: Sequence[str | Path], key: Key) -> dict[str, SummaryData]:
    """The verified summaries by quarter (Q1..Q4 order); every refusal reported at once."""
    if not summaries:
        raise KpibookError([Problem("kpibook annual", t("year.no_summaries"))])
    problems: list[Problem] = []
    found: dict[str, SummaryData] = {}
    years: dict[int, str] = {}
    for path in summaries:
        if is_year_xlsx(Path(path)):
            problems.append(Problem(str(path), t("year.is_year_book")))
            continue
        try:
            data = read_summary(path, key)
        except KpibookError as exc:
            problems += exc.problems
            continue
        where = f"{path}!_kpibook"
        try:
            period = parse_period(data.period)
        except KpibookError:
            period = None
        if period is None or period.kind != "quarter":
            problems.append(Problem(where, t("year.not_quarter", period=data.period)))
            continue
        quarter = period.label[4:]
        if quarter in found:
            problems.append(Problem(str(path), t("year.same_quarter", period=period.label, other=found[quarter].path)))
            continue
        years.setdefault(period.start.year, str(path))
        found[quarter] = data
    if len(years) > 1:
        listed = ", ".join(f"{y} ({p})" for y, p in sorted(years.items()))
        problems.append(Problem("kpibook annual", t("year.many_years", years=listed)))
    if problems:
        raise KpibookError(problems, title=t("year.refused", count=len(problems)))
    return {q: found[q] for q in QUARTERS if q in found}
