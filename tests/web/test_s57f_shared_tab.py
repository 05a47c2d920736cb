"""One page load shared by the tests of a module that each read or fill a part of the same page (a load costs
about a CPU-second of Chromium's), recording off-host requests and page errors as the ``tab`` fixture does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Request, expect

from tests.web.conftest import LOOPBACK, Served, Tab


@contextmanager
def shared_tab(
    chromium: Browser, url: str, batch_roots: Path | None, viewport: tuple[int, int] = (1280, 900)
) -> Iterator[Tab]:
    """A tab opened on ``url`` once, for a module's tests; closed after the last of them.

    REELGEN_BATCH_ROOTS stays ``batch_roots`` (None: unset) while it is open, as the autouse
    ``_batch_roots`` fixture sets it for each test: the quiet server reads it at every request, and a
    module fixture starts before that one.
    """
    with pytest.MonkeyPatch.context() as env:
        if batch_roots is None:
            env.delenv("REELGEN_BATCH_ROOTS", raising=False)
        else:
            env.setenv("REELGEN_BATCH_ROOTS", str(batch_roots))
        context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        blocked: list[str] = []
        errors: list[str] = []

        def note(request: Request) -> None:
            host = urlsplit(request.url).hostname or ""
            if not (request.url.startswith(("data:", "blob:")) or host in LOOPBACK):
                blocked.append(request.url)

        context.on("request", note)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        tab = Tab(page, context, blocked, errors)
        try:
            tab.open(url)
            yield tab
        finally:
            context.close()


def test_a_shared_tab_records_what_the_page_asked_of_other_hosts_and_its_errors(
    chromium: Browser, quiet_server: Served, batch_roots: Path
) -> None:
    with shared_tab(chromium, f"{quiet_server.url}/#batches", batch_roots) as t:
        # The batch form is offered: the server had its batch folders while the page loaded.
        expect(t.page.locator("#batch-form").get_by_role("button", name="Start batch")).to_be_visible()
        assert t.blocked == [] and t.errors == []
        with t.page.expect_event("pageerror"):
            t.page.evaluate("() => { setTimeout(() => { throw new Error('thrown by the page'); }); }")
        assert t.errors == ["thrown by the page"], t.errors
        # The page's own policy lets it ask no other host: a blank page of the same context does.
        blank = t.context.new_page()
        with blank.expect_request("http://example.invalid/x"):
            blank.evaluate("() => { fetch('http://example.invalid/x').catch(() => {}); }")
        assert t.blocked == ["http://example.invalid/x"]
