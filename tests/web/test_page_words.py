"""The page says the API's words (task codes, field names, stage names, error codes, Pydantic bounds) as its own labels."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Route, expect

from reelgen.api.sse import format_event
from reelgen.jobs.store import JobStore
from tests.web.conftest import Served, Tab, press_generate


def test_create_errors_name_the_fields_and_tasks_as_the_form_does(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    loras = {"object": "list", "data": [{"name": "paper-cut", "family": None}], "folder": "/loras"}
    t.context.route("**/v1/loras", lambda route: route.fulfill(json=loras))
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "animatediff-tiny")
    status, body = press_generate(page)
    # The API says "t2v"; the form's button says "Text to video".
    assert status == 400 and " t2v " in body["error"]["message"], body
    expect(page.locator("#err-prompt")).to_have_text(
        "The prompt is empty; “Text to video” makes the video from it, so say what to show"
    )
    # Over the server's limit (GET /v1/system): refused under the box before anything is sent.
    page.fill("#f-prompt", "x" * 4001)
    page.click("#f-submit")
    expect(page.locator("#err-prompt")).to_have_text(
        "The prompt has 4,001 characters; this server takes at most 4,000 (REELGEN_MAX_PROMPT_CHARS): shorten it by 1."
    )

    page.fill("#f-prompt", "a paper fox")
    page.click("#f-lora-add")
    page.get_by_label("LoRA 1 strength").fill("9")
    status, body = press_generate(page)
    assert status == 400 and body["error"]["param"] == "loras[0].strength", body
    # Under the LoRAs, the row's control as the form names it, not "loras[0].strength: Input should be ...".
    expect(page.locator("#err-loras")).to_have_text("LoRA 1 strength: must be a number from -5 to 5")
    expect(page.get_by_label("LoRA 1 strength")).to_be_focused()
    assert t.errors == []


def test_cards_name_stages_and_error_codes_in_words(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    running = quiet_server.create(model="reelgen-micro", prompt="a fox, running")
    failed = quiet_server.create(model="reelgen-micro", prompt="a fox, too big")
    store = JobStore(f"sqlite:///{quiet_server.data_dir / 'jobs.db'}")
    try:
        claimed = store.claim_next("a-worker", job_id=failed["id"])
        assert claimed is not None
        store.fail(
            claimed.id, claimed.token, "out_of_memory", "the run did not fit on cuda:0, even offloaded"
        )
    finally:
        store.close()

    def listing(route: Route) -> None:
        answer = route.fetch().json()
        for v in answer["data"]:
            if v["id"] == running["id"]:
                v["status"] = "in_progress"
        route.fulfill(json=answer)

    # The worker's last denoising step, with an ETA of 0 s: decoding and writing the clip still follow.
    last = {"stage": "denoise", "step": 20, "total": 20, "progress": 95, "eta_s": 0.0}
    events = format_event("open", {"after": 0}, retry_ms=60_000) + format_event("progress", last, event_id=1)
    t = tab()
    t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), listing)
    t.context.route(
        f"**/v1/videos/{running['id']}/events",
        lambda route: route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=events),
    )
    # Every text the step line shows: the routed stream ends after its event, and the card then says so.
    t.page.add_init_script("""
      window.steps = [];
      new MutationObserver(() => {
        for (const s of document.querySelectorAll(".card .step")) window.steps.push(s.textContent);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    """)
    page = t.open(quiet_server.url)
    card = page.locator(f'.card[data-id="{running["id"]}"]')
    expect(card.locator(".step")).to_have_text("No word from the server; reconnecting…")
    steps = page.evaluate("window.steps")
    assert "Generating: step 20 of 20 · finishing…" in steps, steps
    assert not any("denoise" in s or "0 s left" in s for s in steps), steps
    gone = page.locator(f'.card[data-id="{failed["id"]}"]')
    expect(gone.locator(".status")).to_have_text("Failed")
    expect(gone.locator(".card-error")).to_have_text(
        "the run did not fit on cuda:0, even offloaded (out of memory)"
    )
    assert json.loads(events.split("data: ")[-1])["stage"] == "denoise"
    for video in (running, failed):
        quiet_server.http.delete(f"/v1/videos/{video['id']}")
    assert t.errors == []
