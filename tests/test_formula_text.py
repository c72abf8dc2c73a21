"""A1 <-> R1C1, the comparable normal form, and shifting formulas as a fill-down does."""

from __future__ import annotations

import pytest

from kpibook.formula_text import column_index, column_letter, functions_used, normalize, shift, split_cell, to_r1c1


@pytest.mark.parametrize(("letters", "index"), [("A", 1), ("Z", 26), ("AA", 27), ("AZ", 52), ("XFD", 16384)])
def test_columns_both_ways(letters: str, index: int) -> None:
    assert column_index(letters) == index
    assert column_letter(index) == letters


def test_split_cell() -> None:
    assert split_cell("H8") == (8, 8)
    assert split_cell("$AB$12") == (12, 28)
    with pytest.raises(ValueError):
        split_cell("8H")


def test_r1c1_is_the_same_down_a_consistent_column() -> None:
    assert to_r1c1("=H8/G8*100", 8, 9) == "=RC[-1]/RC[-2]*100"
    assert to_r1c1("=H9/G9*100", 9, 9) == to_r1c1("=H8/G8*100", 8, 9)
    assert to_r1c1("=$F$3+H7", 8, 9) == "=R3C6+R[-1]C[-1]"


def test_r1c1_leaves_strings_and_function_names_alone() -> None:
    assert to_r1c1('=IF(H8="A1","",LOG10(H8))', 8, 9) == '=IF(RC[-1]="A1","",LOG10(RC[-1]))'


def test_normalize_removes_what_spreadsheets_change_on_save() -> None:
    generated = '=IF(H8="",  "", ROUND(h8, 2))'
    assert normalize(generated) == 'IF(H8="","",ROUND(H8,2))'
    assert normalize("_xlfn.IFERROR(A1,0)") == normalize("=iferror(a1, 0)")
    assert normalize('="a b"') == '"a b"'  # spaces inside strings are content


def test_functions_used_ignores_strings() -> None:
    assert functions_used('=IF(ISNUMBER(H8),ROUND(H8,2),"SUM(x)")') == {"IF", "ISNUMBER", "ROUND"}


@pytest.mark.parametrize(
    ("formula", "rows", "cols", "expected"),
    [
        ("=H8/G8", 1, 0, "=H9/G9"),
        ("=$H$8/G8", 2, 1, "=$H$8/H10"),
        ("=$H8+H$8", 1, 1, "=$H9+I$8"),
        ('=IF(H8="H8",1,0)', 1, 0, '=IF(H9="H8",1,0)'),
        ("=A1", -1, 0, "=#REF!"),
        ("=A1", 0, 0, "=A1"),
    ],
)
def test_shift(formula: str, rows: int, cols: int, expected: str) -> None:
    assert shift(formula, rows, cols) == expected
