"""A project card's progress line goes once its render has ended: its status line and error say how.

The line kept the last event it was given: "first-shot: Generating: step 5 of 20 · 25%" stood under
"Render: cancelled" after Cancel, and "scene second-shot: failed" under a failure whose error named both
scenes; a reload showed neither. Here the job's stream first tells of a step (as a worker's would), then
the server's own stream tells of the cancel pressed on the card.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab

PROJECT = "title: Ended job\nscenes:\n  - id: first-shot\n    prompt: a red circle\n    duration: 1\n"
STEP = {"progress": 25, "scene": "first-shot", "stage": "denoise", "step": 5, "total": 20}


def test_a_cancelled_renders_step_line_goes(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    made = quiet_server.http.post("/v1/projects", data={"project": PROJECT})
    assert made.status_code in (200, 201), made.text
    project_id = made.json()["id"]
    job = quiet_server.http.post(f"/v1/projects/{project_id}/render", json={})
    assert job.status_code == 202, job.text
    told: list[str] = []

    def stream(route: Route) -> None:
        # The first connection tells of a step; the page's next one reaches the server's own stream.
        if told:
            route.continue_()
            return
        told.append(route.request.url)
        route.fulfill(
            status=200,
            headers={"Content-Type": "text/event-stream"},
            body=f"id: 1\nevent: progress\ndata: {json.dumps(STEP)}\n\n",
        )

    t = tab()
    t.context.route(lambda url: f"/v1/projects/{project_id}/jobs/" in url and url.endswith("/events"), stream)
    page = t.open(f"{quiet_server.url}/#projects")
    card = page.locator(f'.project[data-id="{project_id}"]')
    step = card.locator(".job .step")
    expect(step).to_have_text("first-shot: Generating: step 5 of 20 · 25%")
    card.get_by_role("button", name="Cancel").click()
    expect(card.locator(".job-status")).to_contain_text("Render: cancelled")
    expect(step).to_have_text("")
    assert t.errors == []
    quiet_server.http.delete(f"/v1/projects/{project_id}")
