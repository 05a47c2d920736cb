"""A full queue's refusal on the Create form says when to try again, as the server's Retry-After does.

The form showed only "The queue is full (1 job waiting, limit 1); retry later": how much later, the
server had said in its Retry-After header, which the command line reads and the page dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, press_generate


def test_a_full_queue_says_when_to_try_again(
    serve_app: Callable[..., Served], tab: Callable[..., Tab], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_MAX_QUEUE", "1")  # read as this test's own server starts
    server = serve_app()
    server.create(model="reelgen-micro")  # no worker: it stays queued and fills the queue
    page = tab().open(server.url)
    page.select_option("#f-model", "reelgen-micro")
    page.fill("#f-prompt", "a second fox")
    status, _ = press_generate(page)
    assert status == 429
    expect(page.locator("#create-form .form-error")).to_have_text(
        re.compile(r"^The queue is full \(1 job waiting, limit 1\); try again in about (\d+ min )?\d+ s\.?$")
    )


def test_an_engine_restarting_says_when_to_try_again_once(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    said = "the engine is restarting; new jobs are taken again in a few seconds, retry then"
    error = {"message": said, "type": "api_error", "param": None, "code": "engine_unavailable"}
    t = tab()
    t.page.route(
        "**/v1/videos",
        lambda route: route.fulfill(status=503, headers={"Retry-After": "5"}, json={"error": error}),
    )
    page = t.open(quiet_server.url)
    page.fill("#f-prompt", "a fox")
    page.click("#f-submit")
    # Not "..., retry then (try again in about 5 s)": the wait replaces the vague ending.
    expect(page.locator("#create-form .form-error")).to_have_text(
        re.compile(
            r"^The engine is restarting; new jobs are taken again in a few seconds, try again in about 5 s\.?$"
        )
    )
