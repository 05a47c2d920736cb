"""The page when the server stops answering mid-use, and how a running card speaks of its stages and requeues.

A server of its own per test (no workers, on loopback) that the test stops and starts again on the
same port and data, as a person restarting `reelgen serve` would.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Route, expect

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.api.sse import format_event
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.web.conftest import Served, Tab, _ThreadServer, free_port, press_generate, wait_until_ready


class Restartable:
    """A quiet server that can be stopped and started again at the same address and data."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        self.running: tuple[_ThreadServer, threading.Thread] | None = None
        self.served = Served(f"http://127.0.0.1:{self.port}", data_dir)

    def start(self) -> None:
        settings = ApiSettings(jobs=JobSettings(data_dir=self.data_dir))
        app = create_app(settings, start_service=False)
        # A 2 s limit on closing open connections: the page follows the queue head's event stream, and
        # stop() waited the whole 30 s of its join for that stream before uvicorn let go.
        server = _ThreadServer(
            uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", timeout_graceful_shutdown=2
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        self.running = (server, thread)
        wait_until_ready(f"{self.served.url}/healthz", thread.is_alive, 60)

    def stop(self) -> None:
        assert self.running is not None
        server, thread = self.running
        server.should_exit = True
        thread.join(timeout=30)
        self.running = None


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[Restartable]:
    server = Restartable(tmp_path / "server")
    server.start()
    yield server
    if server.running:
        server.stop()


#: Keeps every text a card's step line shows in ``window.steps``, from the first.
RECORD_STEPS = """
  window.steps = [];
  new MutationObserver(() => {
    for (const s of document.querySelectorAll(".card .step")) window.steps.push(s.textContent);
  }).observe(document, { subtree: true, childList: true, characterData: true });
"""


def shown_running(video_id: str) -> Callable[[Route], None]:
    """A route for the video listing that shows ``video_id`` as started: the quiet server has no worker,
    and a live server's listing would."""

    def running(route: Route) -> None:
        page_of = route.fetch().json()
        for v in page_of["data"]:
            if v["id"] == video_id:
                v["status"] = "in_progress"
        route.fulfill(json=page_of)

    return running


def test_a_stopped_server_is_said_and_the_page_recovers_when_it_is_back(
    restartable: Restartable, tab: Callable[..., Tab], shots: Path
) -> None:
    t = tab()
    page = t.open(restartable.served.url)
    offline = page.locator("#offline")
    expect(offline).to_be_hidden()

    restartable.stop()
    page.fill("#f-prompt", "a fox while the server is down")
    page.click("#f-submit")
    form_error = page.locator("#create-form .form-error")
    expect(form_error).to_have_text(
        "Could not send: the server is not answering; it may be stopped or restarting."
    )
    expect(offline).to_be_visible()
    expect(offline).to_contain_text("Lost contact with the server")

    # The gallery does not pass off a server that did not answer as one with no videos.
    page.click("#tab-gallery")
    expect(page.locator("#gallery-error")).to_contain_text(
        "Could not load the gallery: the server is not answering"
    )
    expect(page.get_by_text("No finished videos yet")).to_be_hidden()
    expect(page.locator("#gallery-older")).to_be_disabled()  # no page was loaded to go past
    page.screenshot(path=shots / "server-stopped.png")

    restartable.start()
    expect(offline).to_be_hidden(timeout=30_000)
    # Back: the view on screen loads again by itself.
    expect(page.locator("#gallery-error")).to_be_hidden()
    expect(page.get_by_text("No finished videos yet")).to_be_visible()
    page.click("#tab-create")
    status, _ = press_generate(page)
    assert status == 202
    expect(form_error).to_be_hidden()
    expect(page.locator(".card")).to_have_count(1)
    assert t.errors == []


def test_a_failed_delete_in_the_gallery_is_shown_on_the_video(
    restartable: Restartable, tab: Callable[..., Tab]
) -> None:
    """Deleting while the server is down says why nothing happened, on the item itself."""
    video = restartable.served.create(model="reelgen-micro")
    t = tab()
    # The quiet server never runs the job: the gallery is shown it as finished.
    done = {**video, "status": "completed", "progress": 100, "completed_at": video["created_at"]}

    def as_completed(route: Route) -> None:
        route.fulfill(
            json={
                "object": "list",
                "data": [done],
                "has_more": False,
                "first_id": video["id"],
                "last_id": video["id"],
            }
        )

    t.context.route(lambda url: "/v1/videos?status=completed" in url, as_completed)
    page = t.open(restartable.served.url + "/#gallery")
    item = page.locator(f'.gallery-item[data-id="{video["id"]}"]')
    expect(item).to_be_visible()
    restartable.stop()
    page.once("dialog", lambda dialog: dialog.accept())  # "Delete ... and its video file ...?"
    item.get_by_role("button", name="Delete").click()
    expect(item.locator(".card-error[role=alert]")).to_have_text(
        "Not deleted: the server is not answering; it may be stopped or restarting"
    )


def test_a_stage_without_steps_is_named_alone_and_a_silent_stream_says_so(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """The worker reports its plan, before it loads the model, as step 0 of 0; the card says "Loading the
    model" (it said "Planning" for the whole load), not "plan: step 0 of 0".
    When the stream then ends with no final event, the old step and its ETA do not stand as if current."""
    video = quiet_server.create(model="reelgen-micro")
    t = tab()
    texts: list[str] = []

    running = shown_running(video["id"])

    def events(route: Route) -> None:
        plan = {"stage": "plan", "step": 0, "total": 0, "progress": 0}
        body = format_event("open", {"after": 0}, retry_ms=60_000) + format_event(
            "progress", plan, event_id=1
        )
        texts.append(body)
        route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=body)

    t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), running)
    t.context.route(f"**/v1/videos/{video['id']}/events", events)
    # Every text a card's step line shows, from the first: the plan event comes as soon as the card does.
    t.page.add_init_script(RECORD_STEPS)
    t.page.goto(quiet_server.url)
    card = t.page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card.locator(".step")).to_have_text("No word from the server; reconnecting…")
    seen: list[Any] = t.page.evaluate("window.steps")
    assert "Loading the model" in seen, seen
    assert not any("step 0 of 0" in s for s in seen), seen
    assert texts, "the page never opened the event stream"
    assert json.loads(texts[0].split("data: ")[-1])["stage"] == "plan"


