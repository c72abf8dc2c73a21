"""The spec's [year] table: defaults, and every mistake reported by `spec check` with its TOML
key and line, all at once (kpibook.year_rules through kpibook.spec)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpibook.cli import main
from kpibook.errors import SpecError
from kpibook.resources import bundled_spec_path
from kpibook.spec import load_spec, parse_spec


def with_year(block: str) -> str:
    text = bundled_spec_path().read_text(encoding="utf-8")
    return text[: text.index("[year]")] + block


def test_bundled_spec_has_the_documented_year() -> None:
    year = load_spec(bundled_spec_path()).year
    assert year is not None
    assert year.quarter_weights == {"Q1": 25, "Q2": 25, "Q3": 25, "Q4": 25}
    assert year.coefficients == {"S": 1.5, "A": 1.2, "B": 1.0, "C": 0.8, "D": 0.0}
    assert year.coefficient_cap == 1.5


def test_weights_default_to_equal_and_the_cap_limits() -> None:
    spec = parse_spec(with_year("[year]\ncoefficient_cap = 1.1\n[year.coefficients]\nS=2\nA=1.2\nB=1\nC=0.5\nD=0\n"))
    assert spec.year is not None
    assert set(spec.year.quarter_weights.values()) == {25.0}
    assert spec.year.coefficient("S") == 1.1 and spec.year.coefficient("C") == 0.5


def test_a_spec_without_year_still_loads() -> None:
    assert parse_spec(with_year("")).year is None


@pytest.mark.parametrize(
    "block, where, words",
    [
        ("[year]\nquarter_weights = { Q1 = 30, Q2 = 30, Q3 = 30, Q4 = 30 }\n[year.coefficients]\nS=1\nA=1\nB=1\nC=1\nD=1\n",
         "year.quarter_weights (line 2)", "add up to 120"),
        ("[year]\nquarter_weights = { Q1 = 50, Q2 = 50 }\n[year.coefficients]\nS=1\nA=1\nB=1\nC=1\nD=1\n",
         "year.quarter_weights (line 2)", "exactly the four weights"),
        ("[year]\n[year.coefficients]\nS=1\nA=1\nB=1\nC=1\n", "year.coefficients (line 2)", "no coefficient for grade(s) D"),
        ("[year]\n[year.coefficients]\nS=1\nA=1\nB=1\nC=1\nD=1\nX=2\n", "year.coefficients.X (line 8)", "not one of the [[grades]]"),
        ("[year]\n[year.coefficients]\nS=15\nA=1\nB=1\nC=1\nD=1\n", "year.coefficients.S (line 3)", "from 0 to 10"),
        ("[year]\ncoefficient_cap = 0\n[year.coefficients]\nS=1\nA=1\nB=1\nC=1\nD=1\n", "year.coefficient_cap (line 2)", "above 0"),
        ("[year]\nbonus = 1\n[year.coefficients]\nS=1\nA=1\nB=1\nC=1\nD=1\n", "year.bonus (line 2)", "unknown key bonus"),
    ],
)  # fmt: skip
def test_mistakes_name_the_key_and_line(block: str, where: str, words: str) -> None:
    text = with_year(block)
    offset = text.count("\n") - block.count("\n")
    with pytest.raises(SpecError) as caught:
        parse_spec(text, source="roles.toml")
    line = int(where.split("(line ")[1].rstrip(")")) + offset
    want = f"roles.toml: {where.split(' (line')[0]} (line {line}): "
    rendered = caught.value.render()
    assert want in rendered and words in rendered, rendered


def test_spec_check_prints_the_year_and_exits_2_on_a_broken_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["spec", "check", str(bundled_spec_path())]) == 0
    assert "year: quarter weights Q1 25, Q2 25, Q3 25, Q4 25; coefficients S 1.5" in capsys.readouterr().out
    broken = tmp_path / "roles.toml"
    broken.write_text(with_year("[year]\n[year.coefficients]\nS=1\n"), encoding="utf-8")
    assert main(["spec", "check", str(broken)]) == 2
    assert "no coefficient for grade(s) D, C, B, A" in capsys.readouterr().err
