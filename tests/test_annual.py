"""`kpibook annual` on real files: quarter summaries written and signed by kpibook's own summary
writer, the year written as YEAR.xlsx and finance's CSV, and every number compared with an
independent pandas computation of the rules in docs/spec-format.md (weighted mean of counted
quarters, grade bands, coefficient table with cap, months worked on the 15th, payout rounded
half away from zero to the fen)."""

from __future__ import annotations

import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from lxml import etree

from kpibook import ooxml
from kpibook.annual import annual
from kpibook.cli import main
from kpibook.errors import KpibookError
from kpibook.fingerprint import load_key
from kpibook.resources import bundled_spec_path
from kpibook.spec import Spec, parse_spec
from kpibook.year_audit import year_findings
from kpibook.year_model import year_rows
from kpibook.year_rules import QUARTERS
from tests.common import plant_chart_point
from tests.year_cases import person, write_quarter

PERIODS = [f"2026{q}" for q in QUARTERS]
WEIGHTS = {"Q1": 10, "Q2": 20, "Q3": 30, "Q4": 40}
COEFFICIENTS = {"S": 1.5, "A": 1.2, "B": 1.0, "C": 0.8, "D": 0.0}
CAP = 1.3
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def spec_with_year(block: str) -> Spec:
    text = bundled_spec_path().read_text(encoding="utf-8")
    text = text[: text.index("[year]")] + block
    return parse_spec(text, source="roles.toml")


@pytest.fixture(scope="module")
def spec() -> Spec:
    return spec_with_year(
        "[year]\nquarter_weights = { Q1 = 10, Q2 = 20, Q3 = 30, Q4 = 40 }\ncoefficient_cap = 1.3\n"
        "[year.coefficients]\nS = 1.5\nA = 1.2\nB = 1.0\nC = 0.8\nD = 0.0\n"
    )


# Who is in which quarter, with which score ("" = absent from that quarter's summary;
# "missing"/"incomplete" = in the summary but not ok). Scores chosen to hit bands and halves.
PLAN: dict[str, list[object]] = {
    "E1": [90.0, 100.0, 110.0, 120.0],  # full year, S band: coefficient capped at 1.3
    "E2": ["", 80.5, 95.25, 100.01],  # hired in Q2 (roster date 2026-04-13): partial
    "E3": [70.0, 65.5, 88.0, ""],  # left in Q3 (roster date 2026-08-20): partial
    "E4": [99.0, 101.0, "missing", 97.0],  # employed, Q3 not returned: incomplete
    "E5": [59.99, 60.0, 45.0, 30.0],  # D: coefficient 0
    "E6": [94.99, 95.0, 94.995, 95.005],  # around the A/B boundary
    "E7": [82.0, 84.0, "incomplete", ""],  # Q3 incomplete, absent Q4, roster says employed: incomplete
    "E8": [100.0, 100.0, 100.0, 100.0],  # role changes in Q3, manager in Q2
}
ROLES = {"E8": ["sales_specialist", "sales_specialist", "sales_manager", "sales_manager"]}
MANAGERS = {"E8": ["王芳", "李伟", "李伟", "李伟"]}
ROSTER = """employee_id,name,bonus_base,hired,left
E1,甲,60000,2020-01-01,
E2,乙,30000,2026-04-13,
E3,丙,33333.33,2019-05-01,2026-08-20
E4,丁,40000,,
E5,戊,25000,,
E6,己,28000.5,,
E7,庚,30000,2021-01-01,
"""