def test_a_requeued_job_starts_its_bar_over_and_says_why(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """A worker lost mid-run puts the job back in line: the card drops the lost attempt's progress and
    preview and says why, and the next attempt's progress is shown as it is, not held at the old mark."""
    video = quiet_server.create(model="reelgen-micro")
    t = tab()
    why = "no progress for 120 s (REELGEN_HEARTBEAT_TIMEOUT_S); its worker was restarted"
    pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
    lost = {"stage": "denoise", "step": 12, "total": 20, "progress": 60, "preview": pixel}
    again = {"stage": "denoise", "step": 2, "total": 20, "progress": 10, "eta_s": 119.6}
    # Three streams, each cut after its events (the page resumes from the last id), so the page is
    # seen between them: the lost attempt running, the requeue, the next attempt.
    parts = [
        [("started", {"status": "in_progress", "attempt": 1}), ("progress", lost)],
        [("queued", {"status": "queued", "attempt": 1, "reason": why})],
        [("started", {"status": "in_progress", "attempt": 2}), ("progress", again)],
    ]
    streams: list[str] = []
    seq = 0
    for i, part in enumerate(parts):
        body = format_event("open", {"after": seq}, retry_ms=100 if i < len(parts) - 1 else 60_000)
        for name, data in part:
            seq += 1
            body += format_event(name, data, event_id=seq)
        streams.append(body)
    asked: list[str | None] = []

    def events(route: Route) -> None:
        asked.append(route.request.headers.get("last-event-id"))
        body = streams[min(len(asked), len(streams)) - 1]
        route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=body)

    running = shown_running(video["id"])

    t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), running)
    t.context.route(f"**/v1/videos/{video['id']}/events", events)
    t.page.add_init_script("""
      window.shown = [];
      new MutationObserver(() => {
        for (const c of document.querySelectorAll(".card")) {
          window.shown.push([c.querySelector("progress").getAttribute("aria-valuetext"),
            c.querySelector(".step").textContent, c.querySelector("img.preview").hidden]);
        }
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    """)
    t.page.goto(quiet_server.url)
    card = t.page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card.locator("progress")).to_have_attribute("aria-valuetext", "10%")
    assert card.locator("progress").get_attribute("value") == "10"
    expect(card.locator("img.preview")).to_be_hidden()  # the lost attempt's picture is gone
    assert asked[:3] == [None, "2", "3"]
    shown: list[list[Any]] = t.page.evaluate("window.shown")
    lost_at = shown.index(["60%", "Generating: step 12 of 20", False])
    back = ["0%", f"Back in line, to start over ({why}). Waiting", True]
    assert back in shown[lost_at:], shown
    # The next attempt from its own start; its ETA of 119.6 s is two minutes, not "1 min 60 s".
    assert ["10%", "Generating: step 2 of 20 · about 2 min 00 s left", True] in shown[shown.index(back) :], (
        shown
    )
    quiet_server.http.delete(f"/v1/videos/{video['id']}")


