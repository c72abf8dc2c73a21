"""How kpibook signs what it writes after the scorecards (summary, calibration, year): one rule
for turning a cell into digest text, and one HMAC over named fields.

A digest is over cell text as any spreadsheet shows it back: numbers to 15 significant digits
(what every engine keeps when it saves), dates as their serial number (a date cell reads back
as a date or as that number), text as is; so a file opened and saved again still verifies,
while any changed value does not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence

from kpibook.fingerprint import Key


def cell_text(value: object) -> str:
    """One cell's value as a digest sees it (the same on writing and on reading back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format(float(value), ".15g")
    if isinstance(value, dt.date):
        return format(excel_serial(value), ".15g")
    return str(value)


def excel_serial(value: dt.date) -> float:
    """The number a spreadsheet stores for a date (days since 1899-12-30)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    return (moment.replace(tzinfo=None) - dt.datetime(1899, 12, 30)).total_seconds() / 86400


def sign(key: Key, fields: Mapping[str, str], signed_keys: Sequence[str]) -> str:
    """HMAC-SHA256 under `key` of the `signed_keys` fields (a missing one counts as "")."""
    message = json.dumps({k: fields.get(k, "") for k in signed_keys}, sort_keys=True, ensure_ascii=True)
    return hmac.new(key.secret, message.encode(), hashlib.sha256).hexdigest()
