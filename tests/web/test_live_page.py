"""The page in Chromium against a real `reelgen serve` (one CPU worker): progress, queue, cancel, play, remix.

Jobs run one at a time, so a long reelgen-micro job holds the worker while others wait behind it;
cancelling it lets the queue move, and the page shows each place in line as it counts down.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.web.conftest import Served, Tab, press_generate

#: Records every change of a card's place in line, status and progress, in order.
RECORDER = """() => {
  window.seen = [];
  const note = (card, what, value) => window.seen.push([card.dataset.id, what, value]);
  new MutationObserver((changes) => {
    for (const c of changes) {
      const card = c.target.closest && c.target.closest(".card");
      if (!card) continue;
      if (c.attributeName === "data-position") note(card, "position", card.dataset.position);
      if (c.attributeName === "data-status") note(card, "status", card.dataset.status);
      if (c.attributeName === "aria-valuetext") note(card, "progress", c.target.getAttribute("aria-valuetext"));
    }
  }).observe(document.getElementById("cards"), { subtree: true, attributes: true,
    attributeFilter: ["data-position", "data-status", "aria-valuetext"] });
}"""


def submit(page: Page, *, model: str, prompt: str, frames: int, steps: int) -> dict[str, Any]:
    """Fill the form as a person would and press Generate; returns the created video object."""
    page.select_option("#f-model", model)
    page.fill("#f-prompt", prompt)
    page.select_option("#f-frames", str(frames))
    page.fill("#f-steps", str(steps))
    status, body = press_generate(page)
    assert status == 202, body
    return dict(body)


def seen(page: Page, video_id: str, what: str) -> list[str]:
    """The values a card showed, in order, each change once (a redraw with the same value is not one)."""
    out: list[str] = []
    for i, w, v in page.evaluate("window.seen"):
        if i == video_id and w == what and (not out or out[-1] != v):
            out.append(v)
    return out


@pytest.fixture(scope="module")
def flow(live_server: Served, chromium: Any, shots: Path) -> Iterator[dict[str, Any]]:
    """One tab that queued a long job, two behind it, cancelled the long one and saw the rest finish."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.evaluate(RECORDER)

    # Long by its steps, not its frames: it only has to hold the worker until it is cancelled, and a
    # 121-frame step took a core for seconds beside the other test process.
    long = submit(page, model="reelgen-micro", prompt="a red circle moving right", frames=25, steps=1000)
    long_card = page.locator(f'.card[data-id="{long["id"]}"]')
    expect(long_card.locator(".step")).to_contain_text("step ", timeout=180_000)
    expect(long_card.locator("img.preview")).to_be_visible(timeout=60_000)
    # Whose progress it is, by the prompt's first words (a long one's whole text was read for every control).
    expect(long_card.locator("progress")).to_have_accessible_name(f"Progress of “{long['prompt']}”")

    # reelgen-micro's fewest frames: the clip only has to play, preview and be remixed and enhanced.
    first = submit(page, model="reelgen-micro", prompt="a blue square moving left", frames=13, steps=20)
    second = submit(page, model="wan-tiny", prompt="a fox in snow", frames=9, steps=2)
    second_card = page.locator(f'.card[data-id="{second["id"]}"]')
    expect(second_card).to_have_attribute("data-position", "1")
    expect(second_card.locator(".position")).to_have_text("2nd in line")
    page.screenshot(path=shots / "queue-running.png")

    long_card.get_by_role("button", name="Cancel").click()
    expect(long_card.locator(".status")).to_have_text("Cancelled", timeout=60_000)
    expect(second_card.locator(".status")).to_have_text("Done", timeout=180_000)
    yield {"page": page, "long": long, "first": first, "second": second, "server": live_server}
    context.close()


