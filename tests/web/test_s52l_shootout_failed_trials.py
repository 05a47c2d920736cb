"""A shoot-out whose image-to-video trials failed before any job (no start image) said "2 not queued" on
its card, over those trials' own errors and the API's "failed": the count now says they failed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

ID = "video_5e1f0000000000000000000000052l01"
WHY = "svd-tiny needs a start image and this prompt has none"


def trial(model: str, prompt: str, status: str) -> dict[str, Any]:
    error = {"message": WHY, "code": "invalid_request", "param": "images"} if status == "failed" else None
    score = 0.0 if error else 60.0
    key = f"{model}--{prompt}"
    return {"key": key, "model": model, "prompt_id": prompt, "status": status, "score": score, "error": error}


SHOOTOUT: dict[str, Any] = {
    "id": ID,
    "object": "shootout",
    "status": "completed",
    "models": ["mochi-tiny", "svd-tiny"],
    "prompts": ["p1", "p2"],
    "progress": 100,
    "created_at": 1_700_000_000,
    "output_folder": "/shots/compare",
    # As the server counts them: the two svd-tiny trials never had a job.
    "request_counts": {
        "total": 4,
        "queued": 0,
        "in_progress": 0,
        "completed": 2,
        "failed": 0,
        "cancelled": 0,
    },
    "ranking": [
        {"model": "mochi-tiny", "score": 60.0, "done": 2, "trials": 2},
        {"model": "svd-tiny", "score": 0.0, "done": 0, "trials": 2},
    ],
    "trials": [
        trial("mochi-tiny", "p1", "done"),
        trial("mochi-tiny", "p2", "done"),
        trial("svd-tiny", "p1", "failed"),
        trial("svd-tiny", "p2", "failed"),
    ],
}


def test_trials_that_failed_before_any_job_are_counted_failed(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    t.context.route(lambda url: url.endswith("/v1/shootouts?limit=20"), listing([SHOOTOUT]))
    t.context.route(f"**/v1/shootouts/{ID}/items", listing([]))
    t.context.route(lambda url: url.endswith("/v1/batches?limit=20"), listing([]))
    page = t.open(f"{quiet_server.url}/#shootouts")
    card = page.locator(f'.parent[data-id="{ID}"]')
    expect(card).to_contain_text(WHY)
    expect(card.locator(".counts")).to_have_text("4 trials: 2 done, 2 failed")
    assert t.errors == []
