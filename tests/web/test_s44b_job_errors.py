"""A failed job's card names a LoRA or keyframe row as the create form does, and does not call an accepted job refused."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from reelgen.jobs.store import JobStore
from tests.web.conftest import Served, Tab

MISMATCH = "mismatch.safetensors has no layer that reelgen-micro has: it was made for another model"


def test_a_failed_jobs_card_says_lora_1_and_not_refused(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    job = quiet_server.create(model="reelgen-micro", prompt="a fox in a LoRA made for another model")
    store = JobStore(f"sqlite:///{quiet_server.data_dir / 'jobs.db'}")
    try:
        claimed = store.claim_next("a-worker", job_id=job["id"])
        assert claimed is not None
        store.fail(claimed.id, claimed.token, "invalid_request", f"loras[0].path: {MISMATCH}")
    finally:
        store.close()
    t = tab()
    page = t.open(quiet_server.url)
    card = page.locator(f'.card[data-id="{job["id"]}"]')
    expect(card.locator(".status")).to_have_text("Failed")
    # Not "loras[0].path: ... (the request was refused)": the job was accepted, then failed.
    expect(card.locator(".card-error")).to_have_text(f"LoRA 1: {MISMATCH}")
    said = page.evaluate(
        """async () => { const { errorText } = await import("./js/words.js");
        return [
          { code: "invalid_value", message: "keyframes[1].frame: 99 is past the clip's last frame 48" },
          { code: "generation_failed", message: "loras[2].strength: made the video all black" },
          { code: "invalid_request", message: "scenes[0].loras: not a list" },
          { code: "invalid_request" },
        ].map(errorText); }"""
    )
    assert said == [
        "Keyframe 2 frame: 99 is past the clip's last frame 48",
        "LoRA 3 strength: made the video all black (the model made no usable video)",
        "scenes[0].loras: not a list",
        "Its settings could not be used",
    ]
    quiet_server.http.delete(f"/v1/videos/{job['id']}")
    assert t.errors == []