def write_plan(folder: Path, spec: Spec) -> list[Path]:
    key = load_key()
    paths = []
    for index, period in enumerate(PERIODS):
        people = []
        for employee_id, plan in PLAN.items():
            value = plan[index]
            if value == "":
                continue
            role = ROLES.get(employee_id, ["sales_specialist"] * 4)[index]
            manager = MANAGERS.get(employee_id, ["王芳"] * 4)[index]
            status = value if isinstance(value, str) else "ok"
            score = value if isinstance(value, float) else None
            dims = {"results": 90.0 + index, "customer": 80.0 + index} if score is not None else {}
            people.append(person(employee_id, score, status=status, role_id=role, manager=manager, dims=dims))
        paths.append(write_quarter(folder / f"summary_{period}.xlsx", period, people, spec, key))
    return paths


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory, spec: Spec):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("year")
    summaries = write_plan(folder, spec)
    (folder / "roster.csv").write_text(ROSTER, encoding="utf-8")
    result = annual(summaries, folder / "YEAR.xlsx", csv=folder / "payout.csv", roster=folder / "roster.csv", spec=spec)
    return folder, summaries, result


def round_half_up(value: float, places: int = 2) -> float:
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def expected_frame(spec: Spec) -> pd.DataFrame:
    """The year from PLAN and ROSTER, computed independently with pandas."""
    long = pd.DataFrame(
        [(e, q, v) for e, plan in PLAN.items() for q, v in zip(QUARTERS, plan, strict=True)],
        columns=["employee_id", "quarter", "value"],
    )
    long["score"] = pd.to_numeric(long["value"].where(long["value"].map(lambda v: isinstance(v, float))))
    roster = pd.read_csv(pd.io.common.StringIO(ROSTER), dtype=str).set_index("employee_id")
    hired = pd.to_datetime(roster["hired"])
    left = pd.to_datetime(roster["left"])
    starts = {q: pd.Timestamp(2026, 3 * i + 1, 1) for i, q in enumerate(QUARTERS)}
    ends = {q: starts[q] + pd.offsets.QuarterEnd(0) for q in QUARTERS}

    def employed(row: pd.Series) -> bool:
        h, lv = hired.get(row.employee_id), left.get(row.employee_id)
        return (pd.isna(h) or h <= ends[row.quarter]) and (pd.isna(lv) or lv >= starts[row.quarter])

    long["not_returned"] = long["score"].isna() & ((long["value"] != "") | long.apply(employed, axis=1))
    long["weight"] = long["quarter"].map(WEIGHTS) * long["score"].notna()
    long["weighted"] = long["score"].fillna(0) * long["quarter"].map(WEIGHTS)
    per = long.groupby("employee_id", sort=False).agg(
        weighted=("weighted", "sum"),
        weight=("weight", "sum"),
        quarters=("score", "count"),
        not_returned=("not_returned", "any"),
        absent=("value", lambda v: (v == "").any()),
    )
    per["status"] = per.apply(lambda r: "incomplete" if r.not_returned else ("partial" if r.absent else "ok"), axis=1)
    per["annual_score"] = (per["weighted"] / per["weight"]).map(round_half_up).where(per["status"] != "incomplete")
    mins = [g.min for g in spec.grades]
    bins = sorted(mins) + [float("inf")]
    labels = [g.grade for g in sorted(spec.grades, key=lambda g: g.min)]
    per["annual_grade"] = pd.cut(per["annual_score"], bins=bins, labels=labels, right=False).astype(object)
    per["coefficient"] = per["annual_grade"].map(COEFFICIENTS).clip(upper=CAP)

    def months(employee_id: str) -> int:
        h, lv = hired.get(employee_id), left.get(employee_id)
        days = pd.date_range("2026-01-01", periods=12, freq="MS") + pd.Timedelta(days=14)
        return int(sum((pd.isna(h) or h <= d) and (pd.isna(lv) or lv >= d) for d in days))

    per["months"] = [months(e) for e in per.index]
    base = pd.to_numeric(roster["bonus_base"]).reindex(per.index)
    per["payout"] = [
        round_half_up(b * c * m / 12) if pd.notna(b) and pd.notna(c) else None
        for b, c, m in zip(base, per["coefficient"], per["months"], strict=True)
    ]
    return per


