"""Rosters as Chinese HR keeps them: every shape gives the same workbooks as the plain roster,
and a wrong roster is reported at the row Excel shows, in the user's language.

Each shape is a real file (CSV bytes in the encoding and delimiter HR's Excel writes, or an
.xlsx saved by openpyxl), fed to `generate`; the workbooks it writes are compared cell by
cell (every sheet, the metadata included) with the ones the plain English roster gives, apart
from the generation time and the fingerprint that covers it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from kpibook.cli import main
from kpibook.errors import RosterError
from kpibook.generate import generate
from kpibook.read import read_workbook
from kpibook.roster import load_roster, read_roster
from kpibook.spec import Spec

PERIOD = "2026Q4"
PLAIN_HEADER = ["employee_id", "name", "role", "department", "manager", "email", "target.sm_revenue",
                "target.ss_revenue", "target.ss_new_customers", "target.mk_exposure"]  # fmt: skip
CHINESE_HEADER = [" 工号 ", "姓名", "岗位", "部门", "直属上级", "邮箱", "目标.sm_revenue",
                  "目标.ss_revenue", "目标．ss_new_customers", "Target.MK_EXPOSURE"]  # fmt: skip
ROWS = [  # every role, with and without per-person targets
    ["E1001", "王芳", "sales_manager", "市场销售部/华东", "陈总监", "wang.fang@example.com", "6000000", "", "", ""],
    ["E1002", "李伟", "sales_manager", "市场销售部/华南", "陈总监", "", "", "", "", ""],
    ["E1004", "刘洋", "sales_specialist", "市场销售部/华东", "王芳", "", "", "1500000", "8", ""],
    ["E1014", "朱琳", "marketing_specialist", "市场销售部/市场", "陈总监", "", "", "", "", "300000"],
    ["E1020", "罗兰", "sales_support", "市场销售部/华东", "王芳", "", "", "", "", ""],
]
ROLE_NAMES = {"sales_manager": "销售经理", "sales_specialist": "Sales Specialist", "sales_support": " 销售支持专员 "}


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def save_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row_no, row in enumerate(rows, 1):
            for col_no, value in enumerate(row, 1):
                if value not in ("", None):
                    ws.cell(row_no, col_no, value)
    wb.save(path)
    return path


def numbers(row: list[str]) -> list[object]:
    """A roster row as Excel keeps it: targets as numbers."""
    return [float(c) if i > 5 and c else c for i, c in enumerate(row)]


def _csv(name: str, data: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return write


SHAPES: dict[str, Callable[[Path], Path]] = {
    "chinese headers, UTF-8 with BOM": _csv("花名册.csv", csv_bytes(CHINESE_HEADER, ROWS, encoding="utf-8-sig")),
    "GBK CSV from Chinese Excel": _csv("roster.csv", csv_bytes(CHINESE_HEADER, ROWS, encoding="gbk")),
    "semicolon CSV": _csv("roster.csv", csv_bytes(PLAIN_HEADER, ROWS, delimiter=";")),
    "tab CSV": _csv("roster.txt", csv_bytes([h.upper() for h in PLAIN_HEADER], ROWS, delimiter="\t")),
    "role names instead of ids": _csv(
        "roster.csv", csv_bytes(PLAIN_HEADER, [[*r[:2], ROLE_NAMES.get(r[2], r[2]), *r[3:]] for r in ROWS])
    ),
    "title rows above the header": lambda folder: save_xlsx(
        folder / "roster.xlsx",
        {
            "花名册": [["2026 年第四季度考核花名册"], ["市场销售部 · 人力资源部制表"], [], CHINESE_HEADER]
            + [numbers(r) for r in ROWS]
        },
    ),  # fmt: skip
    "the roster on the second sheet": lambda folder: save_xlsx(
        folder / "roster.xlsx",
        {"说明": [["请在第二张表填写"], ["工号 必填"]], "员工": [PLAIN_HEADER] + [numbers(r) for r in ROWS]},
    ),
    "an empty row in an xlsx": lambda folder: save_xlsx(
        folder / "roster.xlsx",
        {"Sheet1": [PLAIN_HEADER] + [numbers(r) for r in ROWS[:2]] + [[]] + [numbers(r) for r in ROWS[2:]]},
    ),
}


def workbook_cells(path: Path) -> dict[tuple[str, str], object]:
    """Every cell of every sheet, without the generation time and the fingerprint over it."""
    metadata = read_workbook(path).metadata
    varying = {metadata["generated_at"], metadata["fingerprint"]}
    wb = openpyxl.load_workbook(path)
    cells = {
        (ws.title, cell.coordinate): cell.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None and cell.value not in varying
    }
    cells[("names", "")] = sorted((n, d.attr_text) for n, d in wb.defined_names.items())
    return cells


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> dict[str, dict[tuple[str, str], object]]:
    folder = tmp_path_factory.mktemp("plain")
    roster = _csv("roster.csv", csv_bytes(PLAIN_HEADER, ROWS))(folder)
    result = generate(roster, PERIOD, folder / "out", spec=spec)
    return {str(p.relative_to(folder / "out")): workbook_cells(p) for p in result.written}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_roster_shape_gives_the_same_workbooks(
    shape: str, tmp_path: Path, spec: Spec, plain: dict[str, dict[tuple[str, str], object]]
) -> None:
    roster = SHAPES[shape](tmp_path)
    result = generate(roster, PERIOD, tmp_path / "out", spec=spec)
    written = {str(p.relative_to(tmp_path / "out")): workbook_cells(p) for p in result.written}
    assert sorted(written) == sorted(plain)
    for name, cells in plain.items():
        different = {k: (v, written[name].get(k)) for k, v in cells.items() if written[name].get(k) != v}
        assert not different and len(written[name]) == len(cells), f"{shape}: {name}: {different}"


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("GBK CSV from Chinese Excel", "GB18030/GBK, comma-separated, header on row 1, 5 employee(s)"),
        ("chinese headers, UTF-8 with BOM", "UTF-8 BOM, comma-separated"),
        ("semicolon CSV", "UTF-8, semicolon-separated"),
        ("tab CSV", "tab-separated"),
        ("title rows above the header", "sheet '花名册', header on row 4, 5 employee(s)"),
        ("the roster on the second sheet", "sheet '员工', header on row 1"),
    ],
)
def test_how_the_roster_was_read_is_named(shape: str, expected: str, tmp_path: Path, spec: Spec) -> None:
    assert expected in load_roster(SHAPES[shape](tmp_path), spec).note


def test_generate_prints_how_the_roster_was_read_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = SHAPES["GBK CSV from Chinese Excel"](tmp_path)
    code = main(["generate", "--roster", str(roster), "--period", PERIOD, "--out", str(tmp_path / "o"), "--lang", "zh"])
    out = capsys.readouterr().out
    assert code == 0
    assert "GB18030/GBK 编码，逗号分隔，表头在第 1 行，5 名员工" in out


def test_sheet_option_picks_the_sheet(tmp_path: Path, spec: Spec, capsys: pytest.CaptureFixture[str]) -> None:
    roster = save_xlsx(
        tmp_path / "r.xlsx",
        {"上季度": [PLAIN_HEADER, numbers(ROWS[0])], "本季度": [PLAIN_HEADER] + [numbers(r) for r in ROWS]},
    )
    assert len(read_roster(roster, spec)) == 1, "without --sheet, the first sheet with a header"
    assert len(read_roster(roster, spec, sheet="本季度")) == 5
    out = tmp_path / "o"
    assert main(["generate", "--roster", str(roster), "--sheet", "本季度", "--period", PERIOD, "--out", str(out)]) == 0
    assert main(["generate", "--roster", str(roster), "--sheet", "明年", "--period", PERIOD, "--out", str(out)]) == 2
    assert "has no sheet named '明年'; its sheets are: 上季度, 本季度" in capsys.readouterr().err


def roster_error(path: Path, spec: Spec, lang: str = "en") -> str:
    from kpibook import messages

    previous = messages._chosen
    messages.set_language(lang)
    try:
        with pytest.raises(RosterError) as error:
            read_roster(path, spec)
    finally:
        messages._chosen = previous
    return str(error.value)


def test_wrong_rows_are_reported_at_the_row_excel_shows(tmp_path: Path, spec: Spec) -> None:
    """A title row, a blank row and an empty row in the middle: numbers as Excel shows them."""
    rows = [["考核花名册"], [], CHINESE_HEADER, numbers(ROWS[0]), [], numbers(ROWS[1]), numbers(ROWS[1])]
    rows.append(["E9", "错岗", "销售经里", "市场销售部", "陈总监"])
    message = roster_error(save_xlsx(tmp_path / "r.xlsx", {"花名册": rows}), spec)
    assert "r.xlsx, sheet '花名册' row 7, column 工号: 'E1002' is also on row 6" in message
    assert "row 7, column 工号: 'E1002' is also on row 6; each employee appears once" in message
    assert "row 8, column 岗位: '销售经里' is not a role of the spec; did you mean sales_manager (销售经理)?" in message


def test_wrong_rows_are_reported_in_chinese(tmp_path: Path, spec: Spec) -> None:
    rows = [CHINESE_HEADER, ROWS[0], ROWS[0], ["E9", "某人", "总经理", "市场销售部", "陈总监"]]
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(rows[0], rows[1:], encoding="gbk"))
    message = roster_error(path, spec, lang="zh")
    assert "r.csv：花名册中有 2 个问题；未生成任何文件" in message
    assert "r.csv 第 3 行，工号 列：“E1001”也在第 2 行；每位员工只能出现一次" in message
    assert "r.csv 第 4 行，岗位 列：“总经理”不是规格中的岗位" in message and "sales_manager (销售经理)" in message


def test_a_percentage_typed_as_a_whole_number_gets_did_you_mean(tmp_path: Path, spec: Spec) -> None:
    path = tmp_path / "r.csv"
    header = [*PLAIN_HEADER[:6], "target.sm_profit_margin"]
    path.write_bytes(csv_bytes(header, [[*ROWS[0][:6], "30"]]))
    message = roster_error(path, spec)
    assert "row 2, column target.sm_profit_margin" in message
    assert "did you mean 30%? Write 30% (or 0.3)" in message


def test_header_not_found_says_what_was_read_and_seen(tmp_path: Path, spec: Spec) -> None:
    path = save_xlsx(
        tmp_path / "r.xlsx",
        {
            "封面": [["2026 考核"]],
            "名单": [["说明"], ["工号", "姓名", "岗位", "部门"], ["E1", "张三", "销售经理", "市场部"]],
        },
    )
    message = roster_error(path, spec)
    assert "sheet '封面' rows 1-1; sheet '名单' rows 1-3" in message
    assert "the closest is row 2: 工号, 姓名, 岗位, 部门, without manager" in message
    assert "manager (直属上级)" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "is empty"),
        ("工号;姓名\n".encode("utf-16"), "neither UTF-8 nor GBK/GB18030"),
        (b"a,b,c\n1,2,3\n", "the closest is row 1: a, b, c, without employee_id"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "is a spreadsheet file (such as .xls), not CSV text"),
    ],
)
def test_unusable_csv_is_named(data: bytes, expected: str, tmp_path: Path, spec: Spec) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    assert expected in roster_error(path, spec)


def test_two_headers_meaning_the_same_column_are_refused(tmp_path: Path, spec: Spec) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([*PLAIN_HEADER[:5], "经理"], [[*ROWS[0][:5], "x"]]))
    assert "r.csv header: manager, 经理 all mean manager; keep one" in roster_error(path, spec)
