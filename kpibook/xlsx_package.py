"""Opening an untrusted .xlsx package safely and finding its parts, before kpibook.read looks at
any cell: cheap checks on the raw bytes and the zip directory, a hardened XML parser, and the
package's relationships (which part is the workbook, its sheets, styles and strings).

A returned workbook may be a legacy .xls, a CSV renamed .xlsx, an encrypted file, a truncated
copy or a hostile file (zip bomb, XML entity expansion). Each is refused here with an
`UnreadableWorkbook` whose message a manager can act on; what passes is read through `Parts`
(each XML part read once, DTDs and entities refused) and `parse_xml` (no DTD, no entities, no
network, no huge trees).
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from lxml import etree

from kpibook.messages import t

MAX_BYTES = 20_000_000  # a kpibook workbook is ~100 KB; 200x that is not a scorecard
MAX_UNCOMPRESSED = 100_000_000  # all zip members together, as declared (zipfile enforces it)
MAX_MEMBERS = 1_000
MAX_RATIO = 100  # uncompressed / compressed, for members above RATIO_FLOOR bytes
RATIO_FLOOR = 1_000_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_MACRO_SHEET_TYPES = ("ms-excel.macrosheet", "ms-excel.intlmacrosheet")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    dtd_validation=False,
    remove_comments=True,
    remove_pis=True,
)


class UnreadableWorkbook(Exception):
    """The file cannot be read as a kpibook workbook. `code` is a short stable slug, `message`
    says what is wrong in words a manager can act on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------------------------
# Cheap checks on the raw bytes, before any parser
# ---------------------------------------------------------------------------------------------


def refuse_non_zip(data: bytes) -> None:
    if data[:8] == _OLE2:
        if _ENCRYPTED_PACKAGE in data:
            raise UnreadableWorkbook("password_protected", t("reader.password_protected"))
        raise UnreadableWorkbook("legacy_xls", t("reader.legacy_xls"))
    head = data[:4096]
    if _looks_like_text(head):
        raise UnreadableWorkbook("text_file", t("reader.text_file"))
    raise UnreadableWorkbook("not_xlsx", t("reader.not_xlsx"))


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return sum(ch.isprintable() or ch in "\r\n\t" for ch in text) >= 0.95 * max(1, len(text))
    return False


def check_members(archive: zipfile.ZipFile, max_uncompressed: int) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnreadableWorkbook("zip_bomb", t("reader.too_many_parts", count=len(infos)))
    # part names are case-insensitive in OOXML: "XL/Worksheets/Sheet1.xml" is the same part
    names = [i.filename.replace("\\", "/").lower() for i in infos]
    if len(set(names)) != len(names):
        duplicate = next(i.filename for i, n in zip(infos, names, strict=True) if names.count(n) > 1)
        raise UnreadableWorkbook("duplicate_member", t("reader.duplicate_part", name=duplicate))
    total = 0
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            raise UnreadableWorkbook("password_protected", t("reader.encrypted_parts"))
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise UnreadableWorkbook(
                "zip_bomb",
                t("reader.zip_bomb_ratio", name=info.filename, ratio=info.file_size // max(1, info.compress_size)),
            )
    if total > max_uncompressed:
        raise UnreadableWorkbook("zip_bomb", t("reader.zip_bomb_size", total=total, limit=max_uncompressed))
    return infos


class Parts:
    """The zip's XML parts, each read once and checked for DTD/entity declarations.

    A part whose compressed bytes are the same as a part already read and checked in this
    process (the theme, styles and most sheets of every workbook of a role) is not inflated
    or checked again: the same bytes object comes back (`_known_member`), so every cache keyed
    by a part's bytes downstream finds it at once."""

    def __init__(self, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], raw: bytes = b"") -> None:
        self.archive = archive
        self.raw = raw  # the whole file, when the caller has it: parts are then sliced from it
        self.infos = {i.filename: i for i in infos}
        self.cache: dict[str, bytes] = {}
        self._content_types: tuple[dict[str, str], dict[str, str]] | None = None

    def __contains__(self, name: str) -> bool:
        return name in self.infos

    def get(self, name: str) -> bytes | None:
        if name not in self.infos:
            return None
        if name not in self.cache:
            self.cache[name] = self._read(name, self.infos[name])
        return self.cache[name]

    def _read(self, name: str, info: zipfile.ZipInfo) -> bytes:
        compressed = _stored_bytes(self.raw, info) if self.raw else None
        if compressed is not None:
            known = _known_member(name, compressed, info)
            if known is not None:
                return known
        try:
            data = self.archive.read(name)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise UnreadableWorkbook("damaged", t("reader.part_damaged", name=name, exc=exc)) from None
        _refuse_dtd(name, data)
        return data

    def content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        """[Content_Types].xml, parsed once: (Override by lower-case part name, the first one
        listed winning; Default by lower-case extension)."""
        if self._content_types is None:
            data = self.get("[Content_Types].xml")
            self._content_types = _content_types_of(data) if data else ({}, {})
        return self._content_types

    def check_all_xml(self) -> None:
        for name in self.infos:
            if name.endswith((".xml", ".rels", ".vml")):
                self.get(name)


