"""`kpibook audit` against real generated workbooks, tampered with in every way issue 5 lists.

Each tampering is done the way it happens: by a spreadsheet library that loads, edits and
saves (openpyxl), or by rewriting the XML in the zip (what a forger, or a tool that does not
calculate, does). Every case runs over all four roles of the bundled spec and asserts the
right finding code at the right sheet and cell, and that nothing unrelated is reported.
Clean files (blank, filled, merely opened and saved) must produce no finding at all; the
LibreOffice round trip is in tests/test_audit_libreoffice.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Protection

from kpibook.audit import CODES, Finding, audit, audit_workbook, explain, explain_lines
from kpibook.cli import main
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.fingerprint import Key, load_key
from kpibook.generate import generate
from kpibook.layout import COLUMNS, RoleLayout
from kpibook.read import read_workbook
from kpibook.spec import Spec, load_spec, parse_spec
from tests.common import ROOT, ROSTER, bundled_spec, run_kpibook

SCORECARD_PART = "xl/worksheets/sheet1.xml"  # kpibook's generator writes the Scorecard first
METADATA_PART = "xl/worksheets/sheet4.xml"
WORKBOOK_PART = "xl/workbook.xml"


# ---------------------------------------------------------------------------------------------
# Fixtures: one generated workbook per role, blank and filled
# ---------------------------------------------------------------------------------------------


@dataclass
class Book:
    role_id: str
    blank: Path
    filled: Path  # filled as a manager would, cached values recalculated (as Excel saves)
    stale: Path  # the same actuals, caches left as in the blank workbook (a tool that does not calculate)
    layout: RoleLayout


@pytest.fixture(scope="session")
def spec() -> Spec:
    return bundled_spec()


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("generated")
    generate(ROSTER, "2026Q4", out, spec=spec)
    return {p.stem: p for p in sorted(out.rglob("*.xlsx"))}


@pytest.fixture(scope="session")
def books(tmp_path_factory: pytest.TempPathFactory, spec: Spec, generated: dict[str, Path]) -> dict[str, Book]:
    out = tmp_path_factory.mktemp("filled")
    rng = random.Random(5)
    books: dict[str, Book] = {}
    for path in generated.values():
        role_id = read_workbook(path).metadata["role_id"]
        if role_id in books:
            continue
        role = spec.role(role_id)
        actuals = manager_actuals(role, rng, na_rate=0.25)
        actuals[role.kpis[0].id] = role.kpis[0].target * 1.07  # never N/A: tampering cases use the first KPI
        filled = fill_workbook(
            path, out / f"filled_{path.name}", spec, actuals, comments={role.kpis[0].id: "见报表 & <ok>"}
        )
        stale = fill_workbook(path, out / f"stale_{path.name}", spec, actuals, cache_values=False)
        books[role_id] = Book(role_id, path, filled, stale, RoleLayout(role, spec.grades))
    assert sorted(books) == sorted(spec.role_ids)
    return books


ROLES = ["sales_manager", "sales_specialist", "marketing_specialist", "sales_support"]


def found(audited) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(f.code, f.sheet, f.cell) for f in audited.findings}


def signed_as(md: dict[str, str], targets: dict[str, float], issue: str | None = None) -> str:
    """The fingerprint the demo key gives a workbook's metadata with these targets (and issue)."""
    from kpibook.fingerprint import fingerprint

    keys = ("layout_sha256", "spec_sha256", "role_id", "employee_id", "period")
    return fingerprint(load_key(), targets=targets, issue=issue, **{k: md[k] for k in keys})


def describe(audited) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(f.line() for f in audited.findings) or "(no findings)"


# ---------------------------------------------------------------------------------------------
# Tampering tools
# ---------------------------------------------------------------------------------------------


def read_parts(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(i.filename, archive.read(i.filename)) for i in archive.infolist()]


def rewrite(
    src: Path, dest: Path, edits: dict[str, Callable[[bytes], bytes]], add: dict[str, bytes] | None = None
) -> Path:
    """A copy of `src` with some zip parts rewritten (and some added), as a forger would make it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in read_parts(src):
            if name in edits:
                new = edits[name](data)
                assert new != data, f"the edit of {name} changed nothing: the test would prove nothing"
                data = new
            out.writestr(name, data)
        for name, data in (add or {}).items():
            out.writestr(name, data)
    dest.write_bytes(buffer.getvalue())
    return dest


def cell_xml(xml: bytes, ref: str) -> bytes:
    m = re.search(rb'<c r="%s"(?:\s[^>]*)?(?:/>|>.*?</c>)' % ref.encode(), xml, re.S)
    assert m, f"cell {ref} not in the sheet XML"
    return m.group(0)


def replace_cell(xml: bytes, ref: str, new: bytes | Callable[[bytes], bytes]) -> bytes:
    old = cell_xml(xml, ref)
    return xml.replace(old, new(old) if callable(new) else new, 1)


def style_of(xml: bytes, ref: str) -> bytes:
    m = re.search(rb'\ss="(\d+)"', cell_xml(xml, ref))
    assert m
    return m.group(1)


def set_style(xml: bytes, ref: str, style: bytes) -> bytes:
    return replace_cell(xml, ref, lambda c: re.sub(rb'\ss="\d+"', b' s="%s"' % style, c, count=1))


def set_value(xml: bytes, ref: str, value: str) -> bytes:
    """Replaces a cell's cached/constant value, keeping its formula (if any)."""

    def edit(cell: bytes) -> bytes:
        cell = re.sub(rb'\st="[a-zA-Z]+"', b"", cell, count=1)
        return re.sub(rb"<v>[^<]*</v>|<v\s*/>", b"<v>%s</v>" % value.encode(), cell, count=1)

    return replace_cell(xml, ref, edit)


def formula_of(xml: bytes, ref: str) -> bytes:
    m = re.search(rb"<f>(.*?)</f>", cell_xml(xml, ref), re.S)
    assert m
    return m.group(1)


def set_formula(xml: bytes, ref: str, formula: bytes) -> bytes:
    return replace_cell(xml, ref, lambda c: re.sub(rb"<f>.*?</f>", b"<f>" + formula + b"</f>", c, count=1, flags=re.S))