def test_queue_position_counts_down_and_progress_reaches_100(flow: dict[str, Any]) -> None:
    page, first, second = flow["page"], flow["first"], flow["second"]
    assert seen(page, second["id"], "position") == ["1", "0", ""]  # 2nd in line, next, running
    progress = [int(v.rstrip("%")) for v in seen(page, first["id"], "progress")]
    assert any(0 < p < 100 for p in progress) and progress[-1] == 100
    assert progress == sorted(progress)  # never goes backwards
    bar = page.locator(f'.card[data-id="{first["id"]}"] progress')
    assert bar.get_attribute("value") == "100"
    statuses = seen(page, first["id"], "status")
    assert statuses[-2:] == ["in_progress", "completed"]
    api = flow["server"].http.get(f"/v1/videos/{first['id']}").json()
    assert api["status"] == "completed" and api["progress"] == 100


def test_cancelled_job_is_marked_cancelled(flow: dict[str, Any]) -> None:
    page, long = flow["page"], flow["long"]
    card = page.locator(f'.card[data-id="{long["id"]}"]')
    assert card.get_attribute("data-status") == "cancelled"
    expect(card.get_by_role("button", name="Cancel")).to_have_count(0)
    assert flow["server"].http.get(f"/v1/videos/{long['id']}").json()["status"] == "cancelled"
    # Its reason once: "cancelled by request ..." read "cancelled by request ... (cancelled)".
    reason = card.locator(".card-error")
    expect(reason).to_contain_text("cancelled")
    assert not reason.inner_text().rstrip().endswith("(cancelled)")


def test_finished_video_plays_in_the_page(flow: dict[str, Any], shots: Path) -> None:
    page, first = flow["page"], flow["first"]
    video = page.locator(f'.card[data-id="{first["id"]}"] video')
    video.scroll_into_view_if_needed()
    duration = page.wait_for_function(
        "v => v.readyState >= 1 && v.duration > 0 && v.duration", arg=video.element_handle(), timeout=30_000
    ).json_value()
    assert duration == pytest.approx(13 / 12, abs=0.1)
    page.screenshot(path=shots / "queue-done.png")


def test_remix_prefills_the_form_and_queues_a_remix(flow: dict[str, Any], shots: Path) -> None:
    page, first = flow["page"], flow["first"]
    original = flow["server"].http.get(f"/v1/videos/{first['id']}").json()
    page.locator(f'.card[data-id="{first["id"]}"]').get_by_role("button", name="Remix").click()
    expect(page.locator("#remix-banner")).to_be_visible()
    assert page.input_value("#f-prompt") == original["prompt"]
    assert page.input_value("#f-model") == "reelgen-micro"
    assert page.input_value("#f-seed") == str(original["seed"]) and page.is_checked("#f-seed-lock")
    assert page.input_value("#f-steps") == "20" and page.input_value("#f-frames") == "13"
    assert page.is_disabled("#f-model") and page.is_disabled("#f-frames")
    page.screenshot(path=shots / "remix.png")
    page.fill("#f-prompt", "a blue square moving left, at night")
    page.fill("#f-steps", "3")
    with page.expect_response(lambda r: r.url.endswith("/remix")) as answer:
        page.click("#f-submit")
    remix = answer.value.json()
    assert answer.value.status == 202 and remix["remixed_from_video_id"] == first["id"]
    assert remix["seed"] == original["seed"] and remix["parameters"]["num_inference_steps"] == 3
    expect(page.locator("#remix-banner")).to_be_hidden()
    expect(page.locator(f'.card[data-id="{remix["id"]}"] .status')).to_have_text("Done", timeout=180_000)


def test_gallery_shows_parameters_and_use_these_settings(flow: dict[str, Any], shots: Path) -> None:
    page, first = flow["page"], flow["first"]
    page.click("#tab-gallery")
    item = page.locator(f'.gallery-item[data-id="{first["id"]}"]')
    expect(item).to_be_visible()
    expect(item.locator(".params")).to_contain_text("Steps20")
    expect(item.locator(".params")).to_contain_text("reelgen-micro")
    page.screenshot(path=shots / "gallery.png")
    item.get_by_role("button", name="Use these settings").click()
    expect(page.locator("#view-create")).to_be_visible()
    assert page.input_value("#f-prompt") == first["prompt"]
    assert page.input_value("#f-steps") == "20" and not page.is_disabled("#f-model")


