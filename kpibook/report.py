"""`kpibook report SUMMARY.xlsx --out REPORT.html`: one page for the department head.

The page is rendered from templates/report.html.j2 with its charts drawn as inline SVG
(kpibook/svg.py): no script, font or image is fetched, so it opens from an e-mail attachment or
a phone without network, and prints on A4 with no chart cut across pages.

It reads the summary through kpibook.summary_read, which verifies it: the Employees and KPIs
rows (every figure the page shows) are signed, so a summary edited after consolidate is refused
rather than reported. The Issues rows (the messages listed) are consolidate's words, not signed.
A format 1 summary, whose KPIs sheet was not signed, gets no KPI charts and a note saying why.
Rows are read by their header names, so any summary consolidate wrote works, whatever extra
columns it carries. The numbers shown are the summary's: the report computes only means,
medians and counts.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kpibook import svg
from kpibook.errors import KpibookError
from kpibook.fingerprint import Key
from kpibook.messages import current_language, t
from kpibook.outputs import check_suffix, check_writable, replace_file
from kpibook.records import OK, STATUS_LABELS, STATUSES
from kpibook.spec import Spec, default_spec_path, load_spec
from kpibook.summary_read import read_summary
from kpibook.templating import render_page

Row = dict[str, object]
SHOWN_PER_PERSON = 4  # what is outstanding for one person; the Issues sheet has the rest
GENERATOR = b'<meta name="generator" content="kpibook report">'  # marks a page kpibook may replace


def is_report_html(path: Path) -> bool:
    """True for a report page kpibook wrote (what --out may replace)."""
    try:
        with open(path, "rb") as handle:
            return GENERATOR in handle.read(4096)
    except OSError:
        return False


def check_report_writable(path: Path, option: str) -> None:
    """Fails early (exit 2): a name not ending in .html, or a file that is not our own report."""
    check_suffix(path, ".html", option)
    check_writable(path, is_report_html, option, what="a report page")


@dataclass
class SummaryTables:
    """The rows of a summary's sheets, each row a dict by header name."""

    path: Path
    employees: list[Row]
    issues: list[Row]
    kpis: list[Row]  # each KPI's spread, from the signed KPIs sheet
    dimensions: list[str]  # the dim.<id> columns' ids, in order
    kpis_signed: bool = True  # False: a format 1 summary; its KPIs sheet is unsigned and not read


@dataclass
class ReportResult:
    out: Path
    lang: str
    employees: int
    counts: dict[str, int]
    mean: float | None
    median: float | None
    outstanding: int  # people with something to act on
    headline: list[str] = field(default_factory=list)  # the numbers the page leads with, as shown


# ---------------------------------------------------------------------------------------
# Reading the summary
# ---------------------------------------------------------------------------------------


def read_summary_tables(path: Path, key: Key | None = None) -> SummaryTables:
    """The verified summary's Employees, KPIs and Issues rows (kpibook.summary_read refuses a
    file that is not a summary, or one whose signed rows were edited since consolidate)."""
    data = read_summary(path, key)
    dims = [h[4:] for h in data.header if h.startswith("dim.")]
    return SummaryTables(path, data.employees, data.issues, data.kpis, dims, data.kpis_signed)


# ---------------------------------------------------------------------------------------
# The library function
# ---------------------------------------------------------------------------------------


def report(
    summary: str | Path,
    out: str | Path,
    lang: str | None = None,
    spec: Spec | str | Path | None = None,
    key: Key | None = None,
) -> ReportResult:
    """Writes the department report page for SUMMARY to OUT (HTML, atomically).

    `spec` only lends names (roles, dimensions, grades' order); without one the default spec
    (./roles.toml, else the bundled one) is used when it knows the summary's roles. `key` is
    HR's fingerprint key the summary was signed with (default: KPIBOOK_KEY / KPIBOOK_KEY_FILE)."""
    language = lang or current_language()
    out_path = Path(out)
    check_report_writable(out_path, "--out")
    tables = read_summary_tables(Path(summary), key)
    names = Names.of(_spec_for_names(spec), language)
    page = Page(tables, names, language)
    html = render_page("report.html.j2", **page.context())
    replace_file(out_path, html.encode("utf-8"))
    return ReportResult(
        out=out_path,
        lang=language,
        employees=len(tables.employees),
        counts=page.counts(),
        mean=page.mean,
        median=page.median,
        outstanding=len(page.outstanding()),
        headline=page.headline_numbers(),
    )


