"""generate's fast writer: a role's unchanging parts deflated once and copied raw, stamped
parts deflated per employee, files written with one write. The workbooks must stay what the
plain zipfile writer made: same members, same order, same bytes when unzipped."""

from __future__ import annotations

import os
import stat
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from kpibook import ooxml
from kpibook.build import TEXT_TOKENS, BuildOptions, build_role_template, now_iso, token
from kpibook.fingerprint import load_key
from kpibook.outputs import atomic_write
from kpibook.period import parse_period
from kpibook.roster import Employee
from kpibook.spec import Spec, load_spec

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(ROOT / "roles.toml")


def _expected_part(data: bytes, values: dict[str, str]) -> bytes:
    """The template part with every token replaced as the plain writer did (independently of
    build.stamp): XML-escaped, and '&' doubled in header/footer tokens."""
    text = data
    for key, value in values.items():
        text = text.replace(token(key).encode(), ooxml.escape(value).encode())
        if key in TEXT_TOKENS:
            text = text.replace(token("hf_" + key).encode(), ooxml.escape(value.replace("&", "&&")).encode())
    return text


@pytest.mark.parametrize("name", ["王小明", 'A & B <x> _x0041_ "q"', "x" * 200])
def test_stamped_workbooks_are_identical_part_by_part(spec: Spec, name: str) -> None:
    options = BuildOptions(period=parse_period("2026Q4"), key=load_key(), generated_at=now_iso())
    for role in spec.roles:
        template = build_role_template(spec, role, options)
        employee = Employee("E&1", name, role.id, "销售部 & Co", "Boss <1>", "a@b.c")
        data = template.stamp(employee)
        values = template.values_for(employee)
        with zipfile.ZipFile(BytesIO(data)) as archive:
            assert archive.testzip() is None  # every CRC and size right
            infos = archive.infolist()
            assert [i.filename for i in infos] == [n for n, _ in template.parts]
            for info, (part, original) in zip(infos, template.parts, strict=True):
                got = archive.read(info)
                assert got == _expected_part(original, values), part
                assert b"@@" not in got or part not in template.stamped
        # the records carry what zipfile.writestr gives a str member
        with zipfile.ZipFile(BytesIO(ooxml.write_parts(template.parts))) as reference:
            for ours, theirs in zip(infos, reference.infolist(), strict=True):
                for attr in ("compress_type", "create_system", "create_version", "extract_version", "external_attr"):
                    assert getattr(ours, attr) == getattr(theirs, attr), (ours.filename, attr)
                assert ours.flag_bits == theirs.flag_bits == 0


def test_zip_deflated_round_trips_any_member() -> None:
    members = [("a.xml", b"<a/>" * 1000), ("数据/b.bin", os.urandom(5000)), ("empty", b"")]
    data = ooxml.zip_deflated([ooxml.deflate(n, d, level) for (n, d), level in zip(members, (1, 6, 9), strict=True)])
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == members


def test_atomic_write_gives_umask_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        target = tmp_path / "new" / "deeper" / "book.xlsx"  # a folder that does not exist yet
        atomic_write(target, b"x" * 300_000)
        atomic_write(target, b"second")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["book.xlsx"]


def test_atomic_write_failure_keeps_the_old_file_and_no_temp(tmp_path: Path) -> None:
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(OSError):
        atomic_write(tmp_path / "dir.xlsx", b"data")  # cannot replace a folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.xlsx"]