# -- parts already seen -------------------------------------------------------------------------
# Keyed by the compressed bytes themselves (never by a CRC, which a forger can match): equal
# deflate streams inflate to equal bytes. Bounded in entries and in the size of one part.
MEMBER_CACHE_BYTES = 4 << 20  # inflated bytes kept, all parts together
SIGHTINGS_KEPT = 4096  # hashes of parts seen once
MEMBER_CACHE_LARGEST = 1 << 20  # a larger part is read through zipfile every time
_UNUSUAL = 0x61  # encrypted, compressed patch data, strong encryption: zipfile decides
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # APPNOTE 4.3.7, as zipfile reads it


class _SeenParts:
    """Inflated, checked parts by their compressed bytes, least recently used dropped first.

    A part is kept from its second sighting on: the first only notes its hash, so the parts
    every workbook has its own copy of (the scorecard, the metadata) never push out the ones
    the workbooks share. A hash that collides only lets a part in; lookups compare the bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[bytes, tuple[bytes, int]] = OrderedDict()
        self.sighted: OrderedDict[int, None] = OrderedDict()

    def get(self, compressed: bytes) -> tuple[bytes, int] | None:
        found = self.entries.get(compressed)
        if found is not None:
            self.entries.move_to_end(compressed)
        return found

    def put(self, compressed: bytes, data: bytes, crc: int) -> None:
        sighting = hash(compressed)
        if sighting not in self.sighted:
            self.sighted[sighting] = None
            if len(self.sighted) > SIGHTINGS_KEPT:
                self.sighted.popitem(last=False)
            return
        self.entries[compressed] = (data, crc)
        self.size += len(compressed) + len(data)
        while self.size > self.budget:
            old, (old_data, _) = self.entries.popitem(last=False)
            self.size -= len(old) + len(old_data)


_seen = _SeenParts(MEMBER_CACHE_BYTES)


def _stored_bytes(raw: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A deflated member's compressed bytes, sliced from the file after the same local-header
    checks zipfile makes; None for anything unusual (zipfile then reads it, with its errors)."""
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & _UNUSUAL or info.file_size > MEMBER_CACHE_LARGEST:
        return None
    offset = info.header_offset
    if offset < 0 or offset + _LOCAL_HEADER.size > len(raw):
        return None
    header = _LOCAL_HEADER.unpack_from(raw, offset)
    if header[0] != b"PK\x03\x04":
        return None
    name_end = offset + _LOCAL_HEADER.size + header[10]
    try:
        local_name = raw[offset + _LOCAL_HEADER.size : name_end].decode("utf-8" if header[3] & 0x800 else "cp437")
    except UnicodeDecodeError:
        return None
    start = name_end + header[11]
    end = start + info.compress_size
    if local_name != info.orig_filename or end > len(raw):
        return None
    return raw[start:end]


