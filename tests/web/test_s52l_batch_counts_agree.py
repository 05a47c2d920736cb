"""A finished batch's card said "3 items: 1 done · 2 not queued" over its own summary's "1 of 3 done,
1 failed, 1 skipped" (an image missing, a flat keyframe): both lines now count the same items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

ID = "video_ba7c0000000000000000000000052l02"
SUMMARY: dict[str, Any] = {
    "total": 3,
    "done": 1,
    "reused": 0,
    "failed": [
        {
            "output": "o3",
            "reason": "items[2].images[0]: missing.png does not exist",
            "code": "invalid_request",
        }
    ],
    "skipped": [{"output": "o2", "reason": "keyframe scored 0.00 (threshold 0.5)", "code": "not_viable"}],
    "time_s": 1.5,
    "outputs": ["/shots/outputs/o1.mp4"],
}
BATCH: dict[str, Any] = {
    "id": ID,
    "object": "batch",
    "status": "completed",
    "name": "",
    "model": "ltx-tiny",
    "progress": 100,
    "created_at": 1_700_000_000,
    "input_folder": "/shots",
    "output_folder": "/shots/outputs",
    # As the server counts them: only o1 had a job.
    "request_counts": {
        "total": 3,
        "queued": 0,
        "in_progress": 0,
        "completed": 1,
        "failed": 0,
        "cancelled": 0,
    },
    "summary": SUMMARY,
    "summary_file": "/shots/outputs/batch-summary.json",
}


def test_the_batch_cards_count_says_failed_and_skipped_as_its_summary_does(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    t.context.route(lambda url: url.endswith("/v1/batches?limit=20"), listing([BATCH]))
    t.context.route(f"**/v1/batches/{ID}/items", listing([]))
    page = t.open(f"{quiet_server.url}/#batches")
    card = page.locator(f'.parent[data-id="{ID}"]')
    expect(card.locator(".summary-counts")).to_have_text("1 of 3 done, 1 failed, 1 skipped")
    expect(card.locator(".counts")).to_have_text("3 items: 1 done, 1 failed, 1 skipped")
    assert t.errors == []
