"""Walking a TOML tree with its line numbers: where each key was written, and typed getters.

`tomllib` gives the values but not where they stand. `key_lines` scans the text once and maps
every concrete key path (`roles[3].dimensions[1].kpis[2].weight`, with the positions of the
array tables as they occur in the file) to its line, so a problem in the fourth role points at
the fourth role's line even when its dimension ids repeat those of the first.

`TomlWalker` reports problems against such paths: it shows a path with the ids of the roles
and dimensions (`roles.sales_support.dimensions.collaboration.kpis[2].weight`), adds the line,
renders the message from the catalogue (kpibook.messages) and offers typed getters that report
a missing or mistyped key. It knows TOML and positions, nothing about roles or scoring: the
spec model is built on it in kpibook.spec.
"""

from __future__ import annotations

import re
from typing import Any

from kpibook.errors import Problem
from kpibook.messages import t
from kpibook.numbers import parse_number

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
NAMED_ARRAYS = ("roles", "dimensions")  # shown by their id; KPIs keep their position (kpis[2])
_SEGMENT = re.compile(r"([A-Za-z0-9_*-]+)(?:\[(\d+|\*)\])?")
_BARE_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")


# -- where keys stand ---------------------------------------------------------------------
def key_lines(text: str) -> dict[str, int]:
    """Concrete key path -> 1-based line, for table headers, keys and inline-table items."""
    scanner = _Scanner()
    for number, line in enumerate(text.splitlines(), start=1):
        scanner.feed(line, number)
    return scanner.lines


class _Scanner:
    """Line by line: the current table, array-table counters, and open arrays/strings."""

    def __init__(self) -> None:
        self.lines: dict[str, int] = {}
        self.table = ""  # concrete path of the current table
        self.arrays: dict[str, str] = {}  # dotted name path of an array table -> its current element
        self.counts: dict[str, int] = {}  # concrete array path -> elements seen
        self.open_key = ""  # the key whose multi-line array is still open
        self.depth = 0  # bracket depth inside that array
        self.items = 0
        self.in_string = False  # inside a """ or ''' multi-line string

    def feed(self, line: str, number: int) -> None:
        if self.in_string or self.depth:
            self._continue(line, number)
            return
        stripped = line.strip()
        if stripped.startswith("[["):
            self._header(stripped[2 : stripped.find("]]")], number, array=True)
        elif stripped.startswith("["):
            self._header(stripped[1 : stripped.find("]")], number, array=False)
        else:
            match = _BARE_KEY.match(line)
            if match:
                path = f"{self.table}.{match.group(1)}" if self.table else match.group(1)
                self.lines.setdefault(path, number)
                self.open_key, self.items = path, 0
                self._continue(line[match.end() :], number)

    def _header(self, dotted: str, number: int, array: bool) -> None:
        names = [part.strip().strip("\"'") for part in dotted.split(".")]
        concrete = ""
        for i in range(len(names) - 1):
            prefix = ".".join(names[: i + 1])
            concrete = self.arrays.get(prefix, f"{concrete}.{names[i]}" if concrete else names[i])
        last = f"{concrete}.{names[-1]}" if concrete else names[-1]
        if array:
            index = self.counts.get(last, 0)
            self.counts[last] = index + 1
            last = f"{last}[{index}]"
            self.arrays[".".join(names)] = last
        self.table = last
        self.lines.setdefault(last, number)

    def _continue(self, text: str, number: int) -> None:
        """Follows brackets and strings through `text`, numbering the inline tables of an array."""
        i = 0
        while i < len(text):
            if self.in_string:
                end = text.find(self.in_string, i)  # type: ignore[arg-type]
                if end < 0:
                    return
                self.in_string, i = False, end + 3
                continue
            char = text[i]
            if text.startswith(('"""', "'''"), i):
                self.in_string, i = text[i : i + 3], i + 3  # type: ignore[assignment]
                continue
            if char in "\"'":
                end = _string_end(text, i)
                i = end + 1
                continue
            if char == "#":
                return
            if char == "{" and self.depth == 1:
                self.lines.setdefault(f"{self.open_key}[{self.items}]", number)
                self.items += 1
            if char in "[{":
                self.depth += 1
            elif char in "]}":
                self.depth = max(0, self.depth - 1)
            i += 1


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    i = start + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    return len(text)


