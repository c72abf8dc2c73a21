"""The audit's checks of one workbook against what the spec generates: sheets, metadata and
fingerprint, targets, identity, names, locks, number formats, functions, formulas and fixed
values. Each adds its findings to a `Report`; data validation and cached values have their
own modules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache

from kpibook import scoring
from kpibook.audit.codes import ERROR, WARNING, Report, WorkbookAudit, word
from kpibook.audit.expected import (
    IDENTITY_CELLS,
    KNOWN_METADATA,
    REQUIRED_METADATA,
    ExpectedWorkbook,
    norm,
    position,
)
from kpibook.audit.values import STRING_LITERAL, same, show, shown_number
from kpibook.fingerprint import Key, verify
from kpibook.formula_text import column_letter, functions_used, to_r1c1
from kpibook.layout import AUDIT, COLUMNS, INSTRUCTIONS, METADATA, SCORECARD
from kpibook.read import WorkbookData, cell_text, parse_name_ref
from kpibook.spec import Spec

BUILTIN_NAME = re.compile(r"^_xlnm\.", re.IGNORECASE)
_EXTERNAL_REF = re.compile(r"\[\d+\]|'\[|\[[^\]]*\.xls", re.IGNORECASE)


def check_workbook(data: WorkbookData, report: Report) -> None:
    card = data.scorecard or SCORECARD
    expected_sheets = {card: "visible", INSTRUCTIONS: "visible", AUDIT: "visible", METADATA: "hidden"}
    for sheet in data.sheet_names:
        state = data.sheet_states.get(sheet, "visible")
        if sheet not in expected_sheets:
            report.add(
                "extra_sheet",
                sheet,
                "",
                state=state,
                expected=", ".join(expected_sheets),
                found=sheet,
            )
            continue
        want = expected_sheets[sheet]
        if (want == "hidden") != (state in ("hidden", "veryHidden")):
            report.add("sheet_state", sheet, "", expected=want, found=state, state=state)
    for sheet in (INSTRUCTIONS, AUDIT):
        if sheet not in data.sheet_names:
            report.add("sheet_missing", sheet, "", expected=sheet, found=word("no_such_sheet"))
    if data.scorecard and data.scorecard != SCORECARD:
        report.add(
            "sheet_renamed",
            data.scorecard,
            "",
            expected=SCORECARD,
            found=data.scorecard,
        )
    # An unprotected scorecard or metadata sheet is an error; an unprotected text sheet a warning.
    for sheet, options in (
        (card, {}),
        (METADATA, {}),
        (INSTRUCTIONS, {"severity": WARNING, "variant": "text"}),
        (AUDIT, {"severity": WARNING, "variant": "text"}),
    ):
        if sheet in data.sheet_protection and not data.sheet_protection[sheet]:
            expected, found = word("protected"), word("not_protected")
            report.add("sheet_unprotected", sheet, "", expected=expected, found=found, **options)
    # LibreOffice's xlsx export writes an empty <workbookProtection/> whatever lock it holds
    if not data.structure_locked and not (data.saved_by_libreoffice and data.workbook_protection):
        report.add(
            "structure_unlocked",
            "",
            "",
            expected=word("structure_locked"),
            found=word("unlocked"),
        )
    if data.external_links:
        report.add(
            "external_link",
            "",
            "",
            expected=word("no_external_links"),
            found=word("external_links"),
        )


def check_metadata(data: WorkbookData, report: Report) -> None:
    if not data.has_metadata_sheet:
        report.add(
            "metadata_missing",
            METADATA,
            "",
            expected=word("metadata_sheet"),
            found=word("no_such_sheet"),
            variant="sheet",
        )
        return
    missing = [k for k in REQUIRED_METADATA if not data.metadata.get(k)]
    if missing:
        report.add(
            "metadata_missing",
            METADATA,
            "",
            expected=", ".join(missing),
            found=word("not_there"),
        )
    for key in data.metadata_duplicates:
        report.add(
            "metadata_changed",
            METADATA,
            "",
            expected=word("one_row"),
            found=word("several_rows"),
            variant="duplicate",
            key=key,
        )
    for key in data.metadata:
        if key not in KNOWN_METADATA:
            report.add(
                "metadata_changed",
                METADATA,
                data.metadata_cells.get(key, ""),
                expected=word("no_such_key"),
                found=key,
                variant="extra_row",
                key=key,
            )


def check_signature(data: WorkbookData, spec: Spec, expected: ExpectedWorkbook, key: Key, report: Report) -> bool:
    """Fingerprint and spec version. Returns True when the role's layout is the current spec's (so
    cell-by-cell comparisons with it are meaningful)."""
    md = data.metadata
    layout_sha = expected.layout.layout_sha256
    if not data.has_metadata_sheet:
        return True
    cell = data.metadata_cells.get
    signed = signed_targets(md)
    if md.get("fingerprint") and signed is not None:
        if md.get("key_id") and md.get("key_id") != key.key_id:
            report.add(
                "key_unknown",
                METADATA,
                cell("key_id", ""),
                expected=key.key_id,
                found=md.get("key_id", ""),
            )
        else:
            genuine = verify(
                key,
                md["fingerprint"],
                layout_sha256=md.get("layout_sha256", ""),
                spec_sha256=md.get("spec_sha256", ""),
                role_id=md.get("role_id", ""),
                employee_id=md.get("employee_id", ""),
                period=md.get("period", ""),
                targets=signed,
                issue=signed_issue(md),
            )
            if not genuine:  # the valid fingerprint is never shown: it would let a forger complete the forgery
                report.add(
                    "fingerprint_mismatch",
                    METADATA,
                    cell("fingerprint", ""),
                    expected=word("fingerprint"),
                    found=f"fingerprint {md['fingerprint'][:16]}…",
                )
    same_layout = md.get("layout_sha256", layout_sha) == layout_sha
    if md.get("spec_sha256") and md["spec_sha256"] != spec.sha256:
        # one finding for the whole workbook: which spec made it, which one is loaded, what to do
        report.add(
            "other_spec",
            METADATA,
            cell("spec_sha256", ""),
            expected=f"spec_sha256 {spec.sha256[:12]}… (spec_version {spec.spec_version})",
            found=f"spec_sha256 {md['spec_sha256'][:12]}… (spec_version {md.get('spec_version', '?')})",
            severity=WARNING if same_layout else ERROR,
            variant="same_role" if same_layout else "",
            **spec_versions(md, spec),
        )
    elif not same_layout:
        report.add(
            "other_spec",
            METADATA,
            cell("layout_sha256", ""),
            expected=layout_sha[:12] + "…",
            found=md.get("layout_sha256", "")[:12] + "…",
            variant="layout",
            made_from="?",
        )
    return same_layout


def spec_versions(md: dict[str, str], spec: Spec) -> dict[str, str]:
    """The fields of other_spec and role_unknown: the spec a workbook was made from, the loaded one."""
    return {
        "made_from": md.get("spec_sha256", "?")[:12] + "…",
        "made_version": md.get("spec_version", "?"),
        "loaded": f"{spec.sha256[:12]}… ({spec.source or 'roles.toml'})",
        "loaded_version": str(spec.spec_version),
    }


def signed_targets(md: dict[str, str]) -> dict[str, float] | None:
    try:
        raw = json.loads(md.get("targets", ""))
        return {str(k): float(v) for k, v in raw.items()}
    except (ValueError, TypeError, AttributeError):
        return None


def targets_to_score(
    data: WorkbookData, expected: ExpectedWorkbook, report: Report, compare_cells: bool
) -> dict[str, float]:
    """The targets to score with: those signed into the metadata; each target cell must show them."""
    signed = signed_targets(data.metadata)
    if signed is None and data.has_metadata_sheet and data.metadata.get("targets"):
        report.add(
            "metadata_changed",
            METADATA,
            data.metadata_cells.get("targets", ""),
            expected='{"kpi_id": "target", ...}',
            found=data.metadata["targets"],
            variant="targets_json",
        )
    targets: dict[str, float] = {}
    for kpi in expected.layout.role.kpis:
        cell = expected.target_cells[kpi.id]
        found = data.cells.get(cell)
        value = found.value if found else None
        if signed is not None and kpi.id in signed:
            targets[kpi.id] = signed[kpi.id]
            if compare_cells and not same(value, signed[kpi.id]):
                report.add(
                    "target_changed",
                    data.scorecard,
                    cell,
                    expected=shown_number(signed[kpi.id]),
                    found=show(value),
                    kpi=kpi.id,
                )
        else:
            if signed is not None and compare_cells:  # else a KPI of another spec version: other_spec says so
                report.add(
                    "metadata_changed",
                    METADATA,
                    data.metadata_cells.get("targets", ""),
                    expected=kpi.id,
                    found=word("missing"),
                    variant="target_missing",
                    kpi=kpi.id,
                )
            targets[kpi.id] = value if isinstance(value, float) else kpi.target
    return targets


def signed_issue(md: Mapping[str, str]) -> str | None:
    """The issue number the fingerprint signs: format 1 workbooks signed none. A format 2 file
    relabelled as format 1 keeps its format 2 fingerprint, which then no longer matches."""
    return None if md.get("format_version", "1") == "1" else md.get("issue", "")


def read_entries(data: WorkbookData, expected: ExpectedWorkbook, result: WorkbookAudit) -> None:
    layout = expected.layout
    for kpi in layout.role.kpis:
        ref = data.ref(f"kpi_{kpi.id}_actual") or layout.kpi_cell(kpi.id, "actual")
        cell = data.cells.get(ref)
        result.actuals[kpi.id] = cell.value if cell else None
        row = position(ref)[0]
        comment = data.cells.get(f"{COLUMNS['comment']}{row}")
        if comment and comment.value not in (None, ""):
            result.comments[kpi.id] = cell_text(comment.value)
    for key, ref in layout.signoff_cells.items():
        cell = data.cells.get(ref)
        result.signoff[key] = cell.value if cell else None


def check_identity(data: WorkbookData, report: Report) -> None:
    if not data.has_metadata_sheet:
        return
    for key, ref in IDENTITY_CELLS.items():
        if key not in data.metadata:
            continue
        cell = data.cells.get(ref)
        shown = cell_text(cell.value) if cell else ""
        if shown != data.metadata[key]:
            where = f"{METADATA}!{data.metadata_cells.get(key, '')}"
            report.add(
                "identity_changed",
                data.scorecard,
                ref,
                expected=word("as_in", value=json.dumps(data.metadata[key], ensure_ascii=False), where=where),
                found=show(cell.value if cell else None),
                key=key,
                where=where,
            )


def check_names(data: WorkbookData, expected: ExpectedWorkbook, report: Report, compare_cells: bool) -> None:
    """Defined names. For a workbook made from another spec version (compare_cells False) the
    KPI names (kpi_<id>_...) are the other version's: other_spec has said so once already."""
    for name, cell in expected.names.items():
        text = data.names.get(name)
        if text is None and not compare_cells and _role_name(name):
            continue
        if text is None:
            report.add(
                "name_missing",
                data.scorecard,
                cell,
                expected=f"{name} = {SCORECARD}!{_absolute(cell)}",
                found=word("no_such_name"),
                name=name,
            )
            continue
        target = parse_name_ref(text)
        if target is None or target[0] != data.scorecard or (compare_cells and target[1] != cell):
            report.add(
                "name_changed",
                data.scorecard,
                cell,
                expected=f"{name} = {data.scorecard}!{_absolute(cell)}",
                found=f"{name} = {text}",
                name=name,
            )
    for name in data.names:
        if name not in expected.names and not BUILTIN_NAME.match(name) and (compare_cells or not _role_name(name)):
            report.add(
                "name_extra",
                "",
                "",
                expected=word("no_such_name"),
                found=f"{name} = {data.names[name]}",
                name=name,
            )
    for sheet, name, text in data.local_names:
        if not BUILTIN_NAME.match(name):
            report.add(
                "name_extra",
                sheet,
                "",
                expected=word("no_such_name"),
                found=f"{name} = {text}",
                variant="local",
                name=name,
            )


