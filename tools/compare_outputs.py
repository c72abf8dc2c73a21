"""Compares two output folders of `kpibook demo` part by part, ignoring timestamps.

    python tools/compare_outputs.py demo-before demo-after

Every file must exist in both; an .xlsx is compared part by part (same parts in the same order,
same bytes once timestamps are masked), any other file as text with timestamps and run times
masked. Used to show that a refactor left the demo's files unchanged. Exit 0 when they match.
Run both demos into the same folder (renaming it after the first run): the summary's hidden
sheet signs the Employees rows, whose file paths name that folder.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import sys
import zipfile
from pathlib import Path

_MASKS = (
    re.compile(rb"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?"),  # ISO date-times
    re.compile(rb"\d+(?:\.\d+)? ?s\b"),  # run times ("in 0.42 s")
)


_FILE_HASH = re.compile(rb"(?<=,)[0-9a-f]{64}(?=,|\r?$)", re.M)  # the manifest's digests: zip entry times


def masked(data: bytes, root: Path | None = None) -> bytes:
    if root is not None:
        data = data.replace(str(root).encode(), b"<out>")
    for pattern in _MASKS:
        data = pattern.sub(b"<masked>", data)
    return data


def parts(path: Path, root: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(name, masked(archive.read(name), root)) for name in archive.namelist()]


def text(path: Path, root: Path) -> bytes:
    data = masked(path.read_bytes(), root)
    return _FILE_HASH.sub(b"<digest>", data) if path.name == "manifest.csv" else data


def mail(path: Path, root: Path) -> list[tuple[str, bytes]]:
    """A reminder .eml as comparable pieces: its subject, addresses and text, and each attached
    workbook part by part (its Date, Message-ID and MIME boundaries change every run)."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    pieces = [(h, masked(str(message[h] or "").encode(), root)) for h in ("Subject", "From", "To")]
    body = message.get_body(("plain",))  # type: ignore[attr-defined]
    pieces.append(("text", masked(body.get_content().encode() if body else b"", root)))
    for part in message.iter_attachments():  # type: ignore[attr-defined]
        with zipfile.ZipFile(io.BytesIO(part.get_content())) as archive:
            pieces += [(f"{part.get_filename()}!{n}", masked(archive.read(n), root)) for n in archive.namelist()]
    return pieces


def differences(before: Path, after: Path) -> list[str]:
    found: list[str] = []
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    for name in sorted(names):
        a, b = before / name, after / name
        if not (a.is_file() and b.is_file()):
            found.append(f"{name}: only in {'before' if a.is_file() else 'after'}")
        elif zipfile.is_zipfile(a) and zipfile.is_zipfile(b):
            pa, pb = parts(a, before), parts(b, after)
            if [n for n, _ in pa] != [n for n, _ in pb]:
                found.append(f"{name}: the parts differ")
            found += [f"{name}!{na}: differs" for (na, da), (_, db) in zip(pa, pb, strict=False) if da != db]
        elif a.suffix == ".eml":
            ma, mb = mail(a, before), mail(b, after)
            found += [f"{name}: {na} differs" for (na, da), (_, db) in zip(ma, mb, strict=False) if da != db]
            if [n for n, _ in ma] != [n for n, _ in mb]:
                found.append(f"{name}: the attachments differ")
        elif text(a, before) != text(b, after):
            found.append(f"{name}: differs")
    return found


def main(argv: list[str]) -> int:
    found = differences(Path(argv[0]), Path(argv[1]))
    print("\n".join(found) or "same apart from timestamps")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