def _known_member(name: str, compressed: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The inflated, checked bytes of a member (the cached object when seen before); None when
    the stream is not exactly what the directory declares (zipfile then says what is wrong)."""
    known = _seen.get(compressed)
    if known is not None:
        data, crc = known
        return data if crc == info.CRC and len(data) == info.file_size else None
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        data = inflater.decompress(compressed, info.file_size)
    except zlib.error:
        return None
    exact = inflater.eof and not inflater.unconsumed_tail and not inflater.unused_data
    if not exact or len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        return None
    _refuse_dtd(name, data)
    _seen.put(compressed, data, info.CRC)
    return data


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([^"']{1,40})["']""")
# encodings in which "<!DOCTYPE" is the same bytes as in ASCII, so the byte search below sees it
_ASCII_COMPATIBLE = {
    "utf-8",
    "utf8",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin1",
    "latin-1",
    "windows-1252",
    "cp1252",
    "gb2312",
    "gbk",
    "gb18030",
    "big5",
    "utf-16",
    "utf16",
}


def _refuse_dtd(name: str, data: bytes) -> None:
    """Refuses a part declaring a DTD or entities, in any encoding a parser would accept."""
    head = data
    if data[:2] in _UTF16_BOMS or b"\x00" in data[:4]:
        if data[:4].count(b"\x00") > 1:  # UTF-32 or worse: no spreadsheet writes it
            raise UnreadableWorkbook("damaged", t("reader.unusual_encoding", name=name))
        try:
            head = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableWorkbook("damaged", t("reader.unreadable_xml", name=name)) from None
    declared = _DECLARED_ENCODING.match(head)
    if declared and declared.group(1).decode("ascii", "replace").lower() not in _ASCII_COMPATIBLE:
        raise UnreadableWorkbook(
            "damaged", t("reader.declared_encoding", name=name, encoding=declared.group(1).decode("ascii", "replace"))
        )
    if _DTD.search(head):
        raise UnreadableWorkbook("xml_entities", t("reader.xml_entities", name=name))


