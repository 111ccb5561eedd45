"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live server.

CI installs Chromium (`.ci/services`); a missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("JILIANG_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in
    # its own thread, but fixtures that touch the database here must be allowed to.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page in a fresh context (no cookies, so no language or login carried over between tests)."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