def _spec_for_names(spec: Spec | str | Path | None) -> Spec | None:
    if isinstance(spec, Spec):
        return spec
    try:
        return load_spec(spec if spec is not None else default_spec_path())
    except KpibookError:
        if spec is not None:
            raise  # a spec the user named must be valid
        return None


@dataclass
class Names:
    """Display names in the page's language, from the spec when it has them; ids otherwise."""

    lang: str
    roles: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)
    grade_order: list[str] = field(default_factory=list)  # best first
    department: str = ""

    @classmethod
    def of(cls, spec: Spec | None, lang: str) -> Names:
        names = cls(lang)
        if spec is None:
            return names
        pick: Callable[[str, str], str] = (lambda zh, en: zh or en) if lang == "zh" else (lambda zh, en: en or zh)
        for role in spec.roles:
            names.roles[role.id] = pick(role.name_zh, role.name_en)
            for d in role.dimensions:
                names.dimensions.setdefault(d.id, pick(d.name_zh, d.name_en))
        names.grade_order = [g.grade for g in sorted(spec.grades, key=lambda g: -g.min)]
        names.department = pick(spec.department_zh, spec.department_en)
        return names

    def role(self, role_id: str) -> str:
        return self.roles.get(role_id, role_id)

    def dimension(self, dim_id: str) -> str:
        return self.dimensions.get(dim_id, dim_id)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values)