def parse_xml(name: str, data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnreadableWorkbook("damaged", t("reader.malformed_xml", name=name, exc=exc)) from None


def local_name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def is_true(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "on")


# ---------------------------------------------------------------------------------------------
# Opening
# ---------------------------------------------------------------------------------------------


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refused when it is no regular file, empty, too large or not a zip."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, pipe or device: reading could block
            raise UnreadableWorkbook("not_xlsx", t("reader.not_regular_file"))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableWorkbook("cannot_open", t("reader.cannot_open", reason=exc.strerror)) from None
    if not data:
        raise UnreadableWorkbook("empty", t("reader.empty"))
    if len(data) > max_bytes:
        raise UnreadableWorkbook("too_large", t("reader.too_large", limit=max_bytes))
    if not data.startswith(b"PK"):
        refuse_non_zip(data)
    return data


@contextmanager
def open_parts(data: bytes, max_uncompressed: int) -> Iterator[Parts]:
    """The zip's parts, once its directory, its size and every XML part passed the checks and it
    is neither an OpenDocument file nor a macro workbook."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise UnreadableWorkbook("truncated", t("reader.truncated")) from None
    with archive:
        parts = Parts(archive, check_members(archive, max_uncompressed), data)
        _refuse_other_formats(parts)
        parts.check_all_xml()
        refuse_macros(parts)
        yield parts


def _refuse_other_formats(parts: Parts) -> None:
    mimetype = parts.archive.read("mimetype")[:100] if "mimetype" in parts else b""
    if b"opendocument" in mimetype:
        raise UnreadableWorkbook("ods", t("reader.ods"))


def refuse_macros(parts: Parts) -> None:
    """Refuses a macro-enabled package, naming what makes it one (after its XML is checked)."""
    found = macro_contents(parts)
    if found:
        raise UnreadableWorkbook("macro_workbook", t("interop.macro_workbook", found="; ".join(found)))


def macro_contents(parts: Parts) -> list[str]:
    """What makes this package macro-enabled, as found in it (empty: nothing). Judged by what is
    there: the workbook part's own content type, a VBA project, macro or dialog sheets; never by
    a Default for an extension no part uses (SheetJS always declares `.bin` as a VBA project)."""
    found: list[str] = []
    workbook = workbook_part(parts)
    if "macroEnabled" in content_type(parts, workbook):
        found.append(t("interop.macro_content_type", part="/" + workbook))
    vba = sorted(n for n in parts.infos if posixpath.basename(n).lower() == "vbaproject.bin")
    if vba:
        found.append(t("interop.macro_vba", part="/" + vba[0]))
    sheets = sorted(n for n in parts.infos if n.startswith(("xl/macrosheets/", "xl/dialogsheets/")))
    sheets += sorted(n for n in parts.infos if any(m in content_type(parts, n) for m in _MACRO_SHEET_TYPES))
    if sheets:
        found.append(t("interop.macro_sheets", part="/" + sheets[0]))
    return found


@lru_cache(maxsize=32)  # bounded; keyed by the part's bytes (kpibook.xlsx_package._SeenParts)
def _content_types_of(data: bytes) -> tuple[dict[str, str], dict[str, str]]:
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for item in parse_xml("[Content_Types].xml", data):
        kind, part_type = local_name(item.tag), item.get("ContentType", "")
        if kind == "Override":
            overrides.setdefault(item.get("PartName", "").lstrip("/").lower(), part_type)
        elif kind == "Default":
            defaults[item.get("Extension", "").lower()] = part_type
    return overrides, defaults


def content_type(parts: Parts, name: str) -> str:
    """The content type [Content_Types].xml gives part `name`: its Override, else its extension's Default."""
    overrides, defaults = parts.content_types()
    found = overrides.get(name.lower())
    if found is not None:
        return found
    return defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")


# ---------------------------------------------------------------------------------------------
# The package's structure
# ---------------------------------------------------------------------------------------------


def relationships(parts: Parts, rels_name: str, base_dir: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part path inside the zip)."""
    data = parts.get(rels_name)
    return {} if data is None else dict(_relationships_of(rels_name, data, base_dir))


@lru_cache(maxsize=64)  # bounded; keyed by the part's bytes, the same object for every copy seen
def _relationships_of(rels_name: str, data: bytes, base_dir: str) -> dict[str, tuple[str, str]]:
    out = {}
    for rel in parse_xml(rels_name, data):
        if local_name(rel.tag) != "Relationship":
            continue
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            path = target
        elif target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(base_dir, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return out


def workbook_part(parts: Parts) -> str:
    """The workbook part the package's root relationship names (usually xl/workbook.xml)."""
    for rel_type, path in relationships(parts, "_rels/.rels", "").values():
        if rel_type.endswith("/officeDocument") and path in parts:
            return path
    if "xl/workbook.xml" in parts:
        return "xl/workbook.xml"
    raise UnreadableWorkbook("not_xlsx", t("reader.no_workbook_part"))


def application(parts: Parts) -> str:
    """The program that saved the file, from docProps/app.xml ("Microsoft Excel", "LibreOffice/...")."""
    data = parts.get("docProps/app.xml")
    return _application_of(data) if data else ""


@lru_cache(maxsize=32)  # bounded; keyed by the part's bytes
def _application_of(data: bytes) -> str:
    root = parse_xml("docProps/app.xml", data)
    for child in root:
        if local_name(child.tag) == "Application":
            return (child.text or "").strip()
    return ""
