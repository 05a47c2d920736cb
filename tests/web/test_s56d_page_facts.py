"""What a new user meets on the page: the model panel now says whether a model takes LoRAs and an end image
(the LoRA rows and the end image's box only appeared or not, with no word why); the shoot-out form's
JSON hint pointed to docs/shootout.md "in reelgen's source repository", which a pip user has not, and now
shows the format in place; and an enhanced video with no prompt was saved as "video-<id>.mp4", where it is
now "enhanced-video-<id>.mp4" ("enhanced-upload-<id>.mp4" for an enhanced upload), as its card names it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_model_facts_shootout_format_and_enhanced_file_names(
    quiet_server: Served, tab: Callable[..., Tab], batch_roots: Path
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    takes = page.locator("#model-takes")
    page.locator("#f-model").select_option("ltx-tiny")
    expect(takes).to_have_text("Takes LoRAs; takes an end image (its last frame) with “Image to video”.")
    page.locator("#f-model").select_option("svd-tiny")
    expect(takes).to_have_text("Takes no LoRAs; no end image.")
    page.locator("#f-model").select_option("mochi-tiny")  # text to video only: no end image to speak of
    expect(takes).to_have_text("Takes LoRAs.")

    made = quiet_server.create(model="reelgen-micro")
    short = made["id"].removeprefix("video_")[:8]
    enhanced = {**made, "prompt": "", "parameters": None, "enhanced_from_video_id": "video_0123456789abcdef"}
    name = "async (v) => (await import('./js/save.js')).videoFileName(v)"
    assert page.evaluate(name, enhanced) == f"enhanced-video-{short}.mp4"
    assert page.evaluate(name, {**enhanced, "enhanced_from_video_id": None}) == f"enhanced-upload-{short}.mp4"

    page.locator("#tab-shootouts").click()
    prompts = page.locator("#shootout-form").get_by_label("Prompts", exact=True)
    described = prompts.get_attribute("aria-describedby") or ""
    hint = page.locator(f"#{described.split()[0]}")
    expect(hint).not_to_contain_text("source repository")
    expect(hint).to_contain_text("as below")
    help_box = page.locator("#sf-json-help")
    help_box.locator("summary").click()
    example = help_box.get_by_label("Example prompts JSON")
    expect(example).to_be_visible()
    # The example is one the server takes, given its image in the images' folder.
    folder = batch_roots / "s56d-example"
    folder.mkdir(exist_ok=True)
    Image.new("RGB", (64, 64)).save(folder / "harbour.png")
    body = {
        "models": ["reelgen-micro"],
        "prompts": json.loads(example.inner_text()),
        "output_folder": str(folder),
        "input_folder": str(folder),
    }
    answer = quiet_server.http.post("/v1/shootouts", json=body)
    assert answer.status_code == 202, answer.text
    quiet_server.http.post(f"/v1/shootouts/{answer.json()['id']}/cancel")
    quiet_server.http.delete(f"/v1/shootouts/{answer.json()['id']}")
    quiet_server.http.delete(f"/v1/videos/{made['id']}")
    assert t.errors == []
