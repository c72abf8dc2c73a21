"""Formula text: A1 <-> R1C1 and the normal form used to compare formulas across spreadsheets.

Excel, LibreOffice and WPS may rewrite a formula when they save it (case, `_xlfn.` prefixes,
spaces, a leading '='); `normalize` removes those harmless differences so that a file merely
opened and saved compares equal to what kpibook generated.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_STRING = re.compile(r'"(?:[^"]|"")*"')
_REF = re.compile(r"(?<![A-Za-z_\d.!$])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")
_XLFN = re.compile(r"_xlfn\.|_xlws\.", re.IGNORECASE)


def column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def split_cell(cell: str) -> tuple[int, int]:
    """'H8' -> (8, 8)"""
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", cell)
    if not m:
        raise ValueError(f"not a cell reference: {cell!r}")
    return int(m.group(2)), column_index(m.group(1))


def _outside_strings(formula: str, transform: Callable[[str], str]) -> str:
    """Applies `transform` to the parts of a formula that are not string literals."""
    out: list[str] = []
    last = 0
    for m in _STRING.finditer(formula):
        out.append(transform(formula[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(transform(formula[last:]))
    return "".join(out)


def to_r1c1(formula: str, row: int, col: int) -> str:
    """A1 formula as it stands in (row, col) -> R1C1 text; identical down a column when consistent."""

    def convert(part: str) -> str:
        def ref(m: re.Match[str]) -> str:
            abs_col, letters, abs_row, digits = m.groups()
            r, c = int(digits), column_index(letters)
            r_text = f"R{r}" if abs_row else ("R" if r == row else f"R[{r - row}]")
            c_text = f"C{c}" if abs_col else ("C" if c == col else f"C[{c - col}]")
            return r_text + c_text

        return _REF.sub(ref, part)

    return _outside_strings(formula, convert)


def normalize(formula: str) -> str:
    """The comparable form: no leading '=', no _xlfn. prefixes, no spaces, upper case outside strings."""
    text = formula.strip()
    if text.startswith("="):
        text = text[1:]
    text = _XLFN.sub("", text)
    return _outside_strings(text, lambda part: re.sub(r"\s+", "", part).upper())


def functions_used(formula: str) -> set[str]:
    names: set[str] = set()

    def collect(part: str) -> str:
        names.update(re.findall(r"([A-Z][A-Z0-9.]*)\(", part))
        return part

    _outside_strings(normalize(formula), collect)
    return names


def shift(formula: str, rows: int, cols: int) -> str:
    """The formula as it reads when copied `rows` down and `cols` right: relative references move,
    absolute ones ($) stay. Excel stores a filled-down column as one "shared formula" written in its
    first cell; each other cell's own text is the first cell's shifted by its offset."""
    if not rows and not cols:
        return formula

    def move(part: str) -> str:
        def ref(m: re.Match[str]) -> str:
            abs_col, letters, abs_row, digits = m.groups()
            col = column_index(letters) + (0 if abs_col else cols)
            row = int(digits) + (0 if abs_row else rows)
            if col < 1 or row < 1:
                return "#REF!"
            return f"{abs_col}{column_letter(col)}{abs_row}{row}"

        return _REF.sub(ref, part)

    return _outside_strings(formula, move)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
