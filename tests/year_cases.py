"""Quarter summaries for the year's tests and bench, written by kpibook's own summary writer
(kpibook.summary.write_summary, signed like consolidate's), from plain rows."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from pathlib import Path

from kpibook.fingerprint import Key
from kpibook.records import ConsolidateResult, EmployeeRow
from kpibook.spec import Spec
from kpibook.summary import write_summary
from kpibook.year_model import grade_of


def person(
    employee_id: str,
    score: float | None,
    *,
    status: str = "ok",
    role_id: str = "sales_specialist",
    manager: str = "王芳",
    department: str = "华东",
    name: str = "",
    dims: Mapping[str, float] | None = None,
) -> dict[str, object]:
    return {
        "employee_id": employee_id,
        "employee_name": name or f"员工{employee_id}",
        "role_id": role_id,
        "department": department,
        "manager": manager,
        "status": status,
        "total_score": score if status == "ok" else None,
        "dims": dict(dims or {}),
    }


def write_quarter(path: Path, period: str, people: Iterable[Mapping[str, object]], spec: Spec, key: Key) -> Path:
    rows = []
    for p in people:
        score = p["total_score"]
        rows.append(
            EmployeeRow(
                employee_id=str(p["employee_id"]),
                employee_name=str(p["employee_name"]),
                role_id=str(p["role_id"]),
                department=str(p["department"]),
                manager=str(p["manager"]),
                period=period,
                status=str(p["status"]),
                total_score=score,  # type: ignore[arg-type]
                grade=grade_of(float(score), spec.grades) if isinstance(score, (int, float)) else "",
                file=f"{p['employee_id']}_{period}.xlsx",
                dimensions=dict(p["dims"]),  # type: ignore[arg-type]
            )
        )
    result = ConsolidateResult(path, None, rows, [], [], len(rows), period)
    write_summary(path, result, spec, key)
    return path


def random_people(count: int, seed: int, spec: Spec) -> list[dict[str, object]]:
    """`count` people with random ok scores and dimension points, roles and managers from the spec."""
    rng = random.Random(seed)
    people = []
    for i in range(count):
        role = spec.roles[i % len(spec.roles)]
        dims = {d.id: round(rng.uniform(50, 115), 2) for d in role.dimensions}
        people.append(
            person(
                f"E{i:05d}",
                round(rng.uniform(40, 118), 2),
                role_id=role.id,
                manager=f"M{i % 37:02d}",
                department=f"D{i % 7}",
                dims=dims,
            )
        )
    return people