def with_openpyxl(src: Path, dest: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(dest)
    return dest


# ---------------------------------------------------------------------------------------------
# Clean files: no finding at all
# ---------------------------------------------------------------------------------------------


def test_every_generated_workbook_is_clean(spec: Spec, generated: dict[str, Path]) -> None:
    result = audit(list(generated.values()), spec=spec)
    assert len(result.workbooks) == 24
    assert [w.verdict_line() for w in result.workbooks if w.verdict != "clean"] == []
    assert result.exit_code == 0


@pytest.mark.parametrize("role_id", ROLES)
def test_filled_workbook_is_clean_and_recomputed(spec: Spec, books: dict[str, Book], role_id: str) -> None:
    book = books[role_id]
    audited = audit_workbook(book.filled, spec)
    assert audited.verdict == "clean", describe(audited)
    data = read_workbook(book.filled)
    assert audited.scores is not None
    # the recomputation agrees with the cached values fill_workbook wrote (as Excel would)
    assert audited.scores.total == data.value("total_score")
    assert audited.scores.grade == data.value("grade")
    assert audited.comments[book.layout.role.kpis[0].id] == "见报表 & <ok>"


@pytest.mark.parametrize("role_id", ROLES)
def test_openpyxl_load_and_save_is_clean(spec: Spec, books: dict[str, Book], role_id: str, tmp_path: Path) -> None:
    """openpyxl keeps formulas, styles, validation, protection and names but drops every cached
    value: nothing was tampered with, and with no caches there is nothing stale to report."""
    for source in (books[role_id].blank, books[role_id].filled):
        dest = with_openpyxl(source, tmp_path / source.name, lambda wb: None)
        assert read_workbook(dest).value("total_score") is None  # the caches are gone indeed
        audited = audit_workbook(dest, spec)
        assert audited.verdict == "clean", describe(audited)


@pytest.mark.parametrize("role_id", ROLES)
def test_stale_caches_are_one_warning(spec: Spec, books: dict[str, Book], role_id: str) -> None:
    book = books[role_id]
    audited = audit_workbook(book.stale, spec)
    assert found(audited) == {("stale_cache", "Scorecard", book.layout.total_cell)}, describe(audited)
    assert audited.findings[0].severity == "warning"
    assert audited.scores == audit_workbook(book.filled, spec).scores  # kpibook recomputes regardless


def test_inputs_are_never_modified(spec: Spec, books: dict[str, Book]) -> None:
    paths = [p for b in books.values() for p in (b.blank, b.filled, b.stale)]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    audit(paths, spec=spec)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths} == before


# ---------------------------------------------------------------------------------------------
# Tampering by rewriting the XML
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A tampering: make(book, dest) writes the tampered copy and returns the findings expected
    as (code, sheet, cell); `also` lists codes that may come with them."""

    make: Callable[[Book, Path], tuple[Path, set[tuple[str, str, str]]]]
    also: frozenset[str] = frozenset()


def _kpi_row(book: Book, index: int = 0) -> int:
    return book.layout.kpi_rows[book.layout.role.kpis[index].id]


def _overwrite_formula(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"I{_kpi_row(book)}"
    out = rewrite(
        book.filled,
        dest,
        {
            SCORECARD_PART: lambda x: replace_cell(
                x, ref, b'<c r="%s" s="%s"><v>115</v></c>' % (ref.encode(), style_of(x, ref))
            )
        },
    )
    return out, {("formula_missing", "Scorecard", ref)}


def _delete_total(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = book.layout.total_cell
    out = rewrite(
        book.filled,
        dest,
        {SCORECARD_PART: lambda x: replace_cell(x, ref, b'<c r="%s" s="%s"/>' % (ref.encode(), style_of(x, ref)))},
    )
    return out, {("formula_missing", "Scorecard", ref)}


def _edit_one_formula(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"I{_kpi_row(book, 1)}"
    out = rewrite(
        book.filled,
        dest,
        {SCORECARD_PART: lambda x: set_formula(x, ref, formula_of(x, ref).replace(b"*100", b"*110", 1))},
    )
    return out, {("column_inconsistent", "Scorecard", ref)}


def _edit_whole_column(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    refs = [f"J{row}" for row in book.layout.kpi_rows.values()]

    def edit(xml: bytes) -> bytes:
        for ref in refs:
            xml = set_formula(xml, ref, formula_of(xml, ref).replace(b"/100,0)", b"/50,0)"))
        return xml

    return rewrite(book.filled, dest, {SCORECARD_PART: edit}), {("formula_changed", "Scorecard", r) for r in refs}


def _paste_formula_text(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    """I8's formula text pasted into I9 (references not adjusted): I9 now scores the first KPI."""
    first, second = f"I{_kpi_row(book)}", f"I{_kpi_row(book, 1)}"
    out = rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_formula(x, second, formula_of(x, first))})
    return out, {("column_inconsistent", "Scorecard", second)}


def _forge_total(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = book.layout.total_cell
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_value(x, ref, "119.5")}), {
        ("cached_value", "Scorecard", ref)
    }


def _forge_kpi_score(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"I{_kpi_row(book)}"
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_value(x, ref, "120")}), {
        ("cached_value", "Scorecard", ref)
    }


def _edit_target(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"G{_kpi_row(book)}"
    target = book.layout.role.kpis[0].target
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_value(x, ref, repr(target / 2))}), {
        ("target_changed", "Scorecard", ref)
    }


def _edit_target_and_metadata(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    """The target cell and the signed targets edited together: only the fingerprint can tell."""
    ref = f"G{_kpi_row(book)}"
    kpi = book.layout.role.kpis[0]
    data = read_workbook(book.filled)
    targets = json.loads(data.metadata["targets"])
    new = repr(float(targets[kpi.id]) / 2)
    old_json = data.metadata["targets"]
    targets[kpi.id] = new
    new_json = json.dumps(targets, sort_keys=True)

    def metadata(xml: bytes) -> bytes:
        return xml.replace(old_json.encode(), new_json.encode())

    out = rewrite(book.blank, dest, {SCORECARD_PART: lambda x: set_value(x, ref, new), METADATA_PART: metadata})
    return out, {("fingerprint_mismatch", "_kpibook", data.metadata_cells["fingerprint"])}


def _edit_employee_id(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    data = read_workbook(book.blank)
    employee = data.metadata["employee_id"]
    out = rewrite(book.blank, dest, {METADATA_PART: lambda x: x.replace(b">%s<" % employee.encode(), b">E9999<")})
    return out, {
        ("fingerprint_mismatch", "_kpibook", data.metadata_cells["fingerprint"]),
        ("identity_changed", "Scorecard", "H2"),
    }


def _edit_header_name(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    return rewrite(
        book.blank,
        dest,
        {SCORECARD_PART: lambda x: replace_cell(x, "C2", lambda c: re.sub(rb"<t>.*?</t>", "<t>张三</t>".encode(), c))},
    ), {("identity_changed", "Scorecard", "C2")}


def _edit_weight(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"F{_kpi_row(book)}"
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_value(x, ref, "95")}), {
        ("weight_changed", "Scorecard", ref)
    }


def _edit_dimension_weight(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"F{book.layout.dimension_rows[book.layout.role.dimensions[0].id]}"
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_value(x, ref, "90")}), {
        ("weight_changed", "Scorecard", ref)
    }


def _edit_cap(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"{COLUMNS['cap']}{_kpi_row(book)}"
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_value(x, ref, "200")}), {
        ("parameter_changed", "Scorecard", ref)
    }


def _edit_grade_table(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"N{book.layout.grade_table_rows[2]}"
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_value(x, ref, "50")}), {
        ("parameter_changed", "Scorecard", ref)
    }


