"""The summary's signed metadata: how a summary.xlsx proves that consolidate wrote it and that
nobody edited its Employees rows since.

Consolidate writes a hidden sheet `_kpibook` (column A key, column B value, as in the
scorecards) with the period, the spec's sha256, a digest of every cell of the Employees table
and an HMAC of those under HR's key (kpibook.fingerprint). Later commands that build on a
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
FORMAT_VERSION = "1"
SIGNED_KEYS = ("kind", "format_version", "period", "spec_sha256", "employees", "employees_sha256")


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
    """HMAC of this file kind's signed fields (kpibook.signing)."""
    return sign(key, fields, SIGNED_KEYS)


def metadata_rows(
    key: Key,
    *,
    period: str,
    spec_sha256: str,
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    kpibook_version: str,
    generated_at: str,
) -> list[tuple[str, str]]:
    """The key/value rows of the `_kpibook` sheet for a summary with these Employees cells."""
    digest, count = rows_digest(header, rows)
    fields = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "period": period,
        "spec_sha256": spec_sha256,
        "employees": str(count),
        "employees_sha256": digest,
    }
    extra = {"kpibook_version": kpibook_version, "generated_at": generated_at, "key_id": key.key_id}
    return [*fields.items(), *extra.items(), ("fingerprint", signature(key, fields))]