def test_year_equals_pandas(year, spec: Spec) -> None:  # type: ignore[no-untyped-def]
    _, _, result = year
    want = expected_frame(spec)
    got = pd.read_csv(result.csv, dtype={"employee_id": str}, encoding="utf-8-sig").set_index("employee_id")
    assert list(got.index) == list(want.index)
    for column in ("status", "quarters", "annual_score", "annual_grade", "coefficient", "payout"):
        for employee_id in want.index:
            w, g = want.at[employee_id, column], got.at[employee_id, column]
            if pd.isna(w) or (column == "annual_grade" and w in ("", None)):
                assert pd.isna(g), (employee_id, column, g)
            else:
                assert g == pytest.approx(w) if isinstance(w, float) else g == w, (employee_id, column, g, w)
    ok = want["status"] != "incomplete"
    assert list(got.loc[ok, "months"]) == list(want.loc[ok, "months"])


def test_statuses_and_rules(year) -> None:  # type: ignore[no-untyped-def]
    _, _, result = year
    rows = {r.employee_id: r for r in result.rows}
    assert {e: rows[e].status for e in rows} == {
        "E1": "ok", "E2": "partial", "E3": "partial", "E4": "incomplete",
        "E5": "ok", "E6": "ok", "E7": "incomplete", "E8": "ok",
    }  # fmt: skip
    assert rows["E1"].annual_grade == "S" and rows["E1"].coefficient == CAP  # 1.5 capped
    assert rows["E5"].coefficient == 0.0 and rows["E5"].payout == 0.0
    assert rows["E4"].annual_score is None and rows["E4"].payout is None
    assert rows["E2"].months == 9 and rows["E3"].months == 8
    assert (rows["E8"].role_id, rows["E8"].manager) == ("sales_manager", "李伟")
    assert rows["E8"].changes == "role Q1 sales_specialist → Q3 sales_manager; manager Q1 王芳 → Q2 李伟"
    assert result.exit_code == 1  # two incomplete years to act on, and E8 has no bonus_base
    assert [p.message.split(" has no")[0] for p in result.problems] == ["E8 员工E8"]
    assert any("E4" in line and "2026Q3 missing" in line for line in result.incomplete_lines())


def test_csv_columns_bom_and_control(year) -> None:  # type: ignore[no-untyped-def]
    _, _, result = year
    data = result.csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [
        "employee_id", "employee_name", "department", "manager", "role_id", "quarters", "annual_score",
        "annual_grade", "coefficient", "months", "bonus_base", "payout", "status",
        *(f"score.{p}" for p in PERIODS),
    ]  # fmt: skip
    control = pd.read_csv(result.control, encoding="utf-8-sig", dtype=str)
    frame = pd.read_csv(result.csv, encoding="utf-8-sig", dtype=str)
    assert int(control.at[0, "rows"]) == len(frame) == len(PLAN)
    assert Decimal(control.at[0, "payout_sum"]) == sum(Decimal(v) for v in frame["payout"].dropna())
    assert Decimal(control.at[0, "payout_sum"]) == Decimal(f"{result.payout_total:.2f}")


def test_year_workbook_formulas_are_one_per_column_and_locked(year) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = year
    book = openpyxl.load_workbook(folder / "YEAR.xlsx")
    ws = book["Year"]
    header = [c.value for c in ws[2]]
    for column_id in ("quarters", "annual_score", "annual_grade", "coefficient", "payout"):
        col = header.index(column_id) + 1
        formulas = {re.sub(r"(?<=[A-Z])\d+", "#", ws.cell(r, col).value) for r in range(3, 3 + len(PLAN))}
        assert len(formulas) == 1, (column_id, formulas)
        assert not re.search(r"TODAY|NOW|INDIRECT|OFFSET|RAND", formulas.pop())
    assert all(sheet.protection.sheet for sheet in book.worksheets)
    assert book["_kpibook"].sheet_state == "hidden"
    assert year_findings(folder / "YEAR.xlsx") == []


