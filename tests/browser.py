"""Headless Chromium for the report page's tests: print to PDF, take a screenshot, and log
every network request the page makes.

The network log is Chromium's own NetLog (`--log-net-log=FILE`, JSON). Chromium itself talks
to Google in the background (updates, time), so a request counts as the page's when its
network isolation key is the page's origin (file://): those are the requests a page loaded from
an e-mail attachment would make. No DevTools protocol, no extra package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    explicit = os.environ.get("KPIBOOK_CHROMIUM")
    if explicit:
        return explicit
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _run(exe: str, page: Path, *options: str, netlog: Path | None = None) -> None:
    profile = tempfile.mkdtemp(prefix="kpibook-chromium-")
    args = [
        exe,
        "--headless",
        "--no-sandbox",  # containers and CI run as root
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *options,
    ]
    if netlog is not None:
        args.append(f"--log-net-log={netlog}")
    try:
        subprocess.run([*args, page.resolve().as_uri()], capture_output=True, timeout=120, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def print_to_pdf(exe: str, page: Path, pdf: Path, netlog: Path | None = None) -> Path:
    _run(exe, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", netlog=netlog)
    return pdf


def screenshot(exe: str, page: Path, png: Path, width: int = 1000, height: int = 2400) -> Path:
    _run(exe, page, "--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={png}")
    return png


def page_requests(netlog: Path) -> list[str]:
    """The URLs the page itself asked for that are not files or data (the network)."""
    log = json.loads(netlog.read_text(encoding="utf-8", errors="replace"))
    urls = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        url = str(params.get("url", ""))
        key = str(params.get("network_isolation_key", ""))
        if url and key.startswith("file://") and not url.startswith(("file:", "data:")):
            urls.append(url)
    return urls


def pdf_pages(pdf: Path) -> list[str]:
    """The PDF's text, one string per page (pdftotext, layout kept)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages
