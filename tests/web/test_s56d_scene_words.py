"""A project just made showed a red "Missing" badge on every scene and "0 rendered, 0 stale, 2 missing", which
read as an error to a new user (what it meant was only in a tooltip); an unrendered scene now reads "Not
rendered" and the tally "2 not rendered"."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab

PROJECT = (
    "title: Scene words\nscenes:\n  - id: circle\n    prompt: a red circle\n    duration: 1\n"
    "  - id: square\n    prompt: a blue square\n    duration: 1\n"
)


def test_an_unrendered_scene_is_said_not_rendered(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    made = quiet_server.http.post("/v1/projects", data={"project": PROJECT})
    assert made.status_code in (200, 201), made.text
    project_id = made.json()["id"]
    t = tab()
    page = t.open(f"{quiet_server.url}/#projects")
    card = page.locator(f'[data-id="{project_id}"]')
    expect(card.locator(".scene[data-scene=circle] .badge")).to_have_text("Not rendered")
    expect(card).to_contain_text("0 rendered, 0 stale, 2 not rendered")
    expect(card).not_to_contain_text("Missing")
    assert t.errors == []
    quiet_server.http.delete(f"/v1/projects/{project_id}")