def _unlock_formula(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref, row = f"I{_kpi_row(book)}", _kpi_row(book)
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_style(x, ref, style_of(x, f"H{row}"))}), {
        ("cell_unlocked", "Scorecard", ref)
    }


def _lock_input(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    row = _kpi_row(book)
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_style(x, f"H{row}", style_of(x, f"G{row}"))}), {
        ("input_locked", "Scorecard", f"H{row}")
    }


def _unprotect_scorecard(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: re.sub(rb"<sheetProtection[^>]*/>", b"", x)}), {
        ("sheet_unprotected", "Scorecard", "")
    }


def _unprotect_metadata(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    return rewrite(book.filled, dest, {METADATA_PART: lambda x: re.sub(rb"<sheetProtection[^>]*/>", b"", x)}), {
        ("sheet_unprotected", "_kpibook", "")
    }


def _unlock_structure(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    return rewrite(book.filled, dest, {WORKBOOK_PART: lambda x: re.sub(rb"<workbookProtection[^>]*/>", b"", x)}), {
        ("structure_unlocked", "", "")
    }


def _remove_validation(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"H{_kpi_row(book)}"
    pattern = rb'<dataValidation [^>]*sqref="%s".*?</dataValidation>' % ref.encode()
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: re.sub(pattern, b"", x, count=1, flags=re.S)}), {
        ("validation_removed", "Scorecard", ref)
    }


def _validation_only_warns(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"H{_kpi_row(book)}"

    def edit(xml: bytes) -> bytes:
        element = re.search(rb'<dataValidation [^>]*sqref="%s"[^>]*>' % ref.encode(), xml)
        assert element
        return xml.replace(element.group(0), element.group(0).replace(b'errorStyle="stop"', b'errorStyle="warning"'))

    return rewrite(book.filled, dest, {SCORECARD_PART: edit}), {("validation_widened", "Scorecard", ref)}


def _widen_bounds(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    """A decimal/whole rule's upper bound raised (for a role's first such KPI)."""
    layout = book.layout
    kpi = next(k for k in layout.role.kpis if not k.allow_na and k.method != "rating")
    ref = layout.kpi_cell(kpi.id, "actual")

    def edit(xml: bytes) -> bytes:
        pattern = rb'(<dataValidation [^>]*sqref="%s"[^>]*>.*?<formula2>)([^<]*)(</formula2>)' % ref.encode()
        return re.sub(pattern, rb"\g<1>1e15\3", xml, count=1, flags=re.S)

    return rewrite(book.filled, dest, {SCORECARD_PART: edit}), {("validation_widened", "Scorecard", ref)}


def _widen_custom_rule(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    """A custom rule (N/A allowed) or a list rule (ratings) loosened; a role with neither gets its
    first actual's rule turned into a custom rule that accepts anything."""
    layout = book.layout
    kpi = next((k for k in layout.role.kpis if k.allow_na or k.method == "rating"), layout.role.kpis[0])
    ref = layout.kpi_cell(kpi.id, "actual")

    def edit(xml: bytes) -> bytes:
        m = re.search(rb'<dataValidation [^>]*sqref="%s"[^>]*>.*?</dataValidation>' % ref.encode(), xml, re.S)
        assert m
        old = m.group(0)
        if kpi.allow_na:
            new = old.replace(b'="N/A")', b'="N/A",ISTEXT(%s))' % ref.encode())
        elif kpi.method == "rating":
            new = re.sub(rb"<formula1>&quot;([^<]*)&quot;</formula1>", rb"<formula1>&quot;\1,6&quot;</formula1>", old)
        else:
            new = re.sub(rb'type="\w+"', b'type="custom"', old)
            new = re.sub(rb"<formula1>[^<]*</formula1>(<formula2>[^<]*</formula2>)?", b"<formula1>TRUE</formula1>", new)
        assert new != old
        return xml.replace(old, new)

    return rewrite(book.filled, dest, {SCORECARD_PART: edit}), {("validation_widened", "Scorecard", ref)}


def _narrow_bounds(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    """A decimal/whole rule's upper bound lowered: stricter than the spec, still a change."""
    layout = book.layout
    kpi = next(k for k in layout.role.kpis if not k.allow_na and k.method != "rating")
    ref = layout.kpi_cell(kpi.id, "actual")
    low = (kpi.min + kpi.max) / 2

    def edit(xml: bytes) -> bytes:
        pattern = rb'(<dataValidation [^>]*sqref="%s"[^>]*>.*?<formula2>)([^<]*)(</formula2>)' % ref.encode()
        return re.sub(pattern, rb"\g<1>" + repr(low).encode() + rb"\3", xml, count=1, flags=re.S)

    return rewrite(book.filled, dest, {SCORECARD_PART: edit}), {("validation_changed", "Scorecard", ref)}


def _drop_instructions(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    return rewrite(
        book.filled, dest, {WORKBOOK_PART: lambda x: re.sub(rb'<sheet [^>]*name="Instructions"[^>]*/>', b"", x)}
    ), {("sheet_missing", "Instructions", "")}


def _drop_metadata_sheet(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    return rewrite(
        book.filled, dest, {WORKBOOK_PART: lambda x: re.sub(rb'<sheet [^>]*name="_kpibook"[^>]*/>', b"", x)}
    ), {("metadata_missing", "_kpibook", "")}


def _duplicate_metadata_row(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    def edit(xml: bytes) -> bytes:
        extra = (
            b'<row r="40"><c r="A40" t="inlineStr"><is><t>targets</t></is></c>'
            b'<c r="B40" t="inlineStr"><is><t>{}</t></is></c></row>'
        )
        return xml.replace(b"</sheetData>", extra + b"</sheetData>")

    return rewrite(book.filled, dest, {METADATA_PART: edit}), {("metadata_changed", "_kpibook", "")}


def _move_name(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    kpi = book.layout.role.kpis[0]
    row = _kpi_row(book)

    def edit(xml: bytes) -> bytes:
        return xml.replace(
            b'name="kpi_%s_actual">Scorecard!$H$%d<' % (kpi.id.encode(), row),
            b'name="kpi_%s_actual">Scorecard!$H$%d<' % (kpi.id.encode(), row + 1),
        )

    return rewrite(book.filled, dest, {WORKBOOK_PART: edit}), {("name_changed", "Scorecard", f"H{row}")}


def _delete_name(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    return rewrite(
        book.filled,
        dest,
        {WORKBOOK_PART: lambda x: re.sub(rb'<definedName name="total_score">[^<]*</definedName>', b"", x)},
    ), {("name_missing", "Scorecard", book.layout.total_cell)}


def _add_name(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    return rewrite(
        book.filled,
        dest,
        {
            WORKBOOK_PART: lambda x: x.replace(
                b"<definedNames>", b'<definedNames><definedName name="bonus">Scorecard!$I$8*2</definedName>'
            )
        },
    ), {("name_extra", "", "")}


_EXTRA_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
)


def _add_hidden_sheet(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    def workbook(xml: bytes) -> bytes:
        return xml.replace(
            b"</sheets>",
            b'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships" name="Notes" sheetId="9" state="hidden" r:id="rId99"/></sheets>',
        )

    def rels(xml: bytes) -> bytes:
        return xml.replace(
            b"</Relationships>",
            b'<Relationship Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet9.xml" '
            b'Id="rId99"/></Relationships>',
        )

    out = rewrite(
        book.filled,
        dest,
        {WORKBOOK_PART: workbook, "xl/_rels/workbook.xml.rels": rels},
        add={"xl/worksheets/sheet9.xml": _EXTRA_SHEET},
    )
    return out, {("extra_sheet", "Notes", "")}


def _banned_function(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    row = _kpi_row(book)
    ref = f"I{row}"
    formula = b'INDIRECT("H%d")/G%d*100' % (row, row)
    return rewrite(book.filled, dest, {SCORECARD_PART: lambda x: set_formula(x, ref, formula)}), {
        ("column_inconsistent", "Scorecard", ref),
        ("function_not_allowed", "Scorecard", ref),
    }


def _external_link(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    row = _kpi_row(book)
    ref = f"I{row}"
    link = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
        b"</externalLink>"
    )

    def rels(xml: bytes) -> bytes:
        return xml.replace(
            b"</Relationships>",
            b'<Relationship Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/externalLink" Target="externalLinks/externalLink1.xml" '
            b'Id="rId98"/></Relationships>',
        )

    out = rewrite(
        book.filled,
        dest,
        {"xl/_rels/workbook.xml.rels": rels, SCORECARD_PART: lambda x: set_formula(x, ref, b"[1]Sheet1!A1")},
        add={"xl/externalLinks/externalLink1.xml": link},
    )
    return out, {
        ("external_link", "", ""),
        ("external_link", "Scorecard", ref),
        ("column_inconsistent", "Scorecard", ref),
    }


def _formula_in_input(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    row = _kpi_row(book)
    ref = f"H{row}"
    value = book.layout.role.kpis[0].target * 1.07

    def edit(xml: bytes) -> bytes:
        return replace_cell(
            xml,
            ref,
            b'<c r="%s" s="%s"><f>%s*1</f><v>%s</v></c>'
            % (ref.encode(), style_of(xml, ref), repr(value).encode(), repr(value).encode()),
        )

    return rewrite(book.filled, dest, {SCORECARD_PART: edit}), {("formula_in_input", "Scorecard", ref)}


def _formula_in_parameter(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    ref = f"{COLUMNS['cap']}{_kpi_row(book)}"

    def edit(xml: bytes) -> bytes:
        return replace_cell(
            xml, ref, b'<c r="%s" s="%s"><f>100+20</f><v>120</v></c>' % (ref.encode(), style_of(xml, ref))
        )

    return rewrite(book.filled, dest, {SCORECARD_PART: edit}), {("extra_formula", "Scorecard", ref)}


def _show_metadata(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    return rewrite(
        book.filled,
        dest,
        {WORKBOOK_PART: lambda x: re.sub(rb'(name="_kpibook" sheetId="\d+" )state="hidden"', rb'\1state="visible"', x)},
    ), {("sheet_state", "_kpibook", "")}


def _rename_scorecard(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    new = "评分 表".encode()

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'name="Scorecard"', b'name="' + new + b'"')
        xml = xml.replace(b">Scorecard!", b">'" + new + b"'!").replace(b">'Scorecard'!", b">'" + new + b"'!")
        return xml

    return rewrite(book.filled, dest, {WORKBOOK_PART: edit}), {("sheet_renamed", "评分 表", "")}


def _forge_display(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    """The total cell given the number format "99.50": it prints 99.50 whatever it computes."""
    ref = book.layout.total_cell
    styles = dict(read_parts(book.filled))["xl/styles.xml"]
    count = int(re.search(rb'<cellXfs count="(\d+)"', styles).group(1))  # type: ignore[union-attr]

    def edit_styles(xml: bytes) -> bytes:
        xml = xml.replace(b"</numFmts>", b'<numFmt numFmtId="200" formatCode="&quot;99.50&quot;"/></numFmts>')
        return xml.replace(
            b"</cellXfs>",
            b'<xf numFmtId="200" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>',
        )

    out = rewrite(
        book.filled,
        dest,
        {"xl/styles.xml": edit_styles, SCORECARD_PART: lambda x: set_style(x, ref, str(count).encode())},
    )
    return out, {("display_forged", "Scorecard", ref)}


def _shared_formulas(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    """Column J stored as one shared formula, as Excel writes a filled-down column: clean."""
    rows = list(book.layout.kpi_rows.values())

    def edit(xml: bytes) -> bytes:
        first = f"J{rows[0]}"
        xml = replace_cell(
            xml, first, lambda c: c.replace(b"<f>", b'<f t="shared" ref="J%d:J%d" si="0">' % (rows[0], rows[-1]), 1)
        )
        for row in rows[1:]:
            xml = replace_cell(
                xml, f"J{row}", lambda c: re.sub(rb"<f>.*?</f>", b'<f t="shared" si="0"/>', c, flags=re.S)
            )
        return xml

    return rewrite(book.filled, dest, {SCORECARD_PART: edit}), set()


def _shared_formula_one_cell_edited(book: Book, dest: Path) -> tuple[Path, set]:  # type: ignore[type-arg]
    """A shared column where the manager later overwrote one cell with a formula of their own."""
    rows = list(book.layout.kpi_rows.values())
    out, _ = _shared_formulas(book, dest)
    edited = f"J{rows[1]}"
    rewrite(
        out,
        dest,
        {
            SCORECARD_PART: lambda x: replace_cell(
                x, edited, lambda c: c.replace(b'<f t="shared" si="0"/>', b"<f>I%d*F%d/100</f>" % (rows[1], rows[1]))
            )
        },
    )
    return dest, {("column_inconsistent", "Scorecard", edited)}


XML_CASES: dict[str, Case] = {
    "formula overwritten by a constant": Case(_overwrite_formula),
    "total formula deleted": Case(_delete_total),
    "one formula edited": Case(_edit_one_formula),
    "whole column edited": Case(_edit_whole_column),
    "formula text pasted over another": Case(_paste_formula_text),
    "cached total forged": Case(_forge_total),
    "cached KPI score forged": Case(_forge_kpi_score),
    "target cell edited": Case(_edit_target),
    "target and signed targets edited": Case(_edit_target_and_metadata),
    "employee id edited in the metadata": Case(_edit_employee_id),
    "employee name edited in the header": Case(_edit_header_name),
    "KPI weight edited": Case(_edit_weight),
    "dimension weight edited": Case(_edit_dimension_weight),
    "cap edited": Case(_edit_cap),
    "grade table edited": Case(_edit_grade_table),
    "formula cell unlocked": Case(_unlock_formula),
    "input cell locked": Case(_lock_input),
    "scorecard protection removed": Case(_unprotect_scorecard),
    "metadata protection removed": Case(_unprotect_metadata),
    "structure unlocked": Case(_unlock_structure),
    "validation removed": Case(_remove_validation),
    "validation only warns": Case(_validation_only_warns),
    "validation bounds widened": Case(_widen_bounds),
    "validation bounds narrowed": Case(_narrow_bounds),
    "custom or list validation loosened": Case(_widen_custom_rule),
    "instructions sheet deleted": Case(_drop_instructions),
    "metadata sheet dropped": Case(_drop_metadata_sheet),
    "metadata row duplicated": Case(_duplicate_metadata_row),
    "defined name moved": Case(_move_name),
    "defined name deleted": Case(_delete_name),
    "defined name added": Case(_add_name, also=frozenset({"function_not_allowed"})),
    "hidden sheet added": Case(_add_hidden_sheet),
    "function outside the allowed list": Case(_banned_function, also=frozenset({"cached_value"})),
    "external link": Case(_external_link),
    "formula in an input cell": Case(_formula_in_input),
    "formula in a parameter cell": Case(_formula_in_parameter),
    "metadata sheet unhidden": Case(_show_metadata),
    "total shown through a fixed number format": Case(_forge_display),
    "scorecard renamed": Case(_rename_scorecard),
    "shared formulas (clean)": Case(_shared_formulas),
    "shared formulas, one cell edited": Case(_shared_formula_one_cell_edited, also=frozenset({"cached_value"})),
}


@pytest.mark.parametrize("role_id", ROLES)
@pytest.mark.parametrize("name", list(XML_CASES))
def test_xml_tampering_is_reported(spec: Spec, books: dict[str, Book], role_id: str, name: str, tmp_path: Path) -> None:
    case = XML_CASES[name]
    path, expected = case.make(books[role_id], tmp_path / "tampered.xlsx")
    audited = audit_workbook(path, spec)
    got = found(audited)
    assert expected <= got, f"{name}: expected {sorted(expected)}\n{describe(audited)}"
    unexpected = {code for code, _, _ in got - expected} - case.also
    assert not unexpected, f"{name}: also reported {sorted(unexpected)}\n{describe(audited)}"
    assert audited.verdict == ("findings" if expected else "clean")
    for finding in audited.findings:
        assert finding.code in CODES
        assert finding.severity == CODES[finding.code][0] or finding.code in (
            "other_spec",
            "sheet_unprotected",
            "cell_unlocked",
        )


# ---------------------------------------------------------------------------------------------
# Tampering with openpyxl: load, edit, save (what a script or a careless tool does)
# ---------------------------------------------------------------------------------------------


def _first(book: Book, column: str, index: int = 0) -> str:
    return f"{COLUMNS[column]}{_kpi_row(book, index)}"


OPENPYXL_CASES: dict[str, tuple[Callable[[Book], Callable[[openpyxl.Workbook], None]], Callable[[Book], set]]] = {
    "score overwritten": (
        lambda b: lambda wb: wb["Scorecard"].__setitem__(_first(b, "score"), 115),
        lambda b: {("formula_missing", "Scorecard", _first(b, "score"))},
    ),
    "weighted formula retyped": (
        lambda b: (
            lambda wb: wb["Scorecard"].__setitem__(
                _first(b, "weighted", 1), f"=I{_kpi_row(b, 1)}*F{_kpi_row(b, 1)}/100"
            )
        ),
        lambda b: {("column_inconsistent", "Scorecard", _first(b, "weighted", 1))},
    ),
    "target retyped": (
        lambda b: lambda wb: wb["Scorecard"].__setitem__(_first(b, "target"), 1),
        lambda b: {("target_changed", "Scorecard", _first(b, "target"))},
    ),
    "protection off": (
        lambda b: lambda wb: setattr(wb["Scorecard"].protection, "sheet", False),
        lambda b: {("sheet_unprotected", "Scorecard", "")},
    ),
    "score cell unlocked": (
        lambda b: lambda wb: setattr(wb["Scorecard"][_first(b, "score")], "protection", Protection(locked=False)),
        lambda b: {("cell_unlocked", "Scorecard", _first(b, "score"))},
    ),
    "validation cleared": (
        lambda b: lambda wb: setattr(wb["Scorecard"].data_validations, "dataValidation", []),
        lambda b: {("validation_removed", "Scorecard", b.layout.kpi_cell(k.id, "actual")) for k in b.layout.role.kpis},
    ),
    "metadata employee edited": (
        lambda b: lambda wb: wb["_kpibook"].__setitem__("B7", "E9999"),
        lambda b: {("fingerprint_mismatch", "_kpibook", "B15"), ("identity_changed", "Scorecard", "H2")},
    ),
    "total_score name deleted": (
        lambda b: lambda wb: wb.defined_names.pop("total_score"),
        lambda b: {("name_missing", "Scorecard", b.layout.total_cell)},
    ),
    "hidden sheet added": (
        lambda b: lambda wb: setattr(wb.create_sheet("Hidden"), "sheet_state", "hidden"),
        lambda b: {("extra_sheet", "Hidden", "")},
    ),
    "structure unlocked": (
        lambda b: lambda wb: setattr(wb.security, "lockStructure", False),
        lambda b: {("structure_unlocked", "", "")},
    ),
    "row inserted in the KPI table": (
        # openpyxl moves the cells down but, unlike Excel, adjusts neither formulas nor names: the
        # second KPI's formulas are no longer where the spec puts them
        lambda b: lambda wb: wb["Scorecard"].insert_rows(_kpi_row(b, 1)),
        lambda b: {("formula_missing", "Scorecard", _first(b, "score", 1))},
    ),
}


@pytest.mark.parametrize("role_id", ROLES)
@pytest.mark.parametrize("name", list(OPENPYXL_CASES))
def test_openpyxl_tampering_is_reported(
    spec: Spec, books: dict[str, Book], role_id: str, name: str, tmp_path: Path
) -> None:
    make_edit, make_expected = OPENPYXL_CASES[name]
    book = books[role_id]
    path = with_openpyxl(book.filled, tmp_path / "tampered.xlsx", make_edit(book))
    audited = audit_workbook(path, spec)
    expected = make_expected(book)
    assert expected <= found(audited), f"{name}: expected {sorted(expected)}\n{describe(audited)}"
    if name != "row inserted in the KPI table":  # that one moves many cells: many findings are right
        assert found(audited) == expected, describe(audited)


# ---------------------------------------------------------------------------------------------
# The spec and the key
# ---------------------------------------------------------------------------------------------


def _spec_variant(edit: Callable[[str], str]) -> Spec:
    text = (ROOT / "roles.toml").read_text(encoding="utf-8")
    new = edit(text)
    assert new != text
    return parse_spec(new, source="roles-v2.toml")


def test_workbook_of_another_spec_version(books: dict[str, Book]) -> None:
    """sales_manager's weights changed in the spec: its workbooks are from another version (error,
    not compared cell by cell); the other roles' workbooks are unchanged in substance (warning)."""
    changed = _spec_variant(
        lambda t: t.replace(
            "weight = 70\nmin = 0\nmax = 100000000", "weight = 60\nmin = 0\nmax = 100000000", 1
        ).replace("weight = 30\nmin = -1", "weight = 40\nmin = -1", 1)
    )
    manager = audit_workbook(books["sales_manager"].filled, changed)
    assert {(f.code, f.severity) for f in manager.findings} == {("other_spec", "error")}, describe(manager)
    assert "another version of roles.toml" in manager.findings[0].message
    other = audit_workbook(books["sales_support"].filled, changed)
    assert {(f.code, f.severity) for f in other.findings} == {("other_spec", "warning")}, describe(other)


def test_comment_only_spec_change_is_a_warning(books: dict[str, Book]) -> None:
    spec = _spec_variant(lambda t: t + "\n# reviewed by finance\n")
    audited = audit_workbook(books["sales_manager"].filled, spec)
    assert found(audited) == {("other_spec", "_kpibook", "B3")}
    assert audited.findings[0].severity == "warning"


def test_role_not_in_spec(books: dict[str, Book]) -> None:
    audited = audit_workbook(books["sales_manager"].filled, load_spec(ROOT / "tests" / "specs" / "valid_minimal.toml"))
    assert {f.code for f in audited.findings} >= {"role_unknown"}
    assert audited.scores is None


def test_another_key_cannot_verify(spec: Spec, books: dict[str, Book]) -> None:
    key = Key(b"a different HR key, 32 bytes long!!", "other")
    audited = audit_workbook(books["sales_manager"].filled, spec, key)
    assert found(audited) == {("key_unknown", "_kpibook", "B13")}
    assert audited.findings[0].severity == "warning"


def test_real_key_detects_forgery_by_someone_with_the_demo_key(
    spec: Spec, generated: dict[str, Path], tmp_path: Path
) -> None:
    """Workbooks signed with HR's key; a forger re-signs edited targets with the public demo key
    and even writes HR's key id: the fingerprint does not match."""
    hr = Key(b"HR secret key, never in a workbook", "hr0001")
    out = tmp_path / "hr"
    generate(ROSTER, "2026Q4", out, spec=spec, key=hr)
    path = sorted(out.rglob("E1001_*.xlsx"))[0]
    data = read_workbook(path)

    targets = {k: float(v) * 0.5 for k, v in json.loads(data.metadata["targets"]).items()}
    md = data.metadata
    forged = signed_as(md, targets)

    def metadata(xml: bytes) -> bytes:
        from kpibook.fingerprint import canonical_targets

        xml = xml.replace(md["targets"].encode(), json.dumps(canonical_targets(targets), sort_keys=True).encode())
        return xml.replace(md["fingerprint"].encode(), forged.encode())

    def scorecard(xml: bytes) -> bytes:
        layout = RoleLayout(spec.role(md["role_id"]), spec.grades)
        for kpi_id, target in targets.items():
            xml = set_value(xml, layout.kpi_cell(kpi_id, "target"), repr(target))
        return xml

    tampered = rewrite(path, tmp_path / "forged.xlsx", {METADATA_PART: metadata, SCORECARD_PART: scorecard})
    audited = audit_workbook(tampered, spec, hr)
    assert found(audited) == {("fingerprint_mismatch", "_kpibook", "B15")}, describe(audited)
    assert audit_workbook(path, spec, hr).verdict == "clean"


# ---------------------------------------------------------------------------------------------
# Output: finding lines, verdicts, the library entry point, the CLI
# ---------------------------------------------------------------------------------------------


def test_finding_line_format() -> None:
    finding = Finding(
        "returned/E1001_王芳_2026Q4.xlsx",
        "Scorecard",
        "I8",
        "formula_missing",
        "error",
        '=IF(H8="","",1)',
        "115",
        key="audit.formula_missing.overwritten",
    )
    assert finding.line("en") == (
        "returned/E1001_王芳_2026Q4.xlsx!Scorecard!I8: error [formula_missing] the formula was overwritten with a "
        'constant (typed or pasted over); expected =IF(H8="","",1), found 115; to do: ask the manager who '
        "returned it what was changed; have HR reissue the workbook (kpibook generate) and enter the actuals again"
    )
    assert finding.line("zh").startswith(
        "returned/E1001_王芳_2026Q4.xlsx!Scorecard!I8: 错误 [formula_missing] 公式被常量覆盖"
    )
    assert (
        Finding("f.xlsx", "", "", "structure_unlocked", "warning", "", "", "unlocked\nby hand").line("en")
        == "f.xlsx: warning [structure_unlocked] unlocked by hand; to do: ask the manager who returned it what "
        "was changed; have HR reissue the workbook (kpibook generate) and enter the actuals again"
    )


def test_verdict_lines(spec: Spec, books: dict[str, Book], tmp_path: Path) -> None:
    book = books["sales_manager"]
    clean = audit_workbook(book.blank, spec)
    data = read_workbook(book.blank)
    assert clean.verdict_line("en") == (
        f"OK   {book.blank} ({data.metadata['employee_id']} {data.metadata['employee_name']}, sales_manager): clean"
    )
    path, _ = _overwrite_formula(book, tmp_path / "t.xlsx")
    assert audit_workbook(path, spec).verdict_line().startswith(f"FAIL {path} (")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"employee_id,name\nE1,x\n")
    unreadable = audit_workbook(junk, spec)
    assert unreadable.verdict == "unreadable"
    assert unreadable.findings[0].found == "text_file"
    assert unreadable.verdict_line("en").startswith(f"FAIL {junk}: unreadable: this is a text/CSV")


def test_audit_folders_recursively_and_skips_lock_files(spec: Spec, books: dict[str, Book], tmp_path: Path) -> None:
    folder = tmp_path / "returned" / "team a"
    folder.mkdir(parents=True)
    (folder / "a.xlsx").write_bytes(books["sales_manager"].filled.read_bytes())
    (folder / "B.XLSX").write_bytes(books["sales_support"].filled.read_bytes())
    (folder / "~$a.xlsx").write_bytes(b"\x00" * 165)
    (folder / "notes.txt").write_text("not a workbook")
    result = audit([tmp_path / "returned"], spec=spec)
    assert sorted(w.path.name for w in result.workbooks) == ["B.XLSX", "a.xlsx"]
    assert [p.name for p, _ in result.skipped] == ["~$a.xlsx"]
    assert result.clean and result.exit_code == 0


def _cli(*args: str | Path, lang: str = "en_US.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "kpibook", "audit", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        env={**env, "LANG": lang},
    )


def test_cli_clean_folder_exits_0(books: dict[str, Book], tmp_path: Path) -> None:
    for book in books.values():
        (tmp_path / book.filled.name).write_bytes(book.filled.read_bytes())
    run = _cli(tmp_path)
    assert run.returncode == 0, run.stderr
    # nothing on stderr but the note that the demo key signed them
    assert [line for line in run.stderr.splitlines() if not line.startswith("kpibook: note: ")] == []
    assert "public demo key" in run.stderr
    lines = run.stdout.splitlines()
    assert sum(line.startswith("OK   ") for line in lines) == 4
    assert lines[-1] == (
        "4 workbook(s) audited: 4 clean, 0 with warnings only, 0 failed (0 error(s), 0 warning(s)), 0 unreadable"
    )


def test_cli_reports_findings_and_exits_1(books: dict[str, Book], tmp_path: Path) -> None:
    book = books["sales_manager"]
    path, expected = _overwrite_formula(book, tmp_path / "tampered.xlsx")
    (tmp_path / "junk.xlsx").write_bytes(b"")
    run = _cli(path, tmp_path / "junk.xlsx", book.filled)
    assert run.returncode == 1
    ((code, sheet, cell),) = expected
    out = run.stdout.splitlines()  # everything on stdout, so `kpibook audit fin > report.txt` keeps it
    assert out[0].startswith(f"FAIL {path} (") and out[0].endswith(": 1 finding(s) (1 error(s), 0 warning(s))")
    assert out[1].startswith(
        f"  {path}!{sheet}!{cell}: error [{code}] the formula was overwritten with a constant (typed or pasted "
        "over); expected =IF("
    )
    assert out[1].endswith(
        "found 115; to do: ask the manager who returned it what was changed; have HR reissue "
        "the workbook (kpibook generate) and enter the actuals again"
    )
    assert out[2].startswith(f"FAIL {tmp_path / 'junk.xlsx'}: unreadable: the file is empty")
    assert out[3].startswith(f"  {tmp_path / 'junk.xlsx'}: error [unreadable] cannot be read: the file is empty")
    assert out[4].startswith(f"OK   {book.filled}")
    assert out[5].startswith("3 workbook(s) audited: 1 clean, 0 with warnings only, 2 failed (")
    assert len(out) == 6
    assert [line for line in run.stderr.splitlines() if not line.startswith("kpibook: note: ")] == []


def test_cli_json(books: dict[str, Book], tmp_path: Path) -> None:
    path, _ = _forge_total(books["sales_support"], tmp_path / "forged.xlsx")
    run = _cli("--json", path, books["sales_support"].filled)
    assert run.returncode == 1
    report = json.loads(run.stdout)
    first, second = report["workbooks"]
    assert first["verdict"] == "findings" and second["verdict"] == "clean"
    assert [(f["code"], f["sheet"], f["cell"], f["severity"]) for f in first["findings"]] == [
        ("cached_value", "Scorecard", books["sales_support"].layout.total_cell, "error")
    ]
    assert first["total_score"] == second["total_score"]  # recomputed, never the forged cache
    assert report["summary"] == {
        "workbooks": 2,
        "clean": 1,
        "warned": 0,
        "failed": 1,
        "with_findings": 1,
        "unreadable": 0,
        "unverifiable": 0,
        "errors": 1,
        "warnings": 0,
    }


def test_cli_cannot_run_exits_2(tmp_path: Path) -> None:
    missing = _cli(tmp_path / "nowhere")
    assert missing.returncode == 2
    assert f"kpibook: {tmp_path / 'nowhere'}: no such file or folder" in missing.stderr
    empty = _cli(tmp_path)
    assert empty.returncode == 2 and "no .xlsx workbooks found" in empty.stderr
    bad_spec = _cli("--spec", tmp_path / "roles.toml", tmp_path)
    assert bad_spec.returncode == 2 and "Traceback" not in bad_spec.stderr


def test_explain_prints_every_distinct_formula(spec: Spec) -> None:
    entries = explain(spec, "sales_manager")
    layout = RoleLayout(spec.role("sales_manager"), spec.grades)
    formulas = [e for e in entries if e.kind == "formula"]
    assert [e.key for e in formulas] == [c.key for c in layout.column_formulas()]
    score = formulas[0]
    assert score.cells == "Scorecard!I8:I17"
    assert score.r1c1.startswith('=IF(RC[-1]="","",') and score.a1.startswith('=IF(H8="","",')
    assert [e.key for e in entries if e.kind == "kpi"] == [k.id for k in layout.role.kpis]
    text = "\n".join(explain_lines(entries))
    assert "R1C1: =IF(RC[-1]" in text and "method bands" in text
    assert len(explain(spec)) == sum(
        len(RoleLayout(r, spec.grades).column_formulas()) + len(r.kpis) for r in spec.roles
    )


def test_cli_explain_writes_the_formula_book(tmp_path: Path) -> None:
    out = tmp_path / "book.xlsx"
    run = _cli("--explain", "sales_support", "--out", out)
    assert run.returncode == 0, run.stderr
    wb = openpyxl.load_workbook(out)
    rows = list(wb["Formula book"].values)
    assert rows[0][:4] == ("role", "#", "cells", "formula (R1C1)")
    assert rows[1][3].startswith("=IF(RC[-1]")
    assert wb["Formula book"]["D2"].data_type == "s"  # shown as text, never evaluated
    assert len(list(wb["KPI rules"].values)) > 1
    unknown = _cli("--explain", "ceo")
    assert unknown.returncode == 2 and "there is no role 'ceo'" in unknown.stderr


# What the English formula book said before its words moved to the catalogue: kept as it is.
ENGLISH_BOOK_LINES = (
    "== sales_manager: 销售经理 Sales Manager ==",
    "   computes: Points the KPI contributes to its dimension: score × KPI weight ÷ 100 (0 if not scored).",
    "   spec: roles.toml: kpis.allow_na (N/A shares its weight among the rest of the dimension)",
    "   spec: contract: the workbook shows how many inputs remain",
    "KPI rules (the score formula's parameters per row):",
    "      method ratio (CHOOSE branch 1: {a}/{t}*100); code Q8 = 1, direction R8 = 1, zero/penalty S8 = 0, "
    "floor T8 = 0, cap U8 = 120, N/A ok V8 = 0",
    "roles.toml: roles[sales_manager].dimensions[results].kpis[sm_revenue] (weight 70%)",
    "1 = ratio: actual ÷ target × 100; 2 = inverse_ratio: target ÷ actual × 100 (lower is better;",
)
# Labels of the English book that must not appear in the Chinese one (parameter labels are
# checked with their cell: "floor" is also a placeholder of the bands formula).
ENGLISH_ONLY = re.compile(
    r"computes:|spec:|KPI rules|CHOOSE branch|\(weight |what it computes|"
    r"\b(?:code|direction|zero/penalty|floor|cap|N/A ok) [A-Z]+\d+ ="
)


def _explain(lang: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`kpibook --lang LANG audit --explain sales_manager ARGS` in a fresh, English-locale process."""
    return run_kpibook(["--lang", lang, "audit", "--explain", "sales_manager", *map(str, args)], "en_US.UTF-8", ROOT)


def test_the_formula_book_in_chinese_has_no_english_label(spec: Spec) -> None:
    run = _explain("zh")
    assert run.returncode == 0, run.stderr
    text = run.stdout
    for label in (
        "计算内容：",
        "规格依据：",
        "KPI 规则（每行得分公式的参数）：",
        "（CHOOSE 第 5 个分支：",
        "（权重 40%）",
    ):
        assert label in text, label
    assert "代码 Q8 = 1，方向 R8 = 1，零分点/罚分 S8 = 0，保底 T8 = 0，封顶 U8 = 120，允许 N/A V8 = 0" in text
    for formula in RoleLayout(spec.role("sales_manager"), spec.grades).column_formulas():
        assert formula.words("zh") in text and formula.rule("zh") in text, formula.key
        assert formula.words("en") not in text and formula.rule("en") not in text, formula.key
    assert "5 = bands：按分档表取所达到的最高档的分数" in text  # the methods' legend too
    english = ENGLISH_ONLY.findall(text)
    assert not english, english


def test_the_formula_book_in_english_says_what_it_said(spec: Spec) -> None:
    run = _explain("en")
    assert run.returncode == 0, run.stderr
    for line in ENGLISH_BOOK_LINES:
        assert line in run.stdout, line
    assert "计算内容" not in run.stdout and "规格依据" not in run.stdout
    assert "\n".join(explain_lines(explain(spec, "sales_manager", "en"), "en")) == run.stdout.rstrip("\n")


def test_the_chinese_formula_book_xlsx_has_chinese_headings(tmp_path: Path) -> None:
    run = _explain("zh", "--out", tmp_path / "book.xlsx")
    assert run.returncode == 0, run.stderr
    wb = openpyxl.load_workbook(tmp_path / "book.xlsx")
    assert wb.sheetnames == ["公式手册", "KPI 规则"]
    formulas, kpis = (list(ws.values) for ws in wb.worksheets)
    assert formulas[0] == ("岗位", "序号", "单元格", "公式（R1C1）", "公式（A1，首个单元格）", "计算内容", "规格规则")
    assert kpis[0] == ("岗位", "序号", "KPI 编号", "得分单元格", "计分方法", "参数", "规则说明", "规格依据")
    assert str(formulas[2][5]).startswith("KPI 为其维度贡献的分数") and str(kpis[1][4]).startswith("计分方法 ")
    assert wb.worksheets[1].column_dimensions["A"].width >= len("sales_manager") + 2  # the id is not cut
    english = ENGLISH_ONLY.findall(" ".join(str(v) for row in formulas + kpis for v in row))
    assert not english, english


def test_audit_is_fast(spec: Spec, generated: dict[str, Path], books: dict[str, Book]) -> None:
    """audit_workbook (read included) on every generated and filled workbook; the target is under
    10 ms each on the 2-core CI machine, the bound here is loose so that a busy machine passes."""
    import time

    paths = list(generated.values()) + [b.filled for b in books.values()]
    key = load_key()
    audit_workbook(paths[0], spec, key)  # the role's expectations are prepared once
    started = time.perf_counter()
    for path in paths:
        audit_workbook(path, spec, key)
    per_file = (time.perf_counter() - started) / len(paths)
    assert per_file < 0.05, f"{per_file * 1000:.1f} ms per workbook"


def test_finding_details_speak_the_language(
    spec: Spec, books: dict[str, Book], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Expected and found are words of the run's language where they are not a cell's content."""
    book = books["sales_manager"]
    banned, _ = _banned_function(book, tmp_path / "banned.xlsx")
    emptied = rewrite(
        book.blank,
        tmp_path / "emptied.xlsx",
        {SCORECARD_PART: lambda x: replace_cell(x, "C2", lambda c: re.sub(rb"<t>.*?</t>", b"<t></t>", c))},
    )
    texts = {}
    for lang in ("zh", "en"):
        assert main(["audit", str(banned), str(emptied), "--lang", lang]) == 1
        texts[lang] = capsys.readouterr().out
    assert "INDIRECT，见于 =INDIRECT(" in texts["zh"] and '""（空文本）' in texts["zh"]
    assert "中一致）" in texts["zh"] and " in =INDIRECT(" not in texts["zh"] and "(as in " not in texts["zh"]
    assert (
        "INDIRECT in =INDIRECT(" in texts["en"]
        and '"" (empty text)' in texts["en"]
        and "(as in _kpibook!" in texts["en"]
    )


# ---------------------------------------------------------------------------------------------
# The issue number is signed (workbook format 2); format 1 workbooks still verify
# ---------------------------------------------------------------------------------------------


def _metadata_value(xml: bytes, ref: str, value: str) -> bytes:
    """The _kpibook sheet with cell `ref` (an inline string) holding `value`."""
    pattern = rb'(<c r="' + ref.encode() + rb'"[^>]*><is><t[^>]*>)[^<]*(</t>)'
    changed = re.sub(pattern, lambda m: m[1] + value.encode() + m[2], xml, count=1)
    assert changed != xml, f"{ref} not found as an inline string"
    return changed


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("issued")
    generate(ROSTER, "2026Q4", out, spec=bundled_spec())
    return sorted(out.rglob("*.xlsx"))[0]


def test_a_superseded_copy_relabelled_as_the_current_issue_fails_its_fingerprint(issued: Path, tmp_path: Path) -> None:
    data = read_workbook(issued)
    assert data.metadata["format_version"] == "2" and data.metadata["issue"] == "1"
    cells = data.metadata_cells
    relabelled = rewrite(
        issued, tmp_path / "relabelled.xlsx", {METADATA_PART: lambda x: _metadata_value(x, cells["issue"], "2")}
    )
    assert ("fingerprint_mismatch", "_kpibook", cells["fingerprint"]) in found(
        audit_workbook(relabelled, bundled_spec())
    )
    # nor can it pass as a format 1 workbook, whose fingerprint did not sign the issue
    downgraded = rewrite(
        relabelled,
        tmp_path / "downgraded.xlsx",
        {METADATA_PART: lambda x: _metadata_value(x, cells["format_version"], "1")},
    )
    assert ("fingerprint_mismatch", "_kpibook", cells["fingerprint"]) in found(
        audit_workbook(downgraded, bundled_spec())
    )
    assert audit_workbook(issued, bundled_spec()).verdict == "clean"


def test_a_format_1_workbook_signed_without_the_issue_still_verifies(issued: Path, tmp_path: Path) -> None:
    data = read_workbook(issued)
    md, cells = data.metadata, data.metadata_cells
    old = signed_as(md, {k: float(v) for k, v in json.loads(md["targets"]).items()})  # format 1: no issue

    def format_1(xml: bytes) -> bytes:
        xml = _metadata_value(xml, cells["format_version"], "1")
        return _metadata_value(xml, cells["fingerprint"], old)

    path = rewrite(issued, tmp_path / "format1.xlsx", {METADATA_PART: format_1})
    assert audit_workbook(path, bundled_spec()).verdict == "clean", describe(audit_workbook(path, bundled_spec()))
