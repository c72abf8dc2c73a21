"""Parts already seen (kpibook.xlsx_package._SeenParts): a part whose compressed bytes equal
those of a part already inflated and checked is not inflated again. These tests show that the
shortcut gives exactly zipfile's bytes, hands back the same object, and refuses what zipfile
refuses: a forged CRC or size in the zip directory, a stream longer or shorter than declared."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from kpibook import xlsx_package
from kpibook.generate import generate
from kpibook.read import read_workbook
from kpibook.spec import Spec
from kpibook.xlsx_package import MAX_UNCOMPRESSED, UnreadableWorkbook, open_parts
from tests.common import PERIOD, ROSTER


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> list[Path]:
    out = tmp_path_factory.mktemp("seen")
    generate(ROSTER, PERIOD, out, spec=spec)
    return sorted(out.rglob("*.xlsx"))


def _fresh() -> None:
    xlsx_package._seen.entries.clear()
    xlsx_package._seen.sighted.clear()
    xlsx_package._seen.size = 0


def test_every_part_is_zipfiles_bytes_on_first_second_and_third_reading(workbooks: list[Path]) -> None:
    _fresh()
    for _ in range(3):
        for path in workbooks[:6]:
            raw = path.read_bytes()
            with zipfile.ZipFile(path) as archive, open_parts(raw, MAX_UNCOMPRESSED) as parts:
                for name in archive.namelist():
                    assert parts.get(name) == archive.read(name), (path, name)
    assert xlsx_package._seen.entries  # the shared parts were kept: the shortcut was taken


def test_a_part_shared_by_two_workbooks_comes_back_as_the_same_object(workbooks: list[Path]) -> None:
    _fresh()
    found = []
    for _ in range(3):  # kept from the second sighting on
        with open_parts(workbooks[0].read_bytes(), MAX_UNCOMPRESSED) as parts:
            found.append(parts.get("xl/styles.xml"))
    assert found[1] is found[2] and found[0] == found[1]


def _forge_crc(raw: bytes, member: str) -> bytes:
    """The file with `member`'s CRC-32 changed in its local header and its central directory entry."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo(member)
    forged = (info.CRC + 1) & 0xFFFFFFFF
    data = bytearray(raw)
    struct.pack_into("<L", data, info.header_offset + 14, forged)
    entry = raw.find(b"PK\x01\x02")
    while entry >= 0:  # the central directory: signature, then the CRC at 16 and the name at 46
        name_length = struct.unpack_from("<H", raw, entry + 28)[0]
        if raw[entry + 46 : entry + 46 + name_length] == member.encode():
            struct.pack_into("<L", data, entry + 16, forged)
            return bytes(data)
        entry = raw.find(b"PK\x01\x02", entry + 4)
    raise AssertionError(f"{member} is not in the central directory")


def test_a_forged_crc_is_refused_even_for_a_part_kept_from_an_honest_workbook(
    workbooks: list[Path], tmp_path: Path
) -> None:
    _fresh()
    honest = workbooks[0]
    for _ in range(2):
        read_workbook(honest)  # styles.xml now kept
    assert xlsx_package._seen.entries
    forged = tmp_path / "forged.xlsx"
    forged.write_bytes(_forge_crc(honest.read_bytes(), "xl/styles.xml"))
    with pytest.raises(UnreadableWorkbook) as refused:
        read_workbook(forged)
    assert refused.value.code == "damaged" and "xl/styles.xml" in refused.value.message
    _fresh()
    with pytest.raises(UnreadableWorkbook) as cold:
        read_workbook(forged)  # the same refusal without the shortcut
    assert (cold.value.code, cold.value.message) == (refused.value.code, refused.value.message)


def test_the_kept_parts_stay_within_their_budget(workbooks: list[Path]) -> None:
    _fresh()
    for _ in range(3):
        for path in workbooks:
            read_workbook(path)
    seen = xlsx_package._seen
    assert 0 < seen.size <= seen.budget
    assert seen.size == sum(len(k) + len(v[0]) for k, v in seen.entries.items())
    assert len(seen.sighted) <= xlsx_package.SIGHTINGS_KEPT
