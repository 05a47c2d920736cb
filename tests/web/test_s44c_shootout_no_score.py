"""A shoot-out's card says "not queued" for trials with no job and shows no score for a model that finished none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

ID = "video_5e1f0000000000000000000000000c44"
SHOOTOUT: dict[str, Any] = {
    "id": ID,
    "object": "shootout",
    "status": "completed",
    "models": ["reelgen-micro", "wan-i2v-tiny"],
    "prompts": ["p1", "p2"],
    "progress": 100,
    "created_at": 1_700_000_000,
    "output_folder": "/shots/compare",
    "request_counts": {
        "total": 4,
        "queued": 0,
        "in_progress": 0,
        "completed": 2,
        "failed": 0,
        "cancelled": 0,
    },
    "ranking": [
        {"model": "reelgen-micro", "score": 61.25, "done": 2, "trials": 2},
        {"model": "wan-i2v-tiny", "score": 0.0, "done": 0, "trials": 2},
    ],
    "trials": [],
}


def test_a_model_with_no_finished_trial_has_no_score_and_unqueued_trials_are_said_so(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    t.context.route(lambda url: url.endswith("/v1/shootouts?limit=20"), listing([SHOOTOUT]))
    t.context.route(f"**/v1/shootouts/{ID}/items", listing([]))
    t.context.route(lambda url: url.endswith("/v1/batches?limit=20"), listing([]))
    page = t.open(f"{quiet_server.url}/#shootouts")
    card = page.locator(f'.parent[data-id="{ID}"]')
    expect(card.locator(".counts")).to_have_text("4 trials: 2 done · 2 not queued")
    rows = card.locator("table.ranking tbody tr")
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("61.3")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("\u2014")
    assert t.errors == []
