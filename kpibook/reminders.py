"""Reminder e-mails for `kpibook status`: one per manager with something outstanding.

Each is an RFC 5322 message in UTF-8 with the text of templates/reminder.txt.j2 (Chinese, then
English; HR edits the wording there), the list of people with what is wrong for each, and their
current blank or rejected workbooks attached. Written as <manager>_<PERIOD>.eml files, marked
`X-Unsent: 1` so that Outlook opens them as a draft to send (Foxmail and Thunderbird open them
too), or sent through an SMTP server (`--smtp HOST:PORT --from ADDR`).
"""

from __future__ import annotations

import datetime as dt
import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from kpibook.errors import KpibookError, OutputError, Problem
from kpibook.messages import t
from kpibook.outputs import atomic_write
from kpibook.progress import ManagerProgress, StatusResult
from kpibook.records import INCOMPLETE, MISSING, REJECTED
from kpibook.roster import safe_file_part
from kpibook.templating import environment

TEMPLATE = "reminder.txt.j2"
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DEFAULT_SENDER = "HR <hr@localhost>"  # only in .eml drafts; the mail program sends from its account
STATUS_WORDS = {
    MISSING: ("未交回", "not returned"),
    INCOMPLETE: ("未填完", "incomplete"),
    REJECTED: ("需修改", "rejected"),
}


def parse_server(text: str) -> tuple[str, int]:
    """ "host:port" -> (host, port); anything else is a clear error (exit 2)."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise KpibookError([Problem("--smtp", t("remind.bad_server", value=text))])
    return host.strip("[]"), int(port)


def reminder(progress: ManagerProgress, result: StatusResult, sender: str) -> EmailMessage:
    """The reminder for one manager: headers, the bilingual text, the workbooks attached."""
    message = EmailMessage()
    message["Subject"] = t("remind.subject", period=result.period, count=len(progress.outstanding), lang="zh") + (
        " / " + t("remind.subject", period=result.period, count=len(progress.outstanding), lang="en")
    )
    message["From"] = sender or DEFAULT_SENDER
    if progress.manager_email:
        message["To"] = Address(display_name=progress.manager, addr_spec=progress.manager_email)
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid(domain="kpibook.local")
    message["X-Unsent"] = "1"
    attachments = [p for o in progress.outstanding for p in o.attachments]
    people = [
        {
            "id": o.entry.employee_id,
            "name": o.entry.employee_name,
            "status_zh": STATUS_WORDS[o.status][0],
            "status_en": STATUS_WORDS[o.status][1],
            "reasons": o.reasons,
        }
        for o in progress.outstanding
    ]
    text = (
        environment()
        .get_template(TEMPLATE)
        .render(
            manager=progress.manager,
            period=result.period,
            due=result.due.isoformat() if result.due else "?",
            people=people,
            attachments=[p.name for p in attachments],
            sender_name=(sender or DEFAULT_SENDER).split("<")[0].strip() or "HR",
        )
    )
    message.set_content(text, charset="utf-8")
    for path in attachments:
        message.add_attachment(path.read_bytes(), *XLSX_TYPE, filename=path.name)
    return message


def remind(result: StatusResult, folder: Path | None, smtp: str | None, sender: str) -> None:
    """Writes (to `folder`) or sends (through `smtp`) one reminder per manager with something
    outstanding; fills result.reminders, result.sent and result.problems."""
    server = parse_server(smtp) if smtp else None
    messages = [(m, reminder(m, result, sender)) for m in result.managers if m.outstanding]
    if folder is not None:
        for progress, message in messages:
            path = folder / f"{safe_file_part(progress.manager)}_{safe_file_part(result.period or 'period')}.eml"
            try:
                atomic_write(path, message.as_bytes())
            except OSError as exc:
                raise OutputError([Problem(str(path), t("remind.cannot_write", reason=exc.strerror))]) from None
            result.reminders.append(path)
    if server is not None:
        _send(messages, server, result)


def _send(messages: list[tuple[ManagerProgress, EmailMessage]], server: tuple[str, int], result: StatusResult) -> None:
    host, port = server
    where = f"{host}:{port}"
    try:
        with smtplib.SMTP(host, port, timeout=30) as connection:
            for progress, message in messages:
                if not progress.manager_email:
                    result.problems.append(Problem(progress.manager, t("remind.no_address")))
                    continue
                try:
                    connection.send_message(message)
                    result.sent.append(progress.manager)
                except smtplib.SMTPException as exc:
                    result.problems.append(
                        Problem(progress.manager_email, t("remind.refused", server=where, reason=exc))
                    )
    except (OSError, smtplib.SMTPException) as exc:
        raise OutputError([Problem(f"--smtp {where}", t("remind.no_server", reason=exc))]) from None
