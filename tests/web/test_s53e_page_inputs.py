"""The Create form's pickers, a job starting and the Enhance dialog, as a user meets them.

A PNG picked as a restyle's source left a dead player at 0:00; a 0.23 s clip was refused with "ask
for 1 frame or fewer"; the image pickers hid the BMP, GIF and TIFF files the API takes; a card whose
job had started went back to "Queued" for a moment; the upscale factor read "Sharper, larger (upscale
by)" and "About 512×512" in the dialog but "Sharper, larger" and "×2: 256×256" in the form.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab, press_generate

NOT_VIDEO = "red.png is not a video: Restyle a video needs a video file (MP4, MOV, WebM or MKV)."
SHORT = (
    "short.mp4 lasts 0.23 s; a Duration of 1.1 s · 9 frames needs a clip longer than 1.00 s. "
    "Choose a longer video, or a higher Frame rate."
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {name: tmp_path / name for name in ("red.png", "short.mp4", "face.bmp", "face.gif", "face.tif")}
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out["red.png"])
    for name in ("face.bmp", "face.gif", "face.tif"):
        Image.new("RGB", (64, 64), (30, 120, 200)).save(out[name])
    # 7 frames at 30 fps: 0.23 s.
    with av.open(str(out["short.mp4"]), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(7):
            frame = np.full((64, 64, 3), 30 * i, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())
    return out


def test_the_create_forms_pickers_say_what_they_take_before_sending(
    quiet_server: Served, tab: Callable[..., Tab], files: dict[str, Path]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.select_option("#f-model", "wan-tiny")
    page.fill("#f-prompt", "oil painting")
    page.locator('label[for="task-v2v"]').click()
    note, error = page.locator("#f-video-note"), page.locator("#err-source_video")

    # A picture as the source: said at once, with no player left at 0:00, and never sent.
    page.set_input_files("#f-video", files["red.png"])
    expect(note).to_have_text(NOT_VIDEO)
    expect(page.locator("#f-video-field video")).to_be_hidden()
    page.click("#f-submit")
    expect(error).to_have_text(NOT_VIDEO)
    expect(note).to_be_hidden()  # said once, not twice
    # Said in the words of the task chosen now.
    page.select_option("#f-model", "ltx-tiny")
    page.locator('label[for="task-extend"]').click()
    expect(note).to_have_text(NOT_VIDEO.replace("Restyle a video", "Continue a clip"))
    page.select_option("#f-model", "wan-tiny")
    page.locator('label[for="task-v2v"]').click()

    # A clip shorter than the shortest Duration: its length and what it must reach, not "1 frame or fewer".
    page.set_input_files("#f-video", files["short.mp4"])
    expect(error).to_be_hidden()
    expect(note).to_have_text(SHORT)
    page.click("#f-submit")
    expect(error).to_have_text(SHORT)
    assert sent == []

    # The image pickers take what POST /v1/videos decodes; a TIFF, which no browser draws, is sent too.
    page.select_option("#f-model", "reelgen-micro")
    page.locator('label[for="task-i2v"]').click()
    for picker in ("#f-image", "#f-end"):
        accept = page.get_attribute(picker, "accept") or ""
        assert {"image/bmp", "image/gif", "image/tiff"} <= set(accept.split(",")), accept
    expect(page.locator("#hint-input_reference")).to_contain_text("PNG, JPEG, WebP, BMP, GIF or TIFF")
    image_note = page.locator("#f-image-note")
    for name in ("face.bmp", "face.gif"):
        page.set_input_files("#f-image", files[name])
        expect(image_note).to_have_text("Your image (64×64) has the video's shape: nothing is cropped.")
    page.set_input_files("#f-image", files["face.tif"])
    expect(image_note).to_contain_text("face.tif: this browser shows no preview of a TIFF image")
    status, body = press_generate(page)
    assert status == 202, body
    quiet_server.http.post(f"/v1/videos/{body['id']}/cancel")
    assert t.errors == []


def _sse(*events: tuple[str, dict[str, Any]]) -> str:
    # A long retry: once these are read, the page waits rather than asking again during the test.
    frames = [
        f"id: {i}\nevent: {name}\ndata: {json.dumps(data)}\n\n" for i, (name, data) in enumerate(events, 1)
    ]
    return "retry: 60000\n\n" + "".join(frames)


def test_a_started_job_stays_running_and_a_finished_restyle_reads_alike_everywhere(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "reelgen-micro")
    page.fill("#f-prompt", "a starting job")
    # The server has no worker: it is made to say each new job started, and their streams replay
    # their events from the create on, as a real one does. Jobs other tests left queued are as they are.
    others = {v["id"] for v in quiet_server.http.get("/v1/videos", params={"limit": 100}).json()["data"]}
    mine: dict[str, dict[str, Any]] = {}  # id -> what the listings say of it

    def answer(route: Route) -> None:
        url = route.request.url
        job = url.split("/v1/videos/")[1].split("/")[0].split("?")[0] if "/v1/videos/" in url else ""
        if url.endswith("/events") and job not in others:
            route.fulfill(
                headers={"content-type": "text/event-stream"},
                body=_sse(
                    ("queued", {"id": job, "status": "queued", "attempt": 0}),
                    ("started", {"id": job, "status": "in_progress", "attempt": 1, "worker": "worker-0"}),
                    ("progress", {"id": job, "progress": 50, "stage": "denoise", "step": 1, "total": 2}),
                ),
            )
        elif job in mine and url.endswith(job):
            route.fulfill(json=mine[job])
        elif "status=queued" in url or "status=in_progress" in url:
            listed = route.fetch().json()
            wanted = "queued" if "status=queued" in url else "in_progress"
            listed["data"] = [v for v in listed["data"] if v["id"] not in mine]
            listed["data"] += [v for v in mine.values() if v["status"] == wanted]
            route.fulfill(json=listed)
        else:
            route.fallback()

    page.route("**/v1/videos**", answer)
    # Every status each card shows, from its first.
    page.evaluate(
        "() => { window.seen = {}; const note = () => { for (const c of document.querySelectorAll('#cards .card')) {"
        " const s = (window.seen[c.dataset.id] ||= []); if (s.at(-1) !== c.dataset.status) s.push(c.dataset.status); } };"
        " new MutationObserver(note).observe(document.getElementById('cards'),"
        " { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] }); }"
    )

    # Started between two polls: the next poll says it runs, and its stream then replayed the create's
    # "queued": the card went Running, Queued again, Running.
    status, video = press_generate(page)
    assert status == 202, video
    vid = video["id"]
    mine[vid] = {**video, "status": "in_progress", "queue_position": None, "started_at": video["created_at"]}
    card = page.locator(f'.card[data-id="{vid}"]')
    # The stream read to its end (then the page waits to reconnect): every event was taken in.
    expect(card).to_have_attribute("data-stream", "reconnecting")
    expect(card.locator("progress")).to_have_attribute("aria-valuetext", "50%")
    assert page.evaluate("window.seen")[vid] == ["queued", "in_progress"]

    # The next in line hears of its start at once: the listings still say it waits (as until the next
    # poll), and it read "Waiting for a free worker" until then, while the worker ran it.
    page.fill("#f-prompt", "the next in line")
    status, second = press_generate(page)
    assert status == 202, second
    mine[second["id"]] = {**second, "status": "queued", "queue_position": 0}
    card = page.locator(f'.card[data-id="{second["id"]}"]')
    expect(card).to_have_attribute("data-status", "in_progress")
    expect(card.locator("progress")).to_have_attribute("aria-valuetext", "50%")
    assert page.evaluate("window.seen")[second["id"]] == ["queued", "in_progress"]
    page.unroute_all(behavior="wait")  # the handler's answers in flight end before the cancels
    for job in mine:
        quiet_server.http.post(f"/v1/videos/{job}/cancel")

    assert t.errors == []


def test_a_finished_restyle_reads_alike_in_the_gallery(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    # A tab of its own: in the full run, the gallery part of the test above, after its cards'
    # streams and cancels, once never showed the routed gallery item.
    video = quiet_server.create(model="reelgen-micro", prompt="a finished restyle")
    vid = video["id"]
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "reelgen-micro")
    expect(page.locator('#f-upscale option[value="2"]')).to_have_text("×2: 256×256")
    upscale_label = page.locator('label[for="f-upscale"]').inner_text()
    try:
        # Shown finished in the gallery, as a restyle: the dialog names and writes the factor as the form does.
        restyle = {"task": "v2v", "source_video": True, "source_strength": 0.7, "num_inference_steps": 2}
        done = {
            **video,
            **{"model": "wan-tiny", "size": "64x64", "width": 64, "height": 64, "num_frames": 9, "fps": 8.0},
            **{
                "status": "completed",
                "progress": 100,
                "completed_at": video["created_at"],
                "parameters": restyle,
            },
        }
        page.route(
            lambda url: "/v1/videos?status=completed" in url,
            lambda route: route.fulfill(
                json={"object": "list", "data": [done], "has_more": False, "last_id": vid}
            ),
        )
        page.click("nav >> text=Gallery")
        item = page.locator(f'.gallery-item[data-id="{vid}"]')
        item.get_by_role("button", name="Enhance").click()
        expect(page.locator('label[for="enh-upscale"]')).to_have_text(upscale_label)
        page.fill("#enh-upscale", "2")
        expect(page.locator("#enh-size-note")).to_have_text("×2: 128×128 (from 64×64).")
        page.fill("#enh-upscale", "1.5")
        expect(page.locator("#enh-size-note")).to_have_text("×1.5: about 96×96 (from 64×64).")
        # The server's answer (as POST .../enhance gives it) writes its factors x3: here they read as the
        # dialog's own list of methods writes them.
        refusal = (
            "upscale 3: realesrgan-x4plus upscales by x4, not x3; models that do x3: realesr-animevideov3 "
            "(x2, x3, x4), or use lanczos (any factor)"
        )
        error = {
            "message": refusal,
            "type": "invalid_request_error",
            "param": "upscale",
            "code": "invalid_request",
        }
        page.route(
            f"**/v1/videos/{vid}/enhance", lambda route: route.fulfill(status=400, json={"error": error})
        )
        page.fill("#enh-upscale", "3")
        page.select_option("#enh-upscaler", "realesrgan-x4plus")
        page.click("#enh-submit")
        expect(page.locator('#enh-upscaler option[value="realesr-animevideov3"]')).to_contain_text(
            "(×2, ×3, ×4)"
        )
        expect(page.locator("#enh-upscale-err")).to_contain_text(
            "realesrgan-x4plus upscales by ×4, not ×3; models that do ×3: realesr-animevideov3 (×2, ×3, ×4)"
        )
        page.click("#enh-cancel")

        # "Use these settings" asks for the source video again; a remix then keeps the old one: it said
        # "Choose the source video again" beside a locked picker still holding another file.
        page.click("nav >> text=Gallery")
        item.get_by_role("button", name="Use these settings").click()
        again = "Choose the source video again: files are not copied from the old video."
        expect(page.locator("#err-source_video")).to_have_text(again)
        page.click("nav >> text=Gallery")
        item.get_by_role("button", name="Remix").click()
        expect(page.locator("#remix-banner")).to_be_visible()
        expect(page.locator("#f-video-field")).to_be_hidden()
        expect(page.locator("#err-source_video")).to_be_hidden()
        page.click("#remix-cancel")
        expect(page.locator("#f-video-field")).to_be_visible()
        assert t.errors == []
    finally:
        quiet_server.http.delete(f"/v1/videos/{vid}")
