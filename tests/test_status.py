"""`kpibook status` and its reminders on real files, and SMTP through a real local server.

Five people under two managers: some workbooks come back ok, one incomplete, one superseded
copy, one never. The reminders are read back with Python's e-mail parser (as a mail program
would) and sent through an aiosmtpd server listening on 127.0.0.1, started by the test.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from kpibook.errors import OutputError
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.manifest import MANIFEST, read_manifest
from kpibook.read import read_workbook
from kpibook.spec import Spec
from kpibook.status import status
from tests.test_reconcile import sample_rows, write_roster

ENGLISH = {**os.environ, "LC_ALL": "en_US.UTF-8"}


pytestmark = pytest.mark.usefixtures("english")  # tests/conftest.py


def fill(source: Path, dest: Path, spec: Spec, blank_rate: float = 0.0) -> Path:
    role = spec.role(read_workbook(source).metadata["role_id"])
    actuals = manager_actuals(role, random.Random(1), na_rate=0)
    if blank_rate:
        actuals.pop(role.kpis[0].id)
    return fill_workbook(source, dest, spec, actuals)


@pytest.fixture()
def chase(tmp_path: Path, spec: Spec) -> tuple[Path, Path, Path]:
    """(ledger, returned folder, issued folder): E1001, E1002 ok; E1003 incomplete; E1004's copy
    is superseded (reissued after a target change); E1005 never came back."""
    rows = sample_rows()
    roster = write_roster(tmp_path / "roster.csv", rows)
    out, returned = tmp_path / "out", tmp_path / "returned"
    generate(roster, "2026Q4", out, spec=spec)
    files = {e.employee_id: out / e.file for e in read_manifest(out / MANIFEST)}
    for employee_id in ("E1001", "E1002", "E1004"):
        fill(files[employee_id], returned / files[employee_id].name, spec)
    fill(files["E1003"], returned / files["E1003"].name, spec, blank_rate=1)
    rows[3]["target.ss_revenue"] = "1800000"
    generate(write_roster(roster, rows), "2026Q4", out, spec=spec)
    return out / MANIFEST, returned, out


def test_progress_per_manager(chase: tuple[Path, Path, Path], spec: Spec) -> None:
    ledger, returned, _ = chase
    result = status([returned], ledger, spec=spec)
    counts = {m.manager: m.counts for m in result.managers}
    assert counts["陈总监"] == {"issued": 3, "returned": 3, "ok": 2, "incomplete": 1, "rejected": 0, "missing": 0}
    assert counts["王芳"] == {"issued": 2, "returned": 1, "ok": 0, "incomplete": 0, "rejected": 1, "missing": 1}
    assert result.exit_code == 1 and str(result.due) == "2027-01-14"
    assert any("2027-01-14" in line for line in result.lines())
    assert not result.reminders, "nothing is written unless asked"


def parse(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_reminders_are_eml_files_with_the_workbooks_attached(
    chase: tuple[Path, Path, Path], spec: Spec, tmp_path: Path
) -> None:
    ledger, returned, out = chase
    result = status([returned], ledger, spec=spec, reminders=tmp_path / "reminders")
    names = sorted(p.name for p in result.reminders)
    assert names == ["王芳_2026Q4.eml", "陈总监_2026Q4.eml"]
    mail = parse(tmp_path / "reminders" / "王芳_2026Q4.eml")
    assert mail["To"].addresses[0].addr_spec == "wang.fang@example.com" and mail["X-Unsent"] == "1"
    assert "2026Q4" in mail["Subject"] and "催交" in mail["Subject"] and mail["Date"] and mail["Message-ID"]
    body = mail.get_body(("plain",)).get_content()
    assert "王芳，您好" in body and "Dear 王芳" in body
    assert "E1004" in body and "E1005" in body and "E1001" not in body
    assert "superseded" in body or "当前" in body, "the superseded copy says what is wrong"
    attached = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
    current = {e.employee_id: out / e.file for e in read_manifest(ledger)}
    assert attached == {
        current["E1004"].name: current["E1004"].read_bytes(),  # superseded: the current issue, not the old copy
        current["E1005"].name: current["E1005"].read_bytes(),  # missing: the blank workbook
    }
    chen = parse(tmp_path / "reminders" / "陈总监_2026Q4.eml")
    assert chen["To"] is None, "no address in the ledger: HR fills it in before sending"
    (incomplete,) = list(chen.iter_attachments())
    assert incomplete.get_content() == (returned / current["E1003"].name).read_bytes(), "the incomplete one goes back"
    assert (
        "actual(s) still blank" in chen.get_body(("plain",)).get_content()
        or "未填" in chen.get_body(("plain",)).get_content()
    )


def test_everything_in_and_ok_exits_0_and_writes_no_reminder(tmp_path: Path, spec: Spec) -> None:
    roster = write_roster(tmp_path / "roster.csv", sample_rows()[:2])
    out = tmp_path / "out"
    for path in generate(roster, "2026Q4", out, spec=spec).written:
        fill(path, tmp_path / "back" / path.name, spec)
    result = status([tmp_path / "back"], out / MANIFEST, spec=spec, reminders=tmp_path / "reminders")
    assert result.exit_code == 0 and result.complete and not result.reminders


class Inbox:
    """aiosmtpd handler: keeps every message the server accepted."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp_server():  # type: ignore[no-untyped-def]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield f"127.0.0.1:{controller.port}", inbox
    finally:
        controller.stop()