def parent_paths(path: str) -> list[str]:
    """`a[1].b.c` -> [`a[1].b.c`, `a[1].b`, `a[1]`, `a`]: where to look when a key is not written."""
    found = [path]
    while True:
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return found
        path = path[:cut]
        found.append(path)


# -- reporting against paths ------------------------------------------------------------
class TomlWalker:
    """Problems with key paths, lines and catalogue messages; typed getters that report."""

    def __init__(self, source: str, text: str, raw: dict[str, Any]) -> None:
        self.source = source
        self.raw = raw
        self.lines = key_lines(text)
        self.problems: list[Problem] = []
        self.reported: set[str] = set()  # key paths already reported: their dependent checks are skipped

    def line_of(self, path: str) -> int | None:
        """The line of `path`; when it is not written, its table's id line (or header)."""
        for candidate in parent_paths(path):
            for key in (candidate, f"{candidate}.id") if candidate == path else (f"{candidate}.id", candidate):
                if key in self.lines:
                    return self.lines[key]
        return None

    def shown(self, path: str) -> str:
        """The path as a person reads it: roles and dimensions by their id, not their position."""
        node: Any = self.raw
        parts = []
        for name, index in _SEGMENT.findall(path):
            child = node.get(name) if isinstance(node, dict) else None
            if not index:
                parts.append(name)
                node = child
                continue
            element = child[int(index)] if index.isdigit() and isinstance(child, list) else None
            ident = element.get("id") if isinstance(element, dict) else None
            named = name in NAMED_ARRAYS and isinstance(ident, str) and ID_PATTERN.match(ident)
            parts.append(f"{name}.{ident}" if named else f"{name}[{index}]")
            node = element
        return ".".join(parts)

    def where(self, path: str) -> str:
        line = self.line_of(path)
        return f"{self.source}: {self.shown(path)}" + (f" ({t('spec.line', line=line)})" if line else "")

    def problem(self, path: str, code: str, **fields: object) -> None:
        self.problems.append(Problem(self.where(path), t(code, **fields)))  # type: ignore[arg-type]  # fields never include lang
        self.reported.add(path)

    def fine(self, *paths: str) -> bool:
        """True when none of `paths` has been reported: a check built on a value that is missing or
        of the wrong type would only repeat that mistake in other words."""
        return not self.reported.intersection(paths)

    # -- typed getters ---------------------------------------------------------------
    def text(self, table: dict, key: str, path: str, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(f"{path}.{key}", "spec.text_missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(f"{path}.{key}", "spec.text_wrong", value=repr(value))
            return str(value)
        return value.strip()

    def number(self, table: dict, key: str, path: str, default: float | None = None) -> float:
        value = table.get(key)
        if value is None:
            if default is None:
                self.problem(f"{path}.{key}", "spec.number_missing")
                return 0.0
            return default
        number = parse_number(value)
        if number is None:
            self.problem(f"{path}.{key}", "spec.number_wrong", value=repr(value))
            return default if default is not None else 0.0
        return number

    def flag(self, table: dict, key: str, path: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", "spec.flag_wrong", value=repr(value))
            return False
        return value

    def identifier(self, table: dict, path: str) -> str:
        value = table.get("id")
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(f"{path}.id", "spec.bad_id", value=repr(value))
            return str(value)
        return value

    def tables(self, table: dict, key: str, path: str) -> list[dict]:
        value = table.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.problem(f"{path}.{key}" if path else key, "spec.tables_missing", key=key)
            return []
        return value

    def unique(self, items: list[tuple[str, str]], code: str) -> None:
        """Reports each repeated id at the repeat's own path, naming where it first stood."""
        first: dict[str, str] = {}
        for value, path in items:
            if value in first:
                self.problem(path, code, value=repr(value), first=self.where(first[value]).split(": ", 1)[-1])
            else:
                first[value] = path