class Page:
    """What the template shows, computed from the summary's rows."""

    def __init__(self, tables: SummaryTables, names: Names, lang: str) -> None:
        self.tables, self.names, self.lang = tables, names, lang
        self.ok = [r for r in tables.employees if r.get("status") == OK and _number(r.get("total_score")) is not None]
        totals = [float(r["total_score"]) for r in self.ok]  # type: ignore[arg-type]
        self.mean = _mean(totals) if totals else None
        self.median = statistics.median(totals) if totals else None

    def text(self, code: str, **fields: object) -> str:
        return t(code, self.lang, **fields)

    def status_text(self, status: str) -> str:
        zh, en = STATUS_LABELS.get(status, (status, status))
        return zh if self.lang == "zh" else en

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.tables.employees if r.get("status") == s) for s in STATUSES}

    def periods(self) -> str:
        return ", ".join(sorted({str(r.get("period")) for r in self.tables.employees if r.get("period")})) or "-"

    def headline_numbers(self) -> list[str]:
        numbers = [str(len(self.tables.employees))] + [str(n) for n in self.counts().values()]
        return numbers + [f"{v:.2f}" for v in (self.mean, self.median) if v is not None]

    # -- charts ---------------------------------------------------------------------------
    def grade_chart(self) -> str:
        counted: dict[str, int] = defaultdict(int)
        best: dict[str, float] = {}
        for r in self.ok:
            grade = str(r.get("grade") or "-")
            counted[grade] += 1
            best[grade] = max(best.get(grade, -1e9), float(r["total_score"]))  # type: ignore[arg-type]
        order = [g for g in self.names.grade_order if g in counted] or sorted(counted, key=lambda g: -best[g])
        order += [g for g in counted if g not in order]
        share = {g: f"({100 * counted[g] / len(self.ok):.0f}%)" for g in order}
        return svg.column_chart([svg.Bar(g, counted[g], share[g]) for g in order], self.text("report.grades"))

    def group_chart(self, column: str, title: str, label: Callable[[str], str]) -> str:
        groups: dict[str, list[float]] = defaultdict(list)
        for r in self.ok:
            groups[str(r.get(column) or "-")].append(float(r["total_score"]))  # type: ignore[arg-type]
        bars = [svg.Bar(label(k), _mean(v), f"n={len(v)}") for k, v in sorted(groups.items())]
        return svg.bar_chart(bars, title)

    def dimension_chart(self) -> str:
        bars = []
        for dim in self.tables.dimensions:
            values = [v for r in self.ok if (v := _number(r.get(f"dim.{dim}"))) is not None]
            if values:
                bars.append(svg.Bar(self.names.dimension(dim), _mean(values), f"n={len(values)}"))
        return svg.bar_chart(bars, self.text("report.by_dimension"))

    def kpi_charts(self) -> list[dict[str, str]]:
        """One spread chart per role (its KPIs, lowest to highest score), so each fits a page."""
        by_role: dict[str, list[svg.Spread]] = defaultdict(list)
        for k in self.tables.kpis:
            low, mean, high = (_number(k.get(c)) for c in ("min_score", "mean_score", "max_score"))
            if low is not None and mean is not None and high is not None:
                name = str(k.get("kpi_zh") if self.lang == "zh" else k.get("kpi_en")) or str(k.get("kpi_id"))
                by_role[str(k.get("role_id"))].append(svg.Spread(name, low, mean, high))
        title = self.text("report.kpi_spread")
        return [
            {"role": self.names.role(role), "svg": svg.spread_chart(spreads, f"{title}: {self.names.role(role)}")}
            for role, spreads in by_role.items()
        ]

    # -- people ---------------------------------------------------------------------------
    def _problems(self) -> list[Row]:
        return [i for i in self.tables.issues if i.get("severity") in ("error", "warning")]

    def _owner(self, issue: Row, files: dict[str, str], ids: set[str]) -> str:
        """The employee an issue is about: by its file, else (a workbook that never came back,
        whose Issues row names the expected file) by the employee id its message names."""
        owner = files.get(str(issue.get("file")), "")
        if not owner:
            named = [i for i in re.findall(r"[A-Za-z0-9_.-]+", str(issue.get("message"))) if i in ids]
            owner = named[0] if named else ""
        return owner

    def _issues_by_employee(self) -> tuple[dict[str, list[str]], list[Row]]:
        files = {str(r.get("file")): str(r.get("employee_id")) for r in self.tables.employees if r.get("file")}
        ids = {str(r.get("employee_id")) for r in self.tables.employees}
        mine: dict[str, list[str]] = defaultdict(list)
        nobody: list[Row] = []
        for issue in self._problems():
            owner = self._owner(issue, files, ids)
            if owner:
                mine[owner].append(str(issue.get("message")))
            else:
                nobody.append(issue)
        return mine, nobody

    def outstanding(self) -> list[dict[str, object]]:
        """Everyone with something to act on: not ok, or an error or warning about them."""
        mine, _ = self._issues_by_employee()
        people = []
        for r in self.tables.employees:
            messages = mine.get(str(r.get("employee_id")), [])
            if r.get("status") == "missing" and not messages:
                messages = [self.text("report.not_returned")]
            if r.get("status") != OK or messages:
                people.append(self.person(r, messages))
        return people

    def person(self, row: Row, messages: list[str]) -> dict[str, object]:
        shown = messages[:SHOWN_PER_PERSON]
        if len(messages) > SHOWN_PER_PERSON:
            shown.append(self.text("report.more", count=len(messages) - SHOWN_PER_PERSON))
        return {**self.employee(row), "what": shown}

    def unmatched(self) -> list[dict[str, str]]:
        """Issues about no employee (unreadable files, workbooks of no one)."""
        _, nobody = self._issues_by_employee()
        return [{"file": str(i.get("file")), "message": str(i.get("message"))} for i in nobody]

    def employee(self, row: Row) -> dict[str, object]:
        score = _number(row.get("total_score"))
        status = str(row.get("status"))
        return {
            "id": str(row.get("employee_id")),
            "name": str(row.get("employee_name")),
            "role": self.names.role(str(row.get("role_id"))),
            "manager": str(row.get("manager")),
            "status": status,
            "status_text": self.status_text(status),
            "score": "" if score is None else f"{score:.2f}",
            "grade": str(row.get("grade") or ""),
        }

    def context(self) -> dict[str, object]:
        departments = {str(r.get("department")).split("/")[0] for r in self.tables.employees if r.get("department")}
        return {
            "lang": self.lang,
            "t": self.text,
            "department": self.names.department or " / ".join(sorted(departments)),
            "period": self.periods(),
            "source": self.tables.path.name,
            "total": len(self.tables.employees),
            "counts": {self.status_text(s): n for s, n in self.counts().items()},
            "scored": len(self.ok),
            "mean": self.mean,
            "median": self.median,
            "grade_chart": self.grade_chart() if self.ok else "",
            "role_chart": self.group_chart("role_id", self.text("report.by_role"), self.names.role) if self.ok else "",
            "manager_chart": self.group_chart("manager", self.text("report.by_manager"), str) if self.ok else "",
            "dimension_chart": self.dimension_chart() if self.ok else "",
            "kpi_charts": self.kpi_charts(),
            "kpi_unsigned": not self.tables.kpis_signed,
            "outstanding": self.outstanding(),
            "unmatched": self.unmatched(),
            "employees": [self.employee(r) for r in self.tables.employees],
        }
