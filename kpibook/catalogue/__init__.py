"""The message catalogue, one module per area of kpibook; `kpibook.messages` is its interface.

Every sentence kpibook says to a person is one entry here, `code: (zh, en)`, in exactly one of
these modules. CATALOGUE is their union; a code defined twice is an error at import time.
"""

from __future__ import annotations

from kpibook.catalogue import (
    audit,
    buttons,
    calibration,
    command_help,
    consolidate,
    cycle,
    formula_book,
    general,
    interop,
    reader,
    report,
    roster,
    spec,
    summary_read,
    usage,
    year,
)

AREAS = (
    general,
    summary_read,
    spec,
    roster,
    cycle,
    consolidate,
    audit,
    formula_book,
    interop,
    buttons,
    reader,
    report,
    calibration,
    year,
    usage,
    command_help,
)


def _union() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for area in AREAS:
        twice = merged.keys() & area.MESSAGES.keys()
        if twice:
            raise RuntimeError(f"message codes defined twice in the catalogue: {sorted(twice)}")
        merged.update(area.MESSAGES)
    return merged


CATALOGUE = _union()