def test_enhance_from_a_finished_cards_dialog(flow: dict[str, Any], shots: Path) -> None:
    """Enhance asks for what POST .../enhance takes, shows the API's refusal in words, and queues the job."""
    page, first = flow["page"], flow["first"]
    page.locator(f'.card[data-id="{first["id"]}"]').get_by_role("button", name="Enhance").click()
    dialog = page.locator("#enhance-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator('#enh-interpolate option[value="2"]')).to_have_text("×2 frames: 24 fps")
    page.fill("#enh-upscale", "9")
    page.click("#enh-submit")
    expect(page.locator("#enh-upscale-err")).to_have_text(
        "Sharper, larger: must be a number above 1 and at most 8"
    )
    page.select_option("#enh-interpolate", "2")
    page.select_option("#enh-interpolator", "flow")
    page.fill("#enh-upscale", "2")
    page.select_option("#enh-upscaler", "lanczos")
    expect(page.locator("#enh-upscale-err")).to_be_hidden()  # the refused value is gone, and its error
    expect(page.locator("#enh-size-note")).to_have_text("×2: 256×256 (from 128×128).")
    page.screenshot(path=shots / "enhance.png")
    with page.expect_response(lambda r: r.url.endswith(f"/{first['id']}/enhance")) as answer:
        page.click("#enh-submit")
    video = answer.value.json()
    assert answer.value.status == 202 and video["enhanced_from_video_id"] == first["id"], video
    assert (video["size"], video["fps"], video["num_frames"]) == ("256x256", 24.0, 25)
    expect(dialog).to_be_hidden()
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card.locator(".meta")).to_contain_text(f"enhanced from {first['id'][6:14]}")
    expect(card.locator(".status")).to_have_text("Done", timeout=180_000)
    assert card.locator("progress").get_attribute("value") == "100"
    expect(card.get_by_role("button", name="Remix")).to_have_count(0)  # /remix refuses an enhanced clip


def test_progress_resumes_after_a_dropped_connection(live_server: Served, tab: Callable[..., Tab]) -> None:
    """The first event stream is cut after its first progress event; the page reconnects with
    Last-Event-ID and still sees the job to the end."""
    t = tab()
    asked: list[dict[str, str]] = []
    # Jobs of earlier tests still queued or running on the shared server: the page follows every running
    # job, and fetching such a stream would hold route.fetch() until that job ends. Any other stream is
    # this test's job; the page opens it as soon as the create answers, which can be before submit()
    # below returns, so the handler cannot wait to learn the new id.
    others = {
        v["id"]
        for status in ("queued", "in_progress")
        for v in live_server.http.get("/v1/videos", params={"status": status, "limit": 100}).json()["data"]
    }

    def cut_first_stream(route: Route) -> None:
        if route.request.url.split("/v1/videos/")[1].split("/")[0] in others:
            route.fallback()
            return
        asked.append(route.request.headers)
        if len(asked) > 1:
            route.fallback()
            return
        # The stream, to its final event: as long as the job runs, so not Playwright's default 30 s
        # (a loaded 2-core machine once took longer than that for a 40-step job).
        whole = route.fetch(timeout=170_000).text()
        frames = whole.split("\n\n")
        upto = next(i for i, f in enumerate(frames) if "event: progress" in f)
        route.fulfill(
            status=200,
            headers={"content-type": "text/event-stream"},
            body="\n\n".join(frames[: upto + 1]) + "\n\n",
        )

    t.context.route("**/v1/videos/*/events", cut_first_stream)
    page = t.open(live_server.url)
    # Long enough (seconds) that the page sees it running: a waiting card follows the position poll, once
    # a second, and a job that starts and ends between two polls never gets a stream. 6 steps of 13
    # frames take about 3 CPU-s, two thirds of it the decode (15 of 25 frames took 9).
    video = submit(page, model="reelgen-micro", prompt="a fox, resumed", frames=13, steps=6)
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card.locator(".status")).to_have_text("Done", timeout=180_000)
    assert "last-event-id" not in asked[0]
    events = live_server.http.get(f"/v1/videos/{video['id']}/events").text.split("\n\n")
    first_progress = next(f for f in events if "event: progress" in f)
    assert asked[1]["last-event-id"] == first_progress.split("\n")[0].removeprefix("id: ")
    assert card.locator("progress").get_attribute("value") == "100"


