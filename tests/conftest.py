"""Shared test setup: hypothesis profiles and the LibreOffice gate.

HYPOTHESIS_PROFILE=ci (set by .ci/run) runs the full property-based parity suite;
the default "dev" profile is quicker for the edit-test loop.

Tests marked `libreoffice` need headless LibreOffice (`soffice`). When it is missing they
are skipped with a loud message, unless KPIBOOK_REQUIRE_LIBREOFFICE=1 (CI): then they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from kpibook import messages
from kpibook.spec import Spec
from tests.common import bundled_spec
from tests.lo import soffice_path

settings.register_profile(
    "ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("dev", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

REQUIRE_LIBREOFFICE = os.environ.get("KPIBOOK_REQUIRE_LIBREOFFICE", "") not in ("", "0")
NO_SOFFICE = (
    "LibreOffice (soffice) not found: the spreadsheet parity tests did NOT run. "
    "Install it (apt-get install libreoffice-calc-nogui) or set KPIBOOK_SOFFICE to its path."
)
_skipped_for_soffice: list[str] = []
_parity_report: list[str] = []


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("libreoffice") is None or soffice_path() is not None:
        return
    if REQUIRE_LIBREOFFICE:
        pytest.fail(f"KPIBOOK_REQUIRE_LIBREOFFICE is set but {NO_SOFFICE}", pytrace=False)
    _skipped_for_soffice.append(item.nodeid)
    pytest.skip(NO_SOFFICE)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _parity_report:
        terminalreporter.section("parity")
        for line in _parity_report:
            terminalreporter.write_line(line)
    if _skipped_for_soffice:
        terminalreporter.section("LibreOffice missing", sep="!", red=True, bold=True)
        terminalreporter.write_line(f"{len(_skipped_for_soffice)} test(s) skipped. {NO_SOFFICE}", red=True)


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice executable (the libreoffice marker's gate has already run)."""
    exe = soffice_path()
    if exe is None:  # only reached by a test that uses the fixture without the marker
        if REQUIRE_LIBREOFFICE:
            pytest.fail(f"KPIBOOK_REQUIRE_LIBREOFFICE is set but {NO_SOFFICE}", pytrace=False)
        pytest.skip(NO_SOFFICE)
    return exe


@pytest.fixture(scope="session")
def parity_report() -> list[str]:
    """Lines for the "parity" section of the test summary (counts of cases and mismatches)."""
    return _parity_report


@pytest.fixture(scope="session")
def spec() -> Spec:
    """The bundled roles.toml (tests/common.py loads it once per process)."""
    return bundled_spec()


@pytest.fixture
def english() -> Iterator[None]:
    """The messages a test reads are the English ones, whatever the machine's locale
    (a module asks for it with `pytestmark = pytest.mark.usefixtures("english")`)."""
    previous = messages.chosen_language()
    messages.set_language("en")
    yield
    messages.restore_language(previous)
