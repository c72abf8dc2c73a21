"""The report page in a real browser: headless Chromium prints it on A4 and takes a screenshot.

Asserts the page count, that every employee and every headline number is in the printed text,
that no chart is cut across a page (each chart's heading and its caption print on one page),
and that the page made no network request (Chromium's NetLog; a control page that loads an
image from a real server on 127.0.0.1 proves the log would show one).
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kpibook.demo import demo
from kpibook.messages import t
from kpibook.report import read_summary_tables, report
from kpibook.spec import load_spec
from tests.browser import chromium_path, page_requests, pdf_pages, print_to_pdf, screenshot

REQUIRE = os.environ.get("KPIBOOK_REQUIRE_LIBREOFFICE", "") not in ("", "0")  # CI: every real program must run
PAGES = range(3, 6)  # measured: 4 pages in Chinese and in English (Noto CJK); a font change may move one


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = chromium_path()
    if exe is None:
        message = "Chromium not found: the report's browser tests did NOT run (apt-get install chromium)"
        if REQUIRE:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return exe


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo(tmp_path_factory.mktemp("demo")).summary


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_page(chromium: str, summary: Path, tmp_path: Path, lang: str) -> None:
    page = report(summary, tmp_path / "report.html", lang=lang).out
    netlog = tmp_path / "net.json"
    pages = pdf_pages(print_to_pdf(chromium, page, tmp_path / "report.pdf", netlog=netlog))
    assert len(pages) in PAGES, f"{len(pages)} pages"
    text = "\n".join(pages)
    flat = " ".join(text.split())
    for row in read_summary_tables(summary).employees:
        assert str(row["employee_id"]) in text and str(row["employee_name"]) in flat, row["employee_id"]
    result = report(summary, tmp_path / "again.html", lang=lang)
    for number in result.headline:
        assert number in pages[0], f"headline number {number} not on page 1"
    assert page_requests(netlog) == []


def _page_of(pages: list[str], needle: str, start: int = 0) -> int:
    return next(i for i in range(start, len(pages)) if needle in " ".join(pages[i].split()))


@pytest.mark.parametrize("shift_mm", [0, 140])
def test_no_chart_is_cut_across_pages(chromium: str, summary: Path, tmp_path: Path, shift_mm: int) -> None:
    """Each chart's heading and its caption print on one page, wherever the page breaks fall:
    a blank block at the top shifts every chart down by `shift_mm`."""
    html = report(summary, tmp_path / "report.html", lang="en").out.read_text(encoding="utf-8")
    shifted = tmp_path / "shifted.html"
    shifted.write_text(html.replace("<body>", f'<body><div style="height:{shift_mm}mm"></div>', 1), encoding="utf-8")
    pages = pdf_pages(print_to_pdf(chromium, shifted, tmp_path / "report.pdf"))
    caption = " ".join(t("report.chart_note", "en").split())
    headings = ["Mean score by role", "Mean score by manager", "Mean score by dimension"]
    headings += [f"{t('report.kpi_spread', 'en')} · {role.name_en}" for role in load_spec().roles]
    for heading in headings:
        needle = " ".join(heading.split())
        on_its_page = " ".join(pages[_page_of(pages, needle)].split())
        after_heading = on_its_page[on_its_page.index(needle) :]
        assert caption in after_heading, f"{heading!r} (shifted {shift_mm} mm): its chart continues on the next page"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        _Recorder.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()


def test_the_network_check_sees_a_request(chromium: str, tmp_path: Path, server: int) -> None:
    """The control: a page that loads an image is caught, so an empty log above means something."""
    page = tmp_path / "control.html"
    page.write_text(f'<html><body>x<img src="http://127.0.0.1:{server}/logo.png"></body></html>', encoding="utf-8")
    netlog = tmp_path / "net.json"
    print_to_pdf(chromium, page, tmp_path / "control.pdf", netlog=netlog)
    assert "/logo.png" in _Recorder.hits
    assert page_requests(netlog) == [f"http://127.0.0.1:{server}/logo.png"]


def test_screenshot(chromium: str, summary: Path, tmp_path: Path) -> None:
    page = report(summary, tmp_path / "report.html", lang="zh").out
    png = screenshot(chromium, page, tmp_path / "report.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a drawn page, not a blank one
