"""The Batches and Projects lists, refused by the server (a 429 or 503), offer to try again.

"Could not load the list: … (try again in about 3 s)." stood with nothing to press: an answer is not a
lost connection, so nothing loaded the list again until the person left the view and came back.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab

ERROR = {"message": "too many requests", "type": "rate_limit_error", "param": None, "code": None}


def busy_once(asked: list[str]) -> Callable[[Route], None]:
    def answer(route: Route) -> None:
        asked.append(route.request.url)
        if len(asked) > 1:
            return route.continue_()
        return route.fulfill(status=429, headers={"Retry-After": "3"}, json={"error": ERROR})

    return answer


def test_a_refused_list_has_a_try_again_button(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    batches: list[str] = []
    projects: list[str] = []
    t = tab()
    t.page.route("**/v1/batches?limit=*", busy_once(batches))
    t.page.route("**/v1/projects?limit=*", busy_once(projects))
    page = t.open(f"{quiet_server.url}/#batches")
    status = page.locator("#batches-status")
    expect(status).to_contain_text("Could not load the list: too many requests (try again in about 3 s).")
    status.get_by_role("button", name="Try again").click()
    expect(status).not_to_contain_text("Could not load")
    assert len(batches) == 2

    page.click("#tab-projects")
    status = page.locator("#projects-status")
    expect(status).to_contain_text("Could not load the projects: too many requests")
    status.get_by_role("button", name="Try again").click()
    expect(status).not_to_contain_text("Could not load")
    assert len(projects) == 2
    assert t.errors == []