def _role_name(name: str) -> bool:
    """A name that depends on the role's KPIs in the spec (kpi_<id>_actual, _target, _score)."""
    return name.startswith("kpi_")


def _absolute(cell: str) -> str:
    col = cell.rstrip("0123456789")
    return f"${col}${cell[len(col) :]}"


def _merge_covered(merged: list[str]) -> set[str]:
    """Cells hidden under a merged range (all but its top-left): they cannot be edited."""
    covered: set[str] = set()
    for ref in merged:
        corners = ref.split(":")
        if len(corners) != 2:
            continue
        try:
            (r1, c1), (r2, c2) = position(corners[0]), position(corners[1])
        except ValueError:
            continue
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
            continue
        covered.update(f"{column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        covered.discard(f"{column_letter(c1)}{r1}")
    return covered


def check_locks(data: WorkbookData, expected: ExpectedWorkbook, report: Report) -> None:
    card = data.scorecard
    covered: set[str] | None = None
    for ref, cell in data.cells.items():
        if cell.locked or ref in expected.inputs:
            continue
        if covered is None:
            covered = _merge_covered(data.merged)
        if ref in covered and cell.formula is None and cell.value in (None, ""):
            continue
        important = (
            ref in expected.formulas
            or ref in expected.constants
            or cell.formula is not None
            or ref in expected.target_cells.values()
            or ref in IDENTITY_CELLS.values()
        )
        report.add(
            "cell_unlocked",
            card,
            ref,
            expected=word("locked"),
            found=word("unlocked"),
            severity=ERROR if important else WARNING,
        )
    for ref in sorted(expected.inputs, key=order):
        input_cell = data.cells.get(ref)
        if input_cell is None or input_cell.locked:
            report.add(
                "input_locked",
                card,
                ref,
                expected=word("unlocked"),
                found=word("locked"),
            )


_CONDITION = re.compile(r"\[[<>=]")
_QUOTED = re.compile(r'"([^"]*)"')
_SHOWS_VALUE = re.compile(r"[0#?@]|general|[ymdhs]", re.IGNORECASE)  # digit, text or date placeholders


@lru_cache(maxsize=1024)
def shows_fixed_display(code: str) -> bool:
    """True when a number format can show something other than the cell's value: a condition
    ([>=60]), literal digits ("99.5", \\9), or a section that hides or replaces the value (;;;,
    "A", 0;"OK"). Formats kpibook writes (0.00, 0.0%, #,##0, General...) and a unit suffix
    (0.00" 分") are not."""
    if not code:
        return False
    if _CONDITION.search(code) or any(re.search(r"\d", text) for text in _QUOTED.findall(code)):
        return True
    if re.search(r"\\\d", code):
        return True
    sections = _QUOTED.sub("", code).split(";")
    return any(not _SHOWS_VALUE.search(s) for s in sections[:3])


def check_display(data: WorkbookData, expected: ExpectedWorkbook, report: Report) -> None:
    cells = (
        set(expected.formulas)
        | set(expected.constants)
        | set(expected.target_cells.values())
        | set(IDENTITY_CELLS.values())
    )
    for ref in sorted(cells, key=order):
        code = data.number_format(ref) if ref in data.cells else ""
        if shows_fixed_display(code):
            report.add(
                "display_forged",
                data.scorecard,
                ref,
                expected=word("plain_format"),
                found=code,
            )


def order(ref: str) -> tuple[int, int]:
    """Sort key: cells in reading order (row, then column)."""
    row, col = position(ref)
    return row, col


def check_functions(data: WorkbookData, report: Report) -> None:
    card = data.scorecard
    formulas: list[tuple[str, str, str]] = [(card, ref, c.formula) for ref, c in data.cells.items() if c.formula]
    for sheet, cells in data.formulas_elsewhere.items():
        formulas += [(sheet, ref, text) for ref, text in cells.items()]
    formulas += [
        (card, v.get("sqref", ""), v[k]) for v in data.validations for k in ("formula1", "formula2") if v.get(k)
    ]
    formulas += [(card, "", text) for text in data.conditional_formulas]
    formulas += [("", "", text) for text in data.names.values()]
    formulas += [(sheet, "", text) for sheet, _name, text in data.local_names]
    for sheet, ref, text in formulas:
        banned, external = _formula_flags(text)
        if banned:
            report.add(
                "function_not_allowed",
                sheet,
                ref,
                expected=word("allowed_functions"),
                found=word("functions_in", functions=", ".join(sorted(banned)), formula=text),
                allowed=", ".join(sorted(scoring.ALLOWED_FUNCTIONS)),
            )
        if external:
            report.add(
                "external_link",
                sheet,
                ref,
                expected=word("no_external_references"),
                found=f"={text}",
                variant="formula",
            )


@lru_cache(maxsize=8192)
def _formula_flags(formula: str) -> tuple[frozenset[str], bool]:
    """(functions outside the allowed list, refers to another workbook) of a formula text."""
    banned = frozenset(functions_used(formula)) - scoring.ALLOWED_FUNCTIONS
    return banned, bool(_EXTERNAL_REF.search(STRING_LITERAL.sub('""', formula)))


def check_formulas(data: WorkbookData, expected: ExpectedWorkbook, report: Report) -> None:
    card = data.scorecard
    status: dict[str, bool] = {}  # formula cell -> matches the spec
    for ref, want in expected.formulas.items():
        cell = data.cells.get(ref)
        status[ref] = cell is not None and cell.formula is not None and _formula_equal(cell.formula, want)
    for ref, want in expected.formulas.items():
        if status[ref]:
            continue
        cell = data.cells.get(ref)
        spec_text = expected.layout.formulas[ref]
        if cell is None or cell.formula is None:
            overwritten = cell is not None and cell.value not in (None, "")
            report.add(
                "formula_missing",
                card,
                ref,
                expected=spec_text,
                found=show(cell.value if cell else None),
                variant="overwritten" if overwritten else "deleted",
            )
            continue
        block = expected.blocks.get(ref, ())
        others = [c for c in block if c != ref]
        row, col = position(ref)
        if others and all(status[c] for c in others):
            r1c1_want = to_r1c1(want, row, col)
            r1c1_found = to_r1c1(norm(cell.formula), row, col)
            report.add(
                "column_inconsistent",
                card,
                ref,
                expected=spec_text,
                found="=" + cell.formula,
                first=block[0],
                last=block[-1],
                found_r1c1=r1c1_found,
                want_r1c1=r1c1_want,
            )
        else:
            report.add(
                "formula_changed",
                card,
                ref,
                expected=spec_text,
                found="=" + cell.formula,
            )
    for ref, cell in data.cells.items():
        if cell.formula is None or ref in expected.formulas:
            continue
        if ref in expected.inputs:
            report.add(
                "formula_in_input",
                card,
                ref,
                expected=word("typed_value"),
                found="=" + cell.formula,
            )
        else:
            report.add(
                "extra_formula",
                card,
                ref,
                expected=show(expected.constants[ref][1]) if ref in expected.constants else word("no_formula"),
                found="=" + cell.formula,
            )


@lru_cache(maxsize=8192)
def _formula_equal(found: str, want_normalized: str) -> bool:
    got = norm(found)
    return got == want_normalized or got.replace("$", "") == want_normalized.replace("$", "")


def check_constants(data: WorkbookData, expected: ExpectedWorkbook, report: Report) -> None:
    card = data.scorecard
    for ref, (code, want, what) in expected.constants.items():
        if (card, ref) in report.flagged:
            continue
        cell = data.cells.get(ref)
        found = cell.value if cell else None
        if not same(found, want):
            subject, ident = what
            report.add(code, card, ref, expected=show(want), found=show(found), variant=subject, **ident)
