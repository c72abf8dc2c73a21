"""Tamper evidence: a keyed HMAC over what kpibook fixed in a workbook.

The fingerprint covers the identity of the workbook (employee, role, period, and from format 2
on the ledger's issue number, so a superseded copy cannot pass for the current one), the spec it
came from, the per-person targets, and the digest of the role's layout (formulas,
parameters, weights, names, unlocked cells: kpibook.layout.RoleLayout.layout_sha256).
Whoever edits a target or a formula and rewrites the metadata cannot make a matching
fingerprint without HR's key, which never goes into the workbook.

The key comes from KPIBOOK_KEY (text) or KPIBOOK_KEY_FILE (a file's bytes), else a demo key
that is public: fine for trying kpibook, not for real appraisals (the CLI says so).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kpibook.errors import KpibookError
from kpibook.messages import t

DEMO_KEY = b"kpibook-demo-key: public, replace it with KPIBOOK_KEY or KPIBOOK_KEY_FILE"


@dataclass(frozen=True)
class Key:
    secret: bytes
    key_id: str  # shown in the metadata: which key signed it (never the key itself)

    @property
    def is_demo(self) -> bool:
        return self.secret == DEMO_KEY


MIN_KEY_BYTES = 16


def load_key(key_file: str | Path | None = None) -> Key:
    """HR's key, by one rule for every source (option, file, environment), as --help states it
    (catalogue help.key_rule): --key-file, else KPIBOOK_KEY_FILE, else KPIBOOK_KEY; surrounding
    whitespace ignored; at least MIN_KEY_BYTES; else the public demo key."""
    path = key_file or os.environ.get("KPIBOOK_KEY_FILE")
    if path:
        source = t("general.key_file", path=path)
        try:
            secret = Path(path).read_bytes().strip()
        except OSError as exc:
            raise KpibookError(t("general.key_unreadable", source=source, reason=exc.strerror)) from None
    elif os.environ.get("KPIBOOK_KEY"):
        source = "KPIBOOK_KEY"
        secret = os.environ["KPIBOOK_KEY"].strip().encode("utf-8")
    else:
        return Key(DEMO_KEY, "demo")
    if len(secret) < MIN_KEY_BYTES:
        raise KpibookError(t("general.key_too_short", source=source, size=len(secret), minimum=MIN_KEY_BYTES))
    return key_of(secret)


def key_of(secret: bytes) -> Key:
    """The Key for `secret`; its id (first 12 hex digits of its sha256) names it in messages."""
    return Key(secret, "demo" if secret == DEMO_KEY else hashlib.sha256(secret).hexdigest()[:12])


def canonical_targets(targets: Mapping[str, float]) -> dict[str, str]:
    """Targets as exact text (repr of the double), so a file saved by any spreadsheet compares equal."""
    return {k: repr(float(v)) for k, v in sorted(targets.items())}


def fingerprint(
    key: Key,
    *,
    layout_sha256: str,
    spec_sha256: str,
    role_id: str,
    employee_id: str,
    period: str,
    targets: Mapping[str, float],
    issue: str | None = None,
) -> str:
    """The HMAC of what kpibook fixed in a workbook. `issue`: the ledger's issue number, signed
    from workbook format 2 on (format 1 workbooks were signed without it: None)."""
    fields = {
        "layout_sha256": layout_sha256,
        "spec_sha256": spec_sha256,
        "role_id": role_id,
        "employee_id": employee_id,
        "period": period,
        "targets": canonical_targets(targets),
    }
    if issue is not None:
        fields["issue"] = issue
    message = json.dumps(fields, sort_keys=True, ensure_ascii=True).encode()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def verify(key: Key, expected: str, **fields: object) -> bool:
    return hmac.compare_digest(fingerprint(key, **fields), expected)  # type: ignore[arg-type]