def test_totals_and_trend_show_numbers_to_a_reader_that_does_not_calculate(year) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 item 5: pandas (like a phone previewer) reads the cached values; every formula
    cell of Totals and Trend carries one (tests/test_annual_libreoffice.py checks they are
    LibreOffice's), and the year's total is the payout total."""
    folder, _, result = year
    formulas, cached = (
        openpyxl.load_workbook(folder / "YEAR.xlsx"),
        openpyxl.load_workbook(folder / "YEAR.xlsx", data_only=True),
    )
    for sheet, rows in (("Totals", None), ("Trend", 8)):  # Trend's grade counts (its means may be "")
        every = formulas[sheet].iter_rows(max_row=rows)
        cells = [c.coordinate for row in every for c in row if str(c.value).startswith("=")]
        assert cells and all(isinstance(cached[sheet][ref].value, (int, float)) for ref in cells), sheet
    totals = pd.read_excel(folder / "YEAR.xlsx", sheet_name="Totals", header=None, engine="openpyxl")
    [total] = totals.index[totals[0] == "total"]
    assert totals.at[total, 1] == len(result.rows)
    assert totals.at[total, 3] == pytest.approx(result.payout_total)
    assert openpyxl.load_workbook(folder / "YEAR.xlsx").calculation.fullCalcOnLoad  # spreadsheets still recompute


def test_audit_finds_an_edited_year(year, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = year
    book = openpyxl.load_workbook(folder / "YEAR.xlsx")
    ws = book["Year"]
    header = [c.value for c in ws[2]]
    ws.cell(3, header.index("bonus_base") + 1).value = 99999  # a raised base
    ws.cell(4, header.index("payout") + 1).value = "=12345"  # a payout typed over its formula
    book.save(tmp_path / "YEAR.xlsx")
    assert main(["audit", str(tmp_path / "YEAR.xlsx")]) == 1
    codes = {f["code"] for f in year_findings(tmp_path / "YEAR.xlsx") or []}
    assert {"year.values", "year.formula"} <= codes


def test_calibrated_grade_is_the_quarters_grade(spec: Spec) -> None:
    """A summary with final_grade (calibration) shows that grade for the quarter."""
    row = {"employee_id": "E1", "status": "ok", "total_score": 94.0, "grade": "B", "final_grade": "A"}
    rows = year_rows(2026, {q: [row] for q in QUARTERS}, spec.year, spec.grades)  # type: ignore[arg-type]
    assert [c.grade for c in rows[0].quarters.values()] == ["A"] * 4


@pytest.mark.parametrize(
    "case, message",
    [
        ("edited", "changed after consolidate"),
        ("same_quarter", "give one summary per quarter"),
        ("half_year", "not a quarter"),
        ("two_years", "different years"),
    ],
)
def test_refused_summaries(year, spec: Spec, tmp_path: Path, case: str, message: str) -> None:  # type: ignore[no-untyped-def]
    _, summaries, _ = year
    key = load_key()
    given = list(summaries)
    if case == "edited":
        book = openpyxl.load_workbook(summaries[1])
        sheet = book["Employees"]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == 80.5:
                    cell.value = 95.5  # a score raised by hand
        book.save(tmp_path / "edited.xlsx")
        given[1] = tmp_path / "edited.xlsx"
    elif case == "same_quarter":
        given.append(summaries[0])
    elif case == "half_year":
        given.append(write_quarter(tmp_path / "h1.xlsx", "2026H1", [person("E1", 90.0)], spec, key))
    else:
        given[0] = write_quarter(tmp_path / "q.xlsx", "2025Q1", [person("E1", 90.0)], spec, key)
    with pytest.raises(KpibookError) as caught:
        annual(given, tmp_path / "YEAR.xlsx", spec=spec)
    assert message in caught.value.render()
    assert not (tmp_path / "YEAR.xlsx").exists()


def test_cli_exit_codes_and_messages(year, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    folder, summaries, _ = year
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,bonus_base,hired\nE1,lots,2026-13-01\n", encoding="utf-8")
    code = main(["annual", *map(str, summaries), "--out", str(tmp_path / "Y.xlsx"), "--roster", str(roster)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"{roster} row 2, column bonus_base" in err and f"{roster} row 2, column hired" in err
    (tmp_path / "notes.xlsx").write_bytes(b"not ours")
    assert main(["annual", *map(str, summaries), "--out", str(tmp_path / "notes.xlsx")]) == 2
    assert (tmp_path / "notes.xlsx").read_bytes() == b"not ours"
    assert "not a file kpibook annual wrote" in capsys.readouterr().err


def test_missing_quarter_makes_the_year_incomplete(year, spec: Spec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, summaries, _ = year
    result = annual(summaries[:3], tmp_path / "YEAR.xlsx", spec=spec)
    assert [p.where for p in result.problems] == ["2026Q4"]
    assert {r.status for r in result.rows} == {"incomplete"}
    assert result.exit_code == 1


def test_months_without_dates_are_three_per_quarter(year, spec: Spec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, summaries, _ = year
    rows = {r.employee_id: r for r in annual(summaries, tmp_path / "YEAR.xlsx", spec=spec).rows}
    assert rows["E1"].months == 12 and rows["E2"].months == 9 and rows["E3"].months == 9
    assert rows["E1"].payout is None  # no roster, no base


def test_readers_that_do_not_calculate_see_kpibook_values(year) -> None:  # type: ignore[no-untyped-def]
    """The Year sheet's formula cells carry kpibook's values, so pandas reads the numbers."""
    folder, _, result = year
    sheet = pd.read_excel(
        folder / "YEAR.xlsx", sheet_name="Year", header=1, engine="openpyxl", dtype={"employee_id": str}
    )
    csv = pd.read_csv(result.csv, encoding="utf-8-sig", dtype={"employee_id": str})
    for column in ("quarters", "annual_score", "coefficient", "payout"):
        pd.testing.assert_series_equal(sheet[column].astype(float), csv[column].astype(float), check_names=False)
    assert list(sheet["annual_grade"].fillna("")) == list(csv["annual_grade"].fillna(""))


@pytest.mark.slow
def test_demo_year_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`kpibook demo --year`: four real quarters (generated, filled, consolidated) and the year,
    with the planted hire, leaver, role and manager change, and the Q4 workbook never returned."""
    assert main(["demo", "--year", "--out", str(tmp_path)]) == 0
    assert "year 2026: 25 people (ok 22, partial 2, incomplete 1)" in capsys.readouterr().out
    frame = pd.read_csv(tmp_path / "year" / "payout2026.csv", encoding="utf-8-sig", dtype={"employee_id": str})
    rows = frame.set_index("employee_id")
    assert (rows.at["E1025", "status"], rows.at["E1025", "months"], rows.at["E1025", "quarters"]) == ("partial", 9, 3)
    assert (rows.at["E1013", "status"], rows.at["E1013", "months"]) == ("partial", 8)
    assert rows.at["E1016", "status"] == "incomplete" and pd.isna(rows.at["E1016", "payout"])
    assert (rows.at["E1021", "role_id"], rows.at["E1007", "manager"]) == ("sales_specialist", "李伟")
    assert year_findings(tmp_path / "year" / "YEAR2026.xlsx") == []


def test_the_trend_chart_caches_the_trend_cells(year, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Viewers that do not calculate draw a chart from its caches only: every series of the
    Trend chart holds its name, the grades and the counts that Trend's cells hold; the year
    audit still passes on the file and still catches a forged value in it."""
    folder, _, result = year
    path = folder / "YEAR.xlsx"
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = etree.fromstring(archive.read(charts[0]))
    trend = openpyxl.load_workbook(path, data_only=True)["Trend"]
    series = chart.findall(f".//{{{C}}}ser")
    assert len(series) == 4  # one per quarter

    def points(ref: etree._Element, cache: str) -> tuple[str, list[str]]:
        formula = ref.findtext(f"{{{C}}}f") or ""
        found = ref.find(f"{{{C}}}{cache}")
        assert found is not None, (formula, cache)
        count = int(found.find(f"{{{C}}}ptCount").get("val"))  # type: ignore[union-attr]
        shown = {int(p.get("idx")): p.findtext(f"{{{C}}}v") or "" for p in found.findall(f"{{{C}}}pt")}
        return formula, [shown.get(i, "") for i in range(count)]

    grades = [trend[f"A{r}"].value for r in range(4, 9)]
    assert grades == ["S", "A", "B", "C", "D"]
    for column, ser in zip("BCDE", series):
        name = points(ser.find(f"{{{C}}}tx/{{{C}}}strRef"), "strCache")  # type: ignore[arg-type]
        assert name == (f"'Trend'!{column}3", [trend[f"{column}3"].value])
        cat = points(ser.find(f"{{{C}}}cat/{{{C}}}strRef"), "strCache")  # type: ignore[arg-type]
        assert cat == ("'Trend'!$A$4:$A$8", grades)
        formula, counts = points(ser.find(f"{{{C}}}val/{{{C}}}numRef"), "numCache")  # type: ignore[arg-type]
        assert formula == f"'Trend'!${column}$4:${column}$8"
        assert [float(v) for v in counts] == [trend[f"{column}{r}"].value for r in range(4, 9)]
        quarter = QUARTERS["BCDE".index(column)]
        by_rows = [sum(1 for row in result.rows if row.quarters[quarter].grade == g) for g in grades]
        assert [float(v) for v in counts] == by_rows and sum(by_rows) > 0
    assert year_findings(path) == []
    # a forged payout cached in the Year sheet, the chart and every other part untouched
    header = [c.value for c in openpyxl.load_workbook(path, read_only=True)["Year"][2]]
    ref = f"{openpyxl.utils.get_column_letter(header.index('payout') + 1)}3"
    forged = tmp_path / "YEAR.xlsx"
    forged.write_bytes(
        ooxml.rewrite_parts(
            path, {"xl/worksheets/sheet1.xml": lambda d: ooxml.cache_formulas(d, {ref: 99999}.__getitem__)}
        )
    )
    assert {(f["code"], f["cell"]) for f in year_findings(forged) or []} == {("year.cached", ref)}
    # a forged bar: Q2's count of grade A drawn as 99, every cell untouched
    (tmp_path / "bar").mkdir()
    bar = plant_chart_point(path, tmp_path / "bar" / "YEAR.xlsx", "99", series=1, index=1)
    drawn = [f for f in year_findings(bar) or [] if f["code"] == "year.chart_cache"]
    assert [(f["sheet"], f["cell"], f["expected"], f["found"]) for f in drawn] == [
        ("Trend", "C5", str(trend["C5"].value), "99")
    ]
    assert len(year_findings(bar) or []) == 1 and "kpibook annual" in drawn[0]["message"]


def test_the_year_roster_names_the_row_and_column_in_chinese(year, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Where a year roster's mistake is, in the run's language, as the roster reader says it."""
    _, summaries, _ = year
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,bonus_base,hired,left\nE1,lots,2026-13-01,someday\n", encoding="utf-8")
    code = main(
        ["annual", *map(str, summaries), "--out", str(tmp_path / "Y.xlsx"), "--roster", str(roster), "--lang", "zh"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    for column in ("bonus_base", "hired", "left"):
        assert f"{roster} 第 2 行，{column} 列" in err, err
    assert "row 2" not in err and "column" not in err
    roster.write_text("name,bonus_base\n张三,1000\n", encoding="utf-8")
    main(["annual", *map(str, summaries), "--out", str(tmp_path / "Y.xlsx"), "--roster", str(roster), "--lang", "zh"])
    assert f"{roster} 第 1 行：花名册没有 employee_id" in capsys.readouterr().err  # a Chinese colon in Chinese
