"""Browser journeys: Debian's Chromium, driven by Playwright, against the live server that
pytest-django starts for the test. Tasks run in-process, so mail sent by the site lands in
`django.core.mail.outbox` where the test reads it, like a person reading their inbox.

Without Chromium the journeys are skipped with the reason; with REQUIRE_BROWSER=1 (CI
sets it) a missing Chromium fails them instead, so CI can never pass by skipping them.
At the end of the run the terminal summary lists each journey's outcome, the axe-core
result of every page checked, and where the screenshots are.
"""

import os
import shutil
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.browser.journey import AXE_TAGS, AXE_VERSION, BLOCKING_IMPACTS, BrowserReport, Journey

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"
REPORT = pytest.StashKey[BrowserReport]()
FAILED = pytest.StashKey[bool]()
BROWSER_TESTS = "tests/browser/"

# Headless, and nothing the browser would fetch on its own behalf (updates, sync, field
# trials, safe browsing lists): the only traffic is the journey's.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
]


def chromium_path() -> str | None:
    """CHROMIUM_PATH if set (and only that), else Debian's chromium on the PATH."""
    chosen = os.environ.get("CHROMIUM_PATH")
    candidate = chosen if chosen is not None else shutil.which("chromium")
    return candidate if candidate and Path(candidate).is_file() else None


def pytest_configure(config: pytest.Config) -> None:
    config.stash[REPORT] = BrowserReport(screenshots=SCREENSHOTS)


@pytest.fixture
def journey(
    request: pytest.FixtureRequest,
    live_server: object,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> Iterator[Journey]:
    executable = chromium_path()
    if executable is None:
        reason = (
            "needs Chromium (apt-get install -y chromium, or set CHROMIUM_PATH); CI installs it"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but no Chromium was found: {reason}")
        pytest.skip(reason)
    # Playwright's sync API keeps an asyncio loop running on this thread while it is
    # started, and Django refuses ORM calls from a thread with a running loop. The test's
    # own ORM calls (arranging data, reading what a page saved) are plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Links in emails point at the public address, as `make run` sets it from HOST/PORT.
    settings.SITE_URL = str(live_server)
    name = request.node.name.removeprefix("test_")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        run = Journey(name, browser, str(live_server), request.config.stash[REPORT])
        try:
            yield run
            if request.node.stash.get(FAILED, False):
                run.capture_failure()
            else:
                run.finish()
        finally:
            browser.close()
            # Database connections the test opened while Playwright ran belong to that
            # context; close them here, or one outlives the test database.
            connections.close_all()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    report = config.stash[REPORT]
    outcomes = {
        test.nodeid: outcome
        for outcome in ("passed", "failed", "error", "skipped")
        for test in terminalreporter.stats.get(outcome, [])
        if getattr(test, "nodeid", "").startswith(BROWSER_TESTS)
    }
    if not outcomes:
        return
    write = terminalreporter.write_line
    terminalreporter.section("Browser journeys (Chromium)")
    for nodeid, outcome in sorted(outcomes.items()):
        write(f"{outcome.upper():8} {nodeid}")
    if not report.checks:
        return
    impacts = [v["impact"] for check in report.checks for v in check.violations]
    blocking = sum(impact in BLOCKING_IMPACTS for impact in impacts)
    write(
        f"\naxe-core {AXE_VERSION} ({', '.join(AXE_TAGS)}) on {len(report.checks)} pages: "
        f"{blocking} serious or critical, {impacts.count('moderate')} moderate, "
        f"{impacts.count('minor')} minor violations"
    )
    for check in report.checks:
        found = ", ".join(f"{v['id']} ({v['impact']})" for v in check.violations) or "no violations"
        write(f"  {check.journey} {check.number:02d} {check.name} {check.path}: "
              f"{check.passes} rules passed, {found}")  # fmt: skip
    write(f"Screenshots: {report.screenshots}")
