"""The Create form's end image, keyframes and LoRA picker in Chromium, against a server with a LoRA folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.lora_files import write_lora
from tests.web.conftest import Served, Tab, press_generate


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("page-images")
    out = {}
    for name, rgb in (("red", (220, 30, 30)), ("blue", (40, 60, 230)), ("green", (30, 200, 60))):
        out[name] = folder / f"{name}.png"
        Image.new("RGB", (64, 64), rgb).save(out[name])
    return out


@pytest.fixture(scope="module")
def lora_server(serve_app: Callable[..., Served], tmp_path_factory: pytest.TempPathFactory) -> Served:
    """A server whose LoRA folder holds two files (one in a subfolder) and a file that is no LoRA."""
    folder = tmp_path_factory.mktemp("page-loras")
    (folder / "sub").mkdir()
    write_lora(folder / "style.safetensors")
    write_lora(folder / "sub" / "motion.safetensors")
    (folder / "readme.txt").write_text("not a LoRA")
    return serve_app(lora_dir=folder)


def pick_task(page: Page, task: str) -> None:
    page.locator(f'label[for="task-{task}"]').click()


def test_the_lora_picker_lists_the_folder_and_the_end_image_follows_the_model(
    lora_server: Served, tab: Callable[..., Tab], images: dict[str, Path], shots: Path
) -> None:
    t = tab()
    page = t.open(lora_server.url)
    page.select_option("#f-model", "ltx-tiny")
    page.click("#f-lora-add")
    names = page.eval_on_selector_all("#f-lora-rows select option", "os => os.map(o => o.value)")
    assert names == ["style.safetensors", "sub/motion.safetensors"]
    # An emptied strength box is refused in the page: it was sent as strength 0 without a word.
    page.get_by_label("LoRA 1 strength").fill("")
    page.click("#f-submit")
    expect(page.locator("#err-loras")).to_have_text("LoRA 1 strength is empty: type a number from -5 to 5.")
    expect(page.get_by_label("LoRA 1 strength")).to_be_focused()
    page.get_by_label("LoRA 1 strength").fill("0.8")

    # An end image is offered for image to video on a model that pins a last frame, and only there.
    expect(page.locator("#f-end-field")).to_be_hidden()
    pick_task(page, "i2v")
    expect(page.locator("#f-end-field")).to_be_visible()
    page.set_input_files("#f-image", images["red"])
    page.get_by_label("End image (optional)").set_input_files(images["blue"])
    expect(page.locator("#f-end-preview img")).to_have_attribute("alt", "End image: blue.png")
    page.screenshot(path=shots / "create-end-image-and-lora.png", full_page=True)
    page.fill("#f-prompt", "a red square turns blue")
    status, video = press_generate(page)
    assert status == 202, video
    assert video["parameters"]["end_image"] is True
    assert video["parameters"]["loras"] == [{"name": "style.safetensors", "strength": 0.8}]

    # A remix keeps the LoRAs: shown, and locked like the rest.
    page.locator(f'.card[data-id="{video["id"]}"]').get_by_role("button", name="Remix").click()
    expect(page.get_by_label("LoRA 1", exact=True)).to_have_value("style.safetensors")
    expect(page.get_by_label("LoRA 1 strength")).to_have_value("0.8")
    expect(page.get_by_label("LoRA 1 strength")).to_be_disabled()
    page.click("#remix-cancel")

    page.select_option("#f-model", "reelgen-micro")
    pick_task(page, "i2v")
    expect(page.locator("#f-image-field")).to_be_visible()
    expect(page.locator("#f-end-field")).to_be_hidden()
    assert t.blocked == [] and t.errors == []


def test_keyframe_rows_send_their_images_in_order(
    lora_server: Served, tab: Callable[..., Tab], images: dict[str, Path]
) -> None:
    page = tab().open(lora_server.url)
    page.select_option("#f-model", "ltx-tiny")
    pick_task(page, "keyframes")
    expect(page.locator("#f-keyframes-field")).to_be_visible()
    expect(page.locator("#f-image-field")).to_be_hidden()
    page.fill("#f-prompt", "red, then green")
    page.click("#f-submit")  # the first row has no image yet: refused in the page
    expect(page.locator("#err-keyframe_images")).to_have_text("Choose an image for keyframe 1.")
    page.get_by_label("Keyframe 1 image").set_input_files(images["red"])
    page.click("#f-keyframe-add")
    page.get_by_label("Keyframe 2 image").set_input_files(images["green"])
    last = int(page.input_value("#f-frames")) - 1
    expect(page.get_by_label("Keyframe 2 frame")).to_have_value(str(last))  # a new row starts at the end
    # An emptied frame or strength is refused in the page: it was sent as 0 (the first frame, no hold).
    page.get_by_label("Keyframe 2 frame").fill("")
    page.click("#f-submit")
    expect(page.locator("#err-keyframe_images")).to_have_text(
        f"Keyframe 2 frame is empty: type a whole number from 0 to {last}."
    )
    expect(page.get_by_label("Keyframe 2 frame")).to_be_focused()
    page.get_by_label("Keyframe 2 frame").fill(str(last))
    page.get_by_label("Keyframe 2 strength").fill("0.5")
    page.set_viewport_size({"width": 390, "height": 844})  # the rows wrap on a phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    status, video = press_generate(page)
    assert status == 202, video
    assert video["parameters"]["task"] == "keyframes"
    assert video["parameters"]["keyframes"] == [
        {"frame": 0, "strength": 1.0},
        {"frame": last, "strength": 0.5},
    ]


def test_a_keyframes_frame_refused_by_the_server_points_at_that_row(
    lora_server: Served, tab: Callable[..., Tab], images: dict[str, Path]
) -> None:
    """The server names keyframes[1].frame: its message shows once, under the keyframes, naming the row
    as the form does ("Keyframe 2 frame"), and the focus goes to keyframe 2's frame (not keyframe 1's
    image, the first control of the list)."""
    page = tab().open(lora_server.url)
    page.select_option("#f-model", "ltx-tiny")
    pick_task(page, "keyframes")
    page.fill("#f-prompt", "red, then green")
    page.get_by_label("Keyframe 1 image").set_input_files(images["red"])
    page.click("#f-keyframe-add")
    page.get_by_label("Keyframe 2 image").set_input_files(images["green"])
    page.get_by_label("Keyframe 2 frame").fill("999")
    status, body = press_generate(page)
    assert status == 400 and body["error"]["param"] == "keyframes[1].frame", body
    assert body["error"]["message"].startswith("keyframes[1].frame 999 "), body
    # The row's control as the form labels it, not the API's "keyframes[1].frame".
    expect(page.locator("#err-keyframes")).to_have_text(
        body["error"]["message"]
        .replace("keyframes[1].frame ", "Keyframe 2 frame ")
        # The other field it names, as the form labels it.
        .replace("(num_frames)", "(Duration)")
    )
    expect(page.locator("#err-keyframe_images")).to_be_hidden()
    frame = page.get_by_label("Keyframe 2 frame")
    expect(frame).to_be_focused()
    expect(frame).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Keyframe 1 image")).not_to_have_attribute("aria-invalid", "true")


def test_an_empty_lora_folder_hides_the_picker_and_says_where_loras_go(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    page = tab().open(quiet_server.url)
    page.select_option("#f-model", "ltx-tiny")
    expect(page.locator("#f-loras-note")).to_contain_text("No LoRAs on this server")
    expect(page.locator("#f-loras-note")).to_contain_text("REELGEN_LORA_DIR")
    expect(page.locator("#f-lora-add")).to_be_hidden()
