"""`kpibook generate`: real workbooks, checked against the contract and recalculated by LibreOffice."""

from __future__ import annotations

import csv
import hashlib
import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kpibook import scoring
from kpibook.errors import RosterError
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.layout import METADATA, SCORECARD, RoleLayout
from kpibook.manifest import MANIFEST_COLUMNS
from kpibook.spec import Spec
from tests.common import ROOT, ROSTER, read_entries

METADATA_KEYS = {"format_version", "kpibook_version", "spec_sha256", "role_id", "employee_id", "period", "generated_at"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> Path:
    out = tmp_path_factory.mktemp("generated")
    result = generate(ROSTER, "2026Q4", out, spec=spec)
    assert len(result.written) == 24 and not result.kept and not result.refused
    return out


def manifest_rows(out: Path) -> list[dict[str, str]]:
    with open(out / "manifest.csv", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def cell_of(wb: openpyxl.Workbook, name: str) -> openpyxl.cell.Cell:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")]


def test_manifest_lists_every_workbook_with_its_hash(generated: Path) -> None:
    rows = manifest_rows(generated)
    assert len(rows) == 24
    assert tuple(rows[0]) == MANIFEST_COLUMNS
    for row in rows:
        path = generated / row["file"]
        assert path.is_file(), row
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"]
        assert row["period"] == "2026Q4"
        assert re.fullmatch(r"[\w\-]+/[\w\-]+_2026Q4\.xlsx", row["file"]), "file names are sanitised"


def test_every_workbook_meets_the_contract(generated: Path, spec: Spec) -> None:
    """Names, metadata, locks, protection and validation, for all 24 workbooks (four roles)."""
    roles_seen = set()
    for row in manifest_rows(generated):
        wb = openpyxl.load_workbook(generated / row["file"])
        role = spec.role(row["role_id"])
        roles_seen.add(role.id)
        layout = RoleLayout(role, spec.grades)
        expected_names = {"employee_id", "employee_name", "role_id", "period", "total_score", "grade"}
        expected_names |= {f"kpi_{k.id}_{part}" for k in role.kpis for part in ("actual", "target", "score")}
        assert expected_names <= set(wb.defined_names)
        assert cell_of(wb, "employee_id").value == row["employee_id"]
        assert cell_of(wb, "employee_name").value == row["employee_name"]
        assert cell_of(wb, "role_id").value == role.id
        assert cell_of(wb, "period").value == "2026Q4"
        meta_sheet = wb[METADATA]
        assert meta_sheet.sheet_state == "hidden"
        metadata = {r[0]: r[1] for r in meta_sheet.iter_rows(values_only=True)}
        assert METADATA_KEYS <= set(metadata)
        assert metadata["employee_id"] == row["employee_id"] and metadata["role_id"] == role.id
        ws = wb[SCORECARD]
        # openpyxl gives the hidden cells of a merged range the first cell's protection when it loads a
        # file; they cannot hold values, so only real cells count
        unlocked = {
            c.coordinate
            for r in ws.iter_rows()
            for c in r
            if c.protection.locked is False and not isinstance(c, openpyxl.cell.cell.MergedCell)
        }
        assert unlocked == set(layout.input_cells())
        assert all(wb[name].protection.sheet for name in wb.sheetnames), "every sheet is protected"
        assert wb.security.lockStructure
        validated = {
            str(cell) for dv in ws.data_validations.dataValidation for rng in dv.sqref.ranges for cell in [rng.coord]
        }
        for kpi in role.kpis:
            actual = layout.kpi_cell(kpi.id, "actual")
            assert actual in validated, f"{kpi.id}: actual cell {actual} has no data validation"
            assert cell_of(wb, f"kpi_{kpi.id}_target").value == float(
                row_target(row["employee_id"], kpi.id) or kpi.target
            )
        for ref, formula in layout.formulas.items():
            assert ws[ref].value == formula, ref
    assert roles_seen == set(spec.role_ids)


def row_target(employee_id: str, kpi_id: str) -> str:
    with open(ROSTER, encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["employee_id"] == employee_id:
                return row.get(f"target.{kpi_id}", "") or ""
    raise KeyError(employee_id)


def test_blank_workbook_caches_are_true(generated: Path, spec: Spec) -> None:
    """Readers that do not recalculate see the blank workbook's truth: blank scores, n inputs missing."""
    path = generated / manifest_rows(generated)[0]["file"]
    wb = openpyxl.load_workbook(path, data_only=True)
    role = spec.role(cell_of(wb, "role_id").value)
    assert cell_of(wb, "inputs_missing").value == len(role.kpis)
    assert cell_of(wb, "total_score").value in (None, "")
    assert cell_of(wb, "grade").value in (None, "")
    with zipfile.ZipFile(path) as archive:
        assert b'fullCalcOnLoad="1"' in archive.read("xl/workbook.xml")


def test_formulas_are_identical_down_each_column(spec: Spec) -> None:
    from kpibook.formula_text import functions_used, split_cell, to_r1c1

    for role in spec.roles:
        layout = RoleLayout(role, spec.grades)
        by_block: dict[tuple[str, str], set[str]] = {}
        for ref, formula in layout.formulas.items():
            row, col = split_cell(ref)
            block = "kpi" if row <= layout.last_kpi_row else "other"
            by_block.setdefault((block, ref.rstrip("0123456789")), set()).add(to_r1c1(formula[1:], row, col))
            assert functions_used(formula) <= scoring.ALLOWED_FUNCTIONS
        assert all(len(texts) == 1 for (block, _), texts in by_block.items() if block == "kpi")
        assert len(layout.column_formulas()) == 8


def test_invalid_roster_writes_nothing(tmp_path: Path, spec: Spec) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "employee_id,name,role,department,manager,target.ss_revenue\n"
        "E1,张三,sales_specialist,市场销售部,李四,abc\n"
        "E1,王五,sales_wizard,市场销售部,李四,\n"
        "E3,赵六,sales_manager,市场销售部,李四,100\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    with pytest.raises(RosterError) as error:
        generate(roster, "2026Q4", out, spec=spec)
    message = str(error.value)
    assert "row 2, column target.ss_revenue" in message and "not a number" in message
    assert "row 3, column employee_id" in message and "also on row 2" in message
    assert "row 3, column role" in message and "sales_wizard" in message
    assert "row 4, column target.ss_revenue" in message and "belongs to role 'sales_specialist'" in message
    assert not out.exists() or not any(out.iterdir())


def test_missing_column_is_named(tmp_path: Path, spec: Spec) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,role,department\nE1,张三,sales_specialist,市场销售部\n", encoding="utf-8")
    with pytest.raises(RosterError, match="manager"):
        generate(roster, "2026Q4", tmp_path / "out", spec=spec)


def test_hostile_names_stay_inside_the_output_folder(tmp_path: Path, spec: Spec) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "employee_id,name,role,department,manager\n"
        '../../E9,"=HYPERLINK(""http://x"",""y"")",sales_support,市场销售部,../../etc\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = generate(roster, "2026Q4", out, spec=spec)
    (path,) = result.written
    assert out.resolve() in path.resolve().parents
    wb = openpyxl.load_workbook(path)
    name_cell = cell_of(wb, "employee_name")
    assert name_cell.value == '=HYPERLINK("http://x","y")' and name_cell.data_type == "s", "text stays text"


def test_existing_workbooks_are_kept_and_filled_ones_never_overwritten(tmp_path: Path, spec: Spec) -> None:
    out = tmp_path / "out"
    first = generate(ROSTER, "2026Q4", out, spec=spec)
    filled_path, blank_path = first.written[0], first.written[1]
    role_id = next(r["role_id"] for r in manifest_rows(out) if out / r["file"] == filled_path)
    actuals = manager_actuals(spec.role(role_id), random.Random(3))
    staged = tmp_path / "staged.xlsx"
    fill_workbook(filled_path, staged, spec, actuals)
    shutil.copyfile(staged, filled_path)
    filled_bytes = filled_path.read_bytes()

    again = generate(ROSTER, "2026Q4", out, spec=spec)
    assert len(again.kept) == 24 and not again.written
    forced = generate(ROSTER, "2026Q4", out, spec=spec, force=True)
    assert len(forced.written) == 24 and not forced.refused, "every entry had a place in the new issue"
    superseded = out / "superseded" / f"{filled_path.stem}.issue1.xlsx"
    assert superseded.read_bytes() == filled_bytes, "the filled workbook was moved aside, byte for byte"
    assert read_entries(filled_path) == read_entries(superseded), "its entries were carried into issue 2"
    assert blank_path in forced.written and (out / "superseded" / f"{blank_path.stem}.issue1.xlsx").exists()


def test_cli_generate_summary_and_exit_codes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "kpibook",
        "generate",
        "--roster",
        str(ROSTER),
        "--period",
        "2026Q4",
        "--out",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "24" in done.stdout and str(out) in done.stdout
    bad = subprocess.run(
        command[:-4] + ["--period", "2026Q5", "--out", str(out)], capture_output=True, text=True, cwd=ROOT
    )
    assert bad.returncode == 2 and "2026Q5" in bad.stderr and "Traceback" not in bad.stderr


# ---------------------------------------------------------------------------------------------
# LibreOffice: the workbook computes what the scoring core computes
# ---------------------------------------------------------------------------------------------


def random_actuals(spec: Spec, role_id: str, rng: random.Random) -> dict[str, object]:
    """A manager's entries, including the awkward ones: N/A, blanks, zeros, extremes, halves."""
    role = spec.role(role_id)
    actuals = manager_actuals(role, rng, na_rate=0.3, blank_rate=0.1 if rng.random() < 0.3 else 0.0)
    for kpi in role.kpis:
        if kpi.id in actuals and actuals[kpi.id] != "N/A" and rng.random() < 0.2:
            actuals[kpi.id] = rng.choice([kpi.min, kpi.max, 0 if kpi.min <= 0 else kpi.min, kpi.target])
    return actuals


@pytest.mark.libreoffice
def test_libreoffice_recalculates_to_the_scoring_core(
    soffice: str, generated: Path, spec: Spec, tmp_path: Path
) -> None:
    """Fill every workbook 4 times at random (96 files, all four roles), recalculate them in LibreOffice
    and compare every KPI score, dimension score, total and grade with the scoring core: 0 mismatches."""
    from tests.lo import cached_values, recalculate

    rng = random.Random(20261127)
    filled, expected = [], {}
    for round_no in range(4):
        for row in manifest_rows(generated):
            actuals = random_actuals(spec, row["role_id"], rng)
            dest = tmp_path / "filled" / f"r{round_no}_{Path(row['file']).name}"
            # cache_values=False: the caches are stale, so only LibreOffice's recalculation can make them right
            fill_workbook(generated / row["file"], dest, spec, actuals, cache_values=False)
            filled.append(dest)
            expected[dest.name] = (row, actuals)
    recalculated = recalculate(filled, tmp_path / "recalculated")
    mismatches = []
    for path in recalculated:
        row, actuals = expected[path.name]
        role = spec.role(row["role_id"])
        layout = RoleLayout(role, spec.grades)
        wb = openpyxl.load_workbook(path)
        targets = {k.id: cell_of(wb, f"kpi_{k.id}_target").value for k in role.kpis}
        want = scoring.score_role(role, spec.grades, actuals, targets)
        got = cached_values(path, SCORECARD)
        checks = [(layout.kpi_cell(k.id, "score"), want.kpis[k.id]) for k in role.kpis]
        checks += [(layout.dimension_score_cell(d), v) for d, v in want.dimensions.items()]
        checks += [
            (layout.total_cell, want.total),
            (layout.grade_cell, want.grade),
            (layout.pending_cell, want.pending),
        ]
        for ref, value in checks:
            if (got.get(ref) if got.get(ref) is not None else "") != value:
                mismatches.append((path.name, ref, value, got.get(ref)))
    assert len(recalculated) == 96
    assert mismatches == []


@pytest.mark.libreoffice
def test_each_role_prints_one_page_wide(soffice: str, generated: Path, spec: Spec, tmp_path: Path) -> None:
    """The Scorecard is A4 landscape and fits one page wide: exported alone it spans 1-2 pages, never more."""
    from tests.lo import to_pdf

    seen = set()
    for row in manifest_rows(generated):
        if row["role_id"] in seen:
            continue
        seen.add(row["role_id"])
        only_scorecard = tmp_path / f"{row['role_id']}.xlsx"
        wb = openpyxl.load_workbook(generated / row["file"])
        wb.security.lockStructure = False
        for name in wb.sheetnames[1:]:
            del wb[name]
        wb.save(only_scorecard)
        pdf = to_pdf(only_scorecard, tmp_path / "pdf").read_bytes()
        pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
        boxes = {tuple(round(float(x)) for x in m) for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)}
        assert boxes == {(842, 595)}, "A4 landscape"
        assert len(pages) in (1, 2), f"{row['role_id']}: {len(pages)} pages; the scorecard must fit one page wide"
    assert seen == set(spec.role_ids)


def test_roster_as_xlsx_gives_the_same_workbooks(tmp_path: Path, spec: Spec) -> None:
    """HR may keep the roster in Excel: the same people, the same per-person targets."""
    with open(ROSTER, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append([float(c) if c.replace(".", "").isdigit() and i > 5 else c for i, c in enumerate(row)])
    roster_xlsx = tmp_path / "roster.xlsx"
    wb.save(roster_xlsx)
    from_csv = generate(ROSTER, "2026Q4", tmp_path / "csv", spec=spec)
    from_xlsx = generate(roster_xlsx, "2026Q4", tmp_path / "xlsx", spec=spec)
    assert [p.relative_to(tmp_path / "xlsx") for p in from_xlsx.written] == [
        p.relative_to(tmp_path / "csv") for p in from_csv.written
    ]
    from kpibook.read import read_workbook

    for a, b in zip(from_csv.written, from_xlsx.written, strict=True):
        assert read_workbook(a).metadata["targets"] == read_workbook(b).metadata["targets"], b


def test_demo_runs_the_whole_cycle(tmp_path: Path) -> None:
    """`kpibook demo`: 24 generated, one never returned, two half-filled, one tampered target, then
    a target change and a manager move, a reissue carrying entries, a superseded copy, reminders."""
    import kpibook
    from kpibook import messages

    previous = messages._chosen
    messages.set_language("en")
    try:
        result = kpibook.demo(tmp_path / "demo")
    finally:
        messages._chosen = previous
    assert result.exit_code == 0
    for path in (result.summary, result.summary_csv, result.audit_report, result.workbooks / "manifest.csv"):
        assert path.is_file(), path
    statuses = [row["status"] for row in csv.DictReader(open(result.summary_csv, encoding="utf-8-sig"))]
    assert {s: statuses.count(s) for s in set(statuses)} == {"ok": 20, "incomplete": 2, "rejected": 1, "missing": 1}
    assert "[target_changed]" in result.audit_report.read_text(encoding="utf-8")
    # the cycle: a reissue that carried entries, a manager move, a superseded copy, reminders
    text = "\n".join(result.lines)
    assert "carry     E1001" in text and "manager 李伟 -> 陈总监" in text
    assert {p.name for p in result.reminders.glob("*.eml")} >= {"陈总监_2026Q4.eml"}
    summary = openpyxl.load_workbook(result.summary)["Issues"]
    rows = list(summary.iter_rows(values_only=True))
    messages = [str(row[rows[0].index("message")]) for row in rows[1:]]
    assert any("is issue 1, but the ledger's current issue is 2" in m for m in messages), messages
