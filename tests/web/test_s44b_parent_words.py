"""The Batches and Shoot-outs lists say what they count (a shoot-out's trials), show a finished one's items, and say errors as the cards do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

ID = "video_5e1f0000000000000000000000000001"
SHOOTOUT: dict[str, Any] = {
    "id": ID,
    "object": "shootout",
    "status": "completed",
    "models": ["reelgen-micro", "wan-tiny"],
    "prompts": ["p1"],
    "progress": 100,
    "created_at": 1_700_000_000,
    "output_folder": "/shots/compare",
    "request_counts": {
        "total": 3,
        "queued": 0,
        "in_progress": 0,
        "completed": 1,
        "failed": 1,
        "cancelled": 0,
    },
    "ranking": None,
}
FAILED = {
    "key": "reelgen-micro--p1",
    "status": "failed",
    "progress": 0,
    "error": {
        "code": "invalid_request",
        "message": "loras[0].path: paper.safetensors has no layer that reelgen-micro has",
    },
}


def test_a_shootouts_card_counts_trials_and_says_a_failed_trial_in_the_pages_words(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    t.context.route(lambda url: url.endswith("/v1/shootouts?limit=20"), listing([SHOOTOUT]))
    t.context.route(f"**/v1/shootouts/{ID}/items", listing([FAILED]))
    t.context.route(lambda url: url.endswith("/v1/batches?limit=20"), listing([]))
    page = t.open(f"{quiet_server.url}/#shootouts")
    card = page.locator(f'.parent[data-id="{ID}"]')
    # Not "1 shown." and "3 items: ...": the card's own line says "3 trials".
    expect(page.locator("#shootouts-status")).to_have_text("1 shoot-out shown.")
    expect(card.locator(".counts")).to_have_text("3 trials: 1 done, 1 failed · 1 not queued")
    # A finished shoot-out's trials come from its items list (no event brings them again).
    expect(card.locator(".items-box summary")).to_have_text("Trials (1 job)")
    card.locator(".items-box summary").click()
    # As a failed job's card says it: the LoRA's row, not "loras[0].path".
    expect(card.locator(".items li .card-error")).to_have_text(
        " — LoRA 1: paper.safetensors has no layer that reelgen-micro has"
    )
    page.locator("#tab-batches").click()
    expect(page.locator("#batches-status")).to_have_text("No batches yet.")
    assert t.errors == []
