"""A gallery the server refused to list (a 429 or 503 that says when to come back) offers to try again.

"Could not load the gallery: … (try again in about 3 s)" stood with nothing to press: the gallery loads
again by itself only after the server could not be reached at all, and an answer of 429 is an answer.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab


def test_a_refused_gallery_has_a_try_again_button_that_loads_it(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    asked: list[str] = []

    def busy_once(route: Route) -> None:
        asked.append(route.request.url)
        if len(asked) > 1:
            return route.continue_()
        error = {
            "message": "too many requests; slow down",
            "type": "rate_limit_error",
            "param": None,
            "code": None,
        }
        return route.fulfill(status=429, headers={"Retry-After": "3"}, json={"error": error})

    t = tab()
    t.page.route("**/v1/videos?status=completed*", busy_once)
    page = t.open(f"{quiet_server.url}/#gallery")
    failed = page.locator("#gallery-error")
    expect(failed).to_contain_text(
        "Could not load the gallery: too many requests; slow down (try again in about 3 s)."
    )
    failed.get_by_role("button", name="Try again").click()
    expect(failed).to_be_hidden()
    expect(page.locator("#gallery-page")).to_have_text("Page 1")
    assert len(asked) == 2
    assert t.errors == []
