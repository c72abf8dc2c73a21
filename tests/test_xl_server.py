"""kpibook.xl in xlwings' server mode, as xlwings Lite and xlwings Server import it.

xlwings chooses its decorators when it is imported, so this runs in a separate Python with
XLWINGS_ON_SERVER=true and the free `noncommercial` license key: there `custom_functions_meta`
must list every KPIBOOK_* function with its arguments, `custom_functions_call` (fed the
arguments the way the Office.js client sends them: every argument a 2-D matrix, blanks null,
errors as error objects) must return the scoring core's values, and the Lite scripts must
run on a real workbook through `custom_scripts_call`. The expected values are computed here,
in this process, from kpibook.scoring - not from kpibook.xl.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kpibook import scoring
from kpibook.generate import generate
from kpibook.spec import load_spec
from kpibook.xl import udfs
from kpibook.xl.lite import MAIN_PY

ROOT = Path(__file__).resolve().parent.parent
SPEC = load_spec(ROOT / "roles.toml")

SERVER = r"""
import asyncio, importlib.util, json, sys
import xlwings as xw
from xlwings.server import custom_functions_call, custom_functions_meta, custom_scripts_call, custom_scripts_meta

job = json.load(open(sys.argv[1], encoding="utf-8"))
import kpibook.xl.udfs as udfs
import kpibook.xl.lite as lite
spec = importlib.util.spec_from_file_location("main", job["main_py"])  # xlwings Lite's main.py
main = importlib.util.module_from_spec(spec)
spec.loader.exec_module(main)


async def call(module, name, args):
    data = {"func_name": name, "args": args, "version": xw.__version__, "client": "Office.js", "runtime": "1.4",
            "culture_info_name": "en-US", "date_format": "M/d/yyyy"}
    return await custom_functions_call(data, module)


async def run():
    out = {"on_server": xw.func.__module__, "meta": custom_functions_meta(udfs),
           "main_meta": custom_functions_meta(main), "scripts": custom_scripts_meta(main)}
    out["results"] = [await call(udfs, c["func"], c["args"]) for c in job["calls"]]
    book = xw.Book(json=job["book"])
    await custom_scripts_call(main, "kpibook_recompute", typehint_to_value={xw.Book: book})
    out["actions"] = book.json()["actions"]
    return out

