"""A render started elsewhere (another tab, `reelgen project render --server`) shows on an open Projects view.

The view asked for the list only when it was opened: the other tab's card went on saying "0 rendered, 0
stale, 1 not rendered" with "Render 1 scene" offered and no job, while the scene rendered, and still
after it was done. Now the list is asked again every few seconds while the view is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab

PROJECT = "title: Elsewhere\nscenes:\n  - id: harbour\n    prompt: boats at dawn\n    duration: 1\n"


def test_a_render_started_elsewhere_shows_on_the_card(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    made = quiet_server.http.post("/v1/projects", data={"project": PROJECT})
    assert made.status_code in (200, 201), made.text
    project_id = made.json()["id"]
    t = tab()
    page = t.open(f"{quiet_server.url}/#projects")
    card = page.locator(f'.project[data-id="{project_id}"]')
    expect(card.get_by_role("button", name="Render 1 scene")).to_be_enabled()
    # The quiet server starts the render, whose scene then waits for a worker that never comes.
    job = quiet_server.http.post(f"/v1/projects/{project_id}/render", json={})
    assert job.status_code == 202, job.text
    expect(card.locator(".job-status")).to_have_text(re.compile("^Render: (queued|running)$"), timeout=15_000)
    expect(card.get_by_role("button", name="Cancel")).to_be_visible()
    expect(card.get_by_role("button", name="Render 1 scene")).to_be_disabled()
    # Deleted elsewhere, the card goes.
    assert (
        quiet_server.http.post(f"/v1/projects/{project_id}/jobs/{job.json()['id']}/cancel").status_code == 200
    )
    assert quiet_server.http.delete(f"/v1/projects/{project_id}").status_code in (200, 204)
    expect(card).to_have_count(0, timeout=15_000)
    assert t.errors == []