def test_a_page_opened_after_a_requeue_still_says_why_the_job_waits(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """A job whose worker died waits again; a page opened after that says so, from the job's stored
    events, read once: no stream stays open for it, and a job waiting its first turn behind others opens
    none."""
    requeued = quiet_server.create(model="reelgen-micro", prompt="a fox, second try")
    first_turn = quiet_server.create(model="reelgen-micro", prompt="a fox, first turn")
    store = JobStore(f"sqlite:///{quiet_server.data_dir / 'jobs.db'}")
    try:
        claimed = store.claim_next("gone-worker", job_id=requeued["id"])
        assert claimed is not None
        store.progress(claimed.id, claimed.token, stage="denoise", step=3, total=20)
        store.requeue_or_fail(claimed.id, claimed.token, message="its worker process died")
    finally:
        store.close()
    assert quiet_server.http.get(f"/v1/videos/{requeued['id']}").json()["attempts"] == 1

    t = tab()
    asked: list[str] = []
    t.page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/events") else None)
    hung_up = f"/v1/videos/{requeued['id']}/events"
    with t.page.expect_event("requestfailed", lambda r: r.url.endswith(hung_up)):
        page = t.open(quiet_server.url)
        card = page.locator(f'.card[data-id="{requeued["id"]}"]')
        # Other tests' jobs may wait on this shared server too: the place in line is not fixed.
        expect(card.locator(".step")).to_have_text(
            re.compile(r"^Back in line, to start over \(its worker process died\)\. Waiting")
        )
    other = page.locator(f'.card[data-id="{first_turn["id"]}"]')
    expect(other.locator(".step")).to_have_text(re.compile(r"^Waiting: \d+ ahead of it$"))
    # Only the next in line of other tests' jobs left waiting gets a stream (it hears of its start at once).
    ours = [u for u in asked if requeued["id"] in u or first_turn["id"] in u]
    assert ours == [quiet_server.url + hung_up]

    # Its next attempt starts: the card says so, not that it waits (nor why it did).
    store = JobStore(f"sqlite:///{quiet_server.data_dir / 'jobs.db'}")
    try:
        assert store.claim_next("next-worker", job_id=requeued["id"]) is not None
    finally:
        store.close()
    expect(card.locator(".status")).to_have_text("Running")
    expect(card.locator(".step")).to_have_text("Starting…")
    for video in (requeued, first_turn):
        quiet_server.http.delete(f"/v1/videos/{video['id']}")
    assert t.errors == []


def test_a_slow_server_is_said_to_be_loading_not_to_have_an_empty_queue(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Until the models came, the queue read "Nothing queued" over a server with jobs waiting, and
    # the Create area was blank.
    video = quiet_server.create(model="reelgen-micro", prompt="waiting behind a slow server")
    t = tab()
    held: list[Route] = []
    t.context.route("**/v1/models", lambda route: held.append(route))
    t.page.goto(quiet_server.url, wait_until="domcontentloaded")
    expect(t.page.locator("#page-loading")).to_have_text("Loading the models from the server…")
    expect(t.page.locator("#queue-empty")).to_have_text("Loading the queue…")
    assert "Nothing queued" not in t.page.locator("#queue").inner_text()
    held[0].continue_()
    t.page.wait_for_selector("body[data-ready=true]")
    expect(t.page.locator("#page-loading")).to_be_hidden()
    expect(t.page.locator(f'.card[data-id="{video["id"]}"]')).to_be_visible()
    expect(t.page.locator("#queue-empty")).to_be_hidden()
    quiet_server.http.delete(f"/v1/videos/{video['id']}")
