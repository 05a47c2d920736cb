"""A shoot-out started elsewhere (another tab, a script) shows on an open Shoot-outs view, on top.

The Batches and Shoot-outs lists were asked for only when their view was opened: one started from
another tab or `reelgen shootout --server` never showed on a view left open. Now the newest page is
asked again every few seconds while the view is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_a_shoot_out_started_elsewhere_shows_up(
    quiet_server: Served, tab: Callable[..., Tab], batch_roots: Path
) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#shootouts")
    expect(page.locator("#shootouts-status")).not_to_be_empty()
    folder = batch_roots / "s60d-elsewhere"
    folder.mkdir(exist_ok=True)
    body = {
        "models": ["reelgen-micro"],
        "prompts": {"prompts": ["a fox started by a script"]},
        "output_folder": str(folder),
    }
    answer = quiet_server.http.post("/v1/shootouts", json=body)
    assert answer.status_code == 202, answer.text
    started = answer.json()["id"]
    expect(page.locator("#shootouts-list > li").first).to_have_attribute("data-id", started, timeout=15_000)
    quiet_server.http.post(f"/v1/shootouts/{started}/cancel")
    expect(page.locator(f'.parent[data-id="{started}"] .card-head .status')).to_have_text("Cancelled")
    quiet_server.http.delete(f"/v1/shootouts/{started}")
    assert t.errors == []
