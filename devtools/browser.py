"""Debian's headless Chromium as the tests and benchmarks launch it.

The flags keep a machine without internet quiet (no background networking, updates or sync).
"""

import contextlib
import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium(browser=None):
    """``browser`` if given, else a Chromium of our own for the block, closed after it."""
    if browser is not None:
        yield browser
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        own = launch(playwright)
        try:
            yield own
        finally:
            own.close()


def launch(playwright):
    """A Playwright Browser on Debian's Chromium (never a downloaded browser build)."""
    if not CHROMIUM.is_file():
        raise FileNotFoundError(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