def test_reminders_sent_through_a_local_smtp_server(chase: tuple[Path, Path, Path], spec: Spec, smtp_server) -> None:  # type: ignore[no-untyped-def]
    ledger, returned, _ = chase
    address, inbox = smtp_server
    result = status([returned], ledger, spec=spec, smtp=address, sender="HR 人事部 <hr@example.com>")
    assert result.sent == ["王芳"]
    (mail_from, recipients, data) = inbox.received[0]
    assert len(inbox.received) == 1 and mail_from == "hr@example.com" and recipients == ["wang.fang@example.com"]
    arrived = message_from_bytes(data, policy=policy.default)
    assert "Dear 王芳" in arrived.get_body(("plain",)).get_content()
    assert len(list(arrived.iter_attachments())) == 2
    (problem,) = result.problems
    assert problem.where == "陈总监" and ("e-mail address" in problem.message or "邮箱" in problem.message)


def test_no_smtp_server_is_a_clear_error(chase: tuple[Path, Path, Path], spec: Spec) -> None:
    ledger, returned, _ = chase
    with pytest.raises(OutputError) as raised:
        status([returned], ledger, spec=spec, smtp=f"127.0.0.1:{free_port()}", sender="hr@example.com")
    assert "--smtp 127.0.0.1" in str(raised.value)


def test_cli_status(chase: tuple[Path, Path, Path], tmp_path: Path, smtp_server) -> None:  # type: ignore[no-untyped-def]
    ledger, returned, _ = chase
    address, inbox = smtp_server
    base = [sys.executable, "-m", "kpibook", "status", str(returned), "--manifest", str(ledger)]
    done = subprocess.run(base + ["--reminders", str(tmp_path / "r")], capture_output=True, text=True, env=ENGLISH)
    assert done.returncode == 1, done.stderr
    assert "陈总监" in done.stdout and "missing" in done.stdout and "王芳_2026Q4.eml" in done.stdout
    sent = subprocess.run(
        base + ["--smtp", address, "--from", "hr@example.com"], capture_output=True, text=True, env=ENGLISH
    )
    assert sent.returncode == 1 and "sent to 王芳" in sent.stdout and len(inbox.received) == 1
    bad = subprocess.run(base + ["--smtp", "nowhere"], capture_output=True, text=True, env=ENGLISH)
    assert bad.returncode == 2 and "--from" in bad.stderr and "Traceback" not in bad.stderr
