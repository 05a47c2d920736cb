"""One Playwright and one Debian Chromium per test process, shared by every test that opens a page.

Pages open in Chromium's headless shell (Debian's ``chromium-headless-shell``: the same Blink as the
browser, without the browser's own windows): in a full run it took about a quarter less CPU than the
whole browser in headless mode, browser and renderer processes alike. ``full_chromium`` is the whole
browser, for what only it does as a person's browser does (answering a notification prompt).

Playwright's sync API keeps an event loop on the thread that started it, and a second
``sync_playwright()`` on that thread is refused, so the web tests and the shoot-out report
test take the same session fixtures (registered in ``tests/conftest.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium-headless-shell"
FULL_CHROMIUM = "/usr/bin/chromium"
#: The discard port: no test server takes a port this low, and nothing listens on it here or on CI.
DEAD_PORT = 9
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # No request leaves the machine: every one but loopback's (which Chromium never proxies) goes to
    # a proxy on a loopback port nothing listens on, and fails at once.
    f"--proxy-server=http://127.0.0.1:{DEAD_PORT}",
]

#: Chromium features the tests turn off: the omnibox's popups are WebUI pages that Chromium renders ahead
#: of use, two a window, each in a renderer process of its own. Every browser context a test opens is a
#: window, and in the page tests those renderers took about a quarter of all CPU time; no test (and no
#: headless page) has an omnibox.
FEATURES_OFF = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")


def disable_features() -> list[str]:
    """``--disable-features`` with Playwright's own list and ``FEATURES_OFF``, or nothing if Playwright's
    list cannot be read. Chromium honours only the last ``--disable-features``, and Playwright's comes
    first: a second one of ours alone would turn Playwright's back on."""
    import playwright

    lib = Path(playwright.__file__).parent / "driver" / "package" / "lib"
    for source in (lib / "coreBundle.js", lib / "server" / "chromium" / "chromiumSwitches.js"):
        if source.is_file():
            found = re.search(r"disabledFeatures = \[(.*?)\]", source.read_text(), re.S)
            if found:
                names = re.findall(r'"([^"]*)"', re.sub(r"//[^\n]*", "", found.group(1)))
                return ["--disable-features=" + ",".join([*filter(None, names), *FEATURES_OFF])]
    return []


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


def _launch(playwright: Any, executable: str, package: str) -> Any:
    if not Path(executable).exists():
        pytest.fail(f"{executable} is missing: apt-get install {package} (never `playwright install`)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS + disable_features())


@pytest.fixture(scope="session")
def chromium(playwright: Any) -> Iterator[Any]:
    browser = _launch(playwright, CHROMIUM, "chromium-headless-shell")
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def full_chromium(playwright: Any) -> Iterator[Any]:
    """The whole browser: the headless shell answers a notification prompt nobody saw "default" where
    the browser answers "denied", and keeps ``Notification.permission`` "denied" after a grant."""
    browser = _launch(playwright, FULL_CHROMIUM, "chromium")
    yield browser
    browser.close()
