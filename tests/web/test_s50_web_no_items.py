"""A batch or shoot-out that made no item job (every item skipped or refused before it was queued)
showed an "Items" expander that opened on nothing; it shows once there is an item to list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

NONE_ID = "video_5e1f0000000000000000000000000050"
SOME_ID = "video_5e1f0000000000000000000000000051"


def _batch(id_: str, name: str) -> dict[str, Any]:
    counts = {"total": 1, "queued": 0, "in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0}
    summary = {"total": 1, "done": 0, "reused": 0, "failed": [], "time_s": 0.01, "render_hours": 0.0}
    skipped = {"output": "a", "reason": "keyframe scored 0.00 (threshold 0.5)", "code": "not_viable"}
    return {
        "id": id_,
        "object": "batch",
        "status": "completed",
        "name": name,
        "model": "ken-burns",
        "progress": 100,
        "created_at": 1_700_000_000,
        "input_folder": "/shots",
        "output_folder": "/shots/outputs",
        "request_counts": counts,
        "summary": {**summary, "skipped": [skipped], "price_per_gpu_hour": 0.0, "currency": "USD"},
    }


def test_the_items_expander_shows_only_with_items(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    item = {"key": "a", "status": "completed", "progress": 100, "error": None}
    t = tab()
    t.context.route(
        lambda url: url.endswith("/v1/batches?limit=20"),
        listing([_batch(NONE_ID, "all skipped"), _batch(SOME_ID, "one made")]),
    )
    t.context.route(f"**/v1/batches/{NONE_ID}/items", listing([]))
    t.context.route(f"**/v1/batches/{SOME_ID}/items", listing([item]))
    page = t.open(f"{quiet_server.url}/#batches")
    some = page.locator(f'.parent[data-id="{SOME_ID}"]')
    expect(some.locator(".items-box summary")).to_have_text("Items (1 job)")
    expect(some.locator(".items-box")).to_be_visible()
    none = page.locator(f'.parent[data-id="{NONE_ID}"]')
    expect(none.locator(".problems h4")).to_have_text("Skipped (1)")
    expect(none.locator(".items-box")).to_be_hidden()
    assert t.errors == []
