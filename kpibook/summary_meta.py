"""The summary's signed metadata: how a summary.xlsx proves that consolidate wrote it and that
nobody edited its Employees and KPIs rows since.

Consolidate writes a hidden sheet `_kpibook` (column A key, column B value, as in the
scorecards) with the period, the spec's sha256, a digest of every cell of the Employees table,
one of every cell of the KPIs table (each KPI's spread, which the report draws) and an HMAC of
those under HR's key (kpibook.fingerprint). Format 1 summaries (before the KPIs sheet was
signed) still verify with format 1's signed fields; their KPIs sheet is unsigned, so nothing
takes figures from it (kpibook.summary_read gives no KPI rows for them). Later commands that build on a
summary (calibrate, annual, report) read it through kpibook.summary_read, which recomputes the
digest from the cells it reads and checks the HMAC, so a summary that was edited, or that was
never kpibook's, is refused with a reason instead of silently trusted.

The digest is over cell text as any spreadsheet shows it back: numbers to 15 significant digits
(what every engine keeps), dates as ISO dates, text as is; so a summary opened and saved again
by Excel still verifies, while any changed value does not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

from kpibook.fingerprint import Key
from kpibook.signing import cell_text, sign

SHEET = "_kpibook"
KIND = "kpibook-summary"
FORMAT_VERSION = "2"  # 2: the KPIs sheet is signed too
READABLE_VERSIONS = ("1", FORMAT_VERSION)
SIGNED_KEYS_V1 = ("kind", "format_version", "period", "spec_sha256", "employees", "employees_sha256")
SIGNED_KEYS = (*SIGNED_KEYS_V1, "kpis", "kpis_sha256")
Table = tuple[Sequence[object], Sequence[Sequence[object]]]  # (header, rows) as the sheet shows them


def rows_digest(header: Sequence[object], rows: Iterable[Sequence[object]]) -> tuple[str, int]:
    """sha256 over the header and every row's cells; returns (hex digest, number of rows)."""
    digest = hashlib.sha256()
    digest.update(json.dumps([cell_text(h) for h in header], ensure_ascii=False).encode())
    count = 0
    for row in rows:
        cells = [cell_text(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()  # a reader cannot tell a trailing empty cell from no cell
        if not cells:
            continue  # nor an empty row from no row
        digest.update(b"\n" + json.dumps(cells, ensure_ascii=False).encode())
        count += 1
    return digest.hexdigest(), count


def signature(key: Key, fields: Mapping[str, str]) -> str:
    """HMAC of this file kind's signed fields (kpibook.signing), those of the format the fields
    say; the format version is itself signed, so a format 2 summary cannot pass for format 1."""
    return sign(key, fields, SIGNED_KEYS_V1 if fields.get("format_version") == "1" else SIGNED_KEYS)


def metadata_rows(
    key: Key,
    *,
    period: str,
    spec_sha256: str,
    employees: Table,
    kpis: Table,
    kpibook_version: str,
    generated_at: str,
) -> list[tuple[str, str]]:
    """The key/value rows of the `_kpibook` sheet for a summary with these Employees and KPIs
    cells (as the sheets show them)."""
    digest, count = rows_digest(*employees)
    kpi_digest, kpi_count = rows_digest(*kpis)
    fields = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "period": period,
        "spec_sha256": spec_sha256,
        "employees": str(count),
        "employees_sha256": digest,
        "kpis": str(kpi_count),
        "kpis_sha256": kpi_digest,
    }
    extra = {"kpibook_version": kpibook_version, "generated_at": generated_at, "key_id": key.key_id}
    return [*fields.items(), *extra.items(), ("fingerprint", signature(key, fields))]
