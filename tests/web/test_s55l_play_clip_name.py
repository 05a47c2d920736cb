"""A rendered scene's "Play clip" button was named "Play the clip of scene square" for assistive technology,
so a voice-control user saying "click Play clip" (the words on it) reached nothing; its name now starts
with its visible words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab

PROJECT = "title: Voice names\nscenes:\n  - id: square\n    prompt: a blue square\n    duration: 1\n"


def test_play_clip_is_named_by_the_words_on_it(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    made = quiet_server.http.post("/v1/projects", json={"project": PROJECT})
    assert made.status_code in (200, 201), made.text
    project_id = made.json()["id"]

    def rendered(route: Route) -> None:
        # The quiet server runs nothing: its answer is given the scene as rendered, as a worker would leave it.
        answer = route.fetch().json()
        items = answer.get("data", [answer])
        for project in items:
            if project.get("id") == project_id:
                project["scenes"] = [_rendered(s) for s in project["scenes"]]
        route.fulfill(json=answer)

    t = tab()
    t.context.route(lambda url: "/v1/projects" in url and "/clips/" not in url, rendered)
    page = t.open(f"{quiet_server.url}/#projects")
    card = page.locator(f'[data-id="{project_id}"]')
    button = card.get_by_role("button", name="Play clip")
    expect(button).to_have_count(1)
    expect(button).to_have_text("Play clip")
    assert button.get_attribute("aria-label") == "Play clip of scene square"
    assert t.errors == []
    quiet_server.http.delete(f"/v1/projects/{project_id}")


def _rendered(scene: dict[str, Any]) -> dict[str, Any]:
    return {**scene, "status": "rendered", "key": "0123456789abcdef"}
