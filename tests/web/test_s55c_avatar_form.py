"""The page's Avatar view: POST /v1/avatars had no form, so a talking head could be made only with curl."""

from __future__ import annotations

import io
import math
import struct
import wave
from collections.abc import Callable

from PIL import Image
from playwright.sync_api import FilePayload, expect

from tests.web.conftest import Served, Tab, listing
from tests.web.test_page import PHONE, horizontal_overflow


def _voice() -> bytes:
    """Half a second of a tone, as a WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 10))) for i in range(8000)))
    return out.getvalue()


def _blank_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 150, 120)).save(out, "PNG")
    return out.getvalue()


def test_an_avatar_is_made_from_the_page_and_its_mistakes_are_said_under_their_fields(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#avatar")
    form = page.locator("#avatar-form")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/v1/avatars") else None)
    make = form.get_by_role("button", name="Make avatar")

    make.click()  # no voice at all: said before anything is sent
    expect(form.locator('.field[data-param="audio"] .field-error')).to_have_text(
        "An avatar needs a voice: choose an audio file, or write the text to speak."
    )
    voice: FilePayload = {"name": "hello.wav", "mimeType": "audio/wav", "buffer": _voice()}
    form.get_by_label("Voice (audio file)").set_input_files(voice)
    form.get_by_label("Or text to speak").fill("hello")
    make.click()
    expect(form.locator('.field[data-param="text"] .field-error')).to_have_text(
        "Give the voice one way: the audio file or the text to speak, not both."
    )
    assert sent == []

    # A pasted script past the server's 5,000 characters was cut short by the box without a word.
    form.get_by_label("Voice (audio file)").set_input_files([])
    form.get_by_label("Or text to speak").fill("ab " * 2000)
    expect(form.get_by_label("Or text to speak")).to_have_value("ab " * 2000)
    make.click()
    expect(form.locator('.field[data-param="text"] .field-error')).to_have_text(
        "The text to speak has 5,999 characters; this server takes at most 5,000: shorten it by 999."
    )
    assert sent == []

    form.get_by_label("Or text to speak").fill("")
    form.get_by_label("Voice (audio file)").set_input_files(voice)
    photo: FilePayload = {"name": "wall.png", "mimeType": "image/png", "buffer": _blank_photo()}
    form.get_by_label("Face (photo, optional)").set_input_files(photo)
    with page.expect_response(lambda r: r.url.endswith("/v1/avatars")) as refused:
        make.click()
    assert refused.value.status == 400
    face_error = form.locator('.field[data-param="image"] .field-error')
    expect(face_error).to_contain_text("no face found in the image")
    expect(form.get_by_label("Face (photo, optional)")).to_be_focused()

    form.get_by_label("Face (photo, optional)").set_input_files([])
    form.get_by_label("Model").select_option("reelgen-lipsync")
    with page.expect_response(lambda r: r.url.endswith("/v1/avatars")) as accepted:
        make.click()
    assert accepted.value.status == 202, accepted.value.text()
    made = accepted.value.json()
    assert made["model"] == "reelgen-lipsync"
    card = page.locator(f'#cards .card[data-id="{made["id"]}"]')
    expect(card).to_contain_text("reelgen-lipsync")
    expect(card.get_by_role("button", name="Cancel")).to_be_visible()
    expect(form.locator(".field-error:visible")).to_have_count(0)
    assert t.errors == []


def test_the_avatar_view_fits_a_phone_and_offers_only_models_here(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab(PHONE)
    page = t.open(f"{quiet_server.url}/#avatar")
    expect(page.locator("#tab-avatar")).to_have_attribute("aria-current", "page")
    models = quiet_server.http.get("/v1/models").json()["data"]
    here = sorted(m["id"] for m in models if "avatar" in m["tasks"] and m["weights"]["present"])
    offered = page.locator("#avatar-form select option").evaluate_all("os => os.map(o => o.value)")
    assert offered == ["", *here]
    assert horizontal_overflow(t) == 0
    assert t.blocked == [] and t.errors == []


def test_an_avatar_voiced_from_a_file_is_named_as_one_not_no_prompt(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Its card read "(no prompt)", its progress bar 'Progress of “”', as if something had gone missing.
    made = quiet_server.http.post(
        "/v1/avatars",
        files={"audio": ("hello.wav", _voice(), "audio/wav")},
        data={"model": "reelgen-lipsync"},
    )
    assert made.status_code == 202, made.text
    video = made.json()
    assert video["prompt"] == ""
    t = tab()
    page = t.open(quiet_server.url)
    card = page.locator(f'#cards .card[data-id="{video["id"]}"]')
    expect(card.locator(".card-title")).to_have_text("Talking avatar (voice from an audio file)")
    expect(card.locator("progress")).to_have_attribute(
        "aria-label", "Progress of “Talking avatar (voice from an audio file)”"
    )
    # Saved as talking-avatar-<short id>.mp4, not "video-…" (videoFileName is what Download uses).
    name = page.evaluate(
        "async (v) => (await import('./js/save.js')).videoFileName(v)", {**video, "status": "completed"}
    )
    assert name == f"talking-avatar-{video['id'].removeprefix('video_')[:8]}.mp4"
    assert t.errors == []


def test_an_avatars_cards_leave_out_the_seed_steps_and_guidance_it_never_used(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # The gallery said "Seed 1364428604, Steps 1, Guidance 0" of a lip-synced face, as if they were settings.
    made = quiet_server.http.post(
        "/v1/avatars",
        files={"audio": ("hello.wav", _voice(), "audio/wav")},
        data={"model": "reelgen-lipsync"},
    )
    assert made.status_code == 202, made.text
    video = made.json()
    done = [{**video, "status": "completed", "progress": 100, "completed_at": video["created_at"]}]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")
    params = page.locator(f'.gallery-item[data-id="{video["id"]}"] .params')
    expect(params).to_contain_text("TaskTalking avatar")
    for unused in ("Seed", "Steps", "Guidance"):
        expect(params).not_to_contain_text(unused)
    card = page.locator(f'#cards .card[data-id="{video["id"]}"]')
    frames = video["num_frames"]  # as long as the voice
    expect(card.locator(".meta")).to_have_text(f"reelgen-lipsync · 512×512 · {frames} frames · 25 fps")
    assert t.errors == []