#: The mean colour of an 8x8 grid over an image and over the video's frame at ``t``, as the browser draws them.
GRIDS = """async ([card, t]) => {
  const grid = (source) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 8;
    const g = canvas.getContext("2d");
    g.drawImage(source, 0, 0, 8, 8);
    return Array.from(g.getImageData(0, 0, 8, 8).data).filter((_, i) => i % 4 !== 3);
  };
  const video = card.querySelector("video");
  video.currentTime = t;
  await new Promise((done) => video.addEventListener("seeked", done, { once: true }));
  // "seeked" can come before the frame is painted on a loaded machine: wait two paints.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return [grid(card.querySelector("img.preview")), grid(video)];
}"""


def test_live_preview_shows_the_clips_colours(flow: dict[str, Any]) -> None:
    """The last preview (the clean latents at the final step) looks like the finished clip."""
    page, first = flow["page"], flow["first"]
    card = page.locator(f'.card[data-id="{first["id"]}"]')
    video = card.locator("video").element_handle()
    page.wait_for_function("v => v.readyState >= 2", arg=video, timeout=30_000)
    assert "step 20" in (card.locator("img.preview").get_attribute("alt") or "")
    # The preview is the middle latent frame: 13 frames make 4, and the 3rd covers frames 5-8.
    preview, frame = page.evaluate(GRIDS, [card.element_handle(), 6.5 / 12])
    error = sum(abs(a - b) for a, b in zip(preview, frame, strict=True)) / len(frame)
    if error >= 24:  # read once more, in case the frame was not yet painted, and say both
        preview, frame = page.evaluate(GRIDS, [card.element_handle(), 6.6 / 12])  # same frame, a new seek
        again = sum(abs(a - b) for a, b in zip(preview, frame, strict=True)) / len(frame)
        error, first_read = again, error
        assert error < 24, (
            f"preview differs from the clip by {error:.1f}/255 per channel ({first_read:.1f} before)"
        )
    assert error < 24, f"preview differs from the clip by {error:.1f}/255 per channel"


def test_a_video_whose_file_was_removed_says_so_instead_of_an_empty_player(
    live_server: Served, tab: Callable[..., Tab]
) -> None:
    # Any finished video will do: wan-tiny's takes about a second, reelgen-micro's 25 frames six on a loaded core.
    video = live_server.create(model="wan-tiny", prompt="a file removed later", num_inference_steps=2)
    deadline = time.monotonic() + 180
    while live_server.http.get(f"/v1/videos/{video['id']}").json()["status"] != "completed":
        assert time.monotonic() < deadline, "the video did not complete"
        time.sleep(0.1)
    shutil.rmtree(live_server.data_dir / "outputs" / video["id"])  # as retention removes it
    reason = live_server.http.get(f"/v1/videos/{video['id']}/content").json()["error"]["message"]
    assert "removed" in reason

    t = tab()
    page = t.open(live_server.url)
    saved: list[str] = []
    page.on("download", lambda d: saved.append(d.suggested_filename))
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card.locator(".card-error")).to_have_text(reason)
    expect(card.locator("video")).to_have_count(0)
    # Download and Enhance could only fail with the same words: they are no longer offered.
    expect(card.get_by_role("button", name="Download")).to_have_count(0)
    expect(card.get_by_role("button", name="Enhance")).to_have_count(0)
    expect(card.get_by_role("button", name="Delete")).to_be_visible()

    page.locator("#tab-gallery").click()
    item = page.locator(f'.gallery-item[data-id="{video["id"]}"]')
    expect(item.locator(".gone")).to_have_text(reason)
    expect(item.get_by_role("button", name="Download")).to_have_count(0)
    expect(item.get_by_role("button", name="Enhance")).to_have_count(0)
    assert saved == []  # no file of an error message saved as an .mp4