print(json.dumps(asyncio.run(run())))
"""


def office(value: object) -> list[list[object]]:
    """One argument as the Office.js client sends it: always a matrix."""
    if isinstance(value, list):
        return value if value and isinstance(value[0], list) else [value]
    return [[value]]


def error(code: str) -> dict[str, str]:
    return {"type": "Error", "basicValue": code, "errorType": "Div0"}


def calls_and_expectations() -> list[tuple[str, list[object], object]]:
    cases: list[tuple[str, list[object], object]] = []
    for role in SPEC.roles:
        actuals = {}
        for i, kpi in enumerate(role.kpis):
            actual = kpi.bands[i % len(kpi.bands)].start if kpi.bands else round(kpi.target * (0.7 + 0.1 * i), 4)
            actuals[kpi.id] = actual
            rule = scoring.rule_of(kpi)
            padded = list(rule.bands) + [rule.bands[-1]] * (6 - len(rule.bands)) if rule.bands else []
            args = [
                actual,
                kpi.target,
                kpi.method,
                kpi.param,
                kpi.direction,
                kpi.floor,
                kpi.cap,
                int(kpi.allow_na),
                [[b[0] for b in padded]] if padded else None,
                [[b[1] for b in padded]] if padded else None,
            ]
            cases.append(("KPIBOOK_SCORE", [office(a) for a in args], scoring.kpi_score(rule, actual)))
            cases.append(
                ("KPIBOOK_KPI_SCORE", [office(kpi.id), office(actual), office(None)], scoring.kpi_score(rule, actual))
            )
        scores = scoring.score_role(role, SPEC.grades, actuals)
        column = [[actuals[k.id]] for k in role.kpis]
        cases.append(("KPIBOOK_TOTAL", [office(role.id), column, office(None)], scores.total))
        cases.append(("KPIBOOK_GRADE", [office(scores.total)], scores.grade))
    cases += [
        ("KPIBOOK_SCORE", [office(None), office(100), office("ratio")] + [office(None)] * 7, ""),  # blank actual
        (
            "KPIBOOK_SCORE",
            [office(error("#DIV/0!")), office(100), office("ratio")] + [office(None)] * 7,
            scoring.ExcelError("#DIV/0!"),
        ),  # an error in the actual cell comes back as that error, as in the workbook
        (
            "KPIBOOK_SCORE",
            [
                office("N/A"),
                office(100),
                office("ratio"),
                office(None),
                office(None),
                office(None),
                office(None),
                office(True),
                office(None),
                office(None),
            ],
            "N/A",
        ),
        ("KPIBOOK_SCORE", [office(1), office(1), office("foo")] + [office(None)] * 7, "#KPIBOOK!"),
        ("KPIBOOK_GRADE", [office(None)], ""),
        ("KPIBOOK_RULE", [office("sm_revenue")], "actual ÷ target"),
    ]
    return cases


def excel_shown(value: object) -> object:
    """How a value comes back from custom_functions_call: a matrix; errors as Office.js error objects."""
    if isinstance(value, scoring.ExcelError):
        return [[{"type": "Error", "errorType": {"#DIV/0!": "Div0", "#N/A": "NotAvailable"}[value.code]}]]
    return [[value]]


@pytest.fixture(scope="module")
def server_run(tmp_path_factory) -> tuple[dict, list]:
    root = tmp_path_factory.mktemp("xl_server")
    (root / "main.py").write_text(MAIN_PY, encoding="utf-8")
    workbook = sorted(generate(ROOT / "samples" / "roster.csv", "2026Q4", root / "wb", spec=SPEC).written)[0]
    from tests.test_xl_scripts import office_js_payload

    cases = calls_and_expectations()
    job = {
        "main_py": str(root / "main.py"),
        "book": office_js_payload(workbook),
        "calls": [{"func": f, "args": a} for f, a, _ in cases],
    }
    (root / "job.json").write_text(json.dumps(job), encoding="utf-8")
    (root / "server.py").write_text(SERVER, encoding="utf-8")
    env = {
        **os.environ,
        "XLWINGS_ON_SERVER": "true",
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "KPIBOOK_SPEC": str(ROOT / "roles.toml"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, str(root / "server.py"), str(root / "job.json")],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    *printed, result = done.stdout.splitlines()  # the scripts print what they did (xlwings Lite's output pane)
    return json.loads(result) | {"printed": printed}, cases


def test_server_mode_uses_xlwings_office_js_decorators(server_run):
    out, _ = server_run
    assert out["on_server"] == "xlwings.pro.udfs_officejs"
    assert not hasattr(udfs.KPIBOOK_SCORE, "__xlfunc__")  # here, on Linux without server mode: plain functions


def test_meta_lists_every_function_with_its_arguments(server_run):
    out, _ = server_run
    listed = {f["name"]: f for f in out["meta"]["functions"]}
    assert set(listed) == {f.__name__ for f in udfs.FUNCTIONS}
    for function in udfs.FUNCTIONS:
        meta = listed[function.__name__]
        parameters = list(inspect.signature(function).parameters.values())
        assert [p["name"] for p in meta["parameters"]] == [p.name for p in parameters]
        assert [p.get("optional", False) for p in meta["parameters"]] == [
            p.default is not inspect.Parameter.empty for p in parameters
        ]
        assert [p["description"] for p in meta["parameters"]] == [udfs.ARGS[p.name] for p in parameters]
        assert meta["description"] == inspect.getdoc(function)
    assert out["main_meta"]["functions"] == out["meta"]["functions"]  # xlwings Lite's main.py exposes the same


def test_call_returns_the_scoring_cores_values(server_run):
    out, cases = server_run
    assert len(out["results"]) == len(cases) > 80
    for (name, args, expected), got in zip(cases, out["results"], strict=True):
        if isinstance(expected, str) and expected.startswith(("#KPIBOOK!", "actual")):
            assert isinstance(got[0][0], str) and expected in got[0][0], (name, args, got)
        else:
            assert got == excel_shown(expected), (name, args, got, expected)


def test_lite_scripts_are_registered_and_run_on_a_workbook(server_run):
    out, _ = server_run
    assert {s["function_name"] for s in out["scripts"]} == {
        "kpibook_recompute",
        "kpibook_consolidate",
        "kpibook_audit",
        "kpibook_calibrate",
    }
    names = {s["name"] for s in out["scripts"]}
    assert names == {"kpibook: Recompute", "kpibook: Consolidate", "kpibook: Audit", "kpibook: Calibrate"}
    added = [a for a in out["actions"] if a["func"] == "addSheet"]
    assert [a["args"][1] for a in added] == ["kpibook Recompute"]
    table = next(a["values"] for a in out["actions"] if a["func"] == "setValues" and a["sheet_position"] == 4)
    assert table[0][:3] == ["file", "employee_id", "cell"]
    assert out["printed"] == [
        "Recompute: 1 scorecard(s) recomputed, 0 with differences between Excel and Python; "
        "see sheet 'kpibook Recompute'"
    ]
