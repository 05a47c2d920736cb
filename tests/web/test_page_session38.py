"""The page after this session's API changes: the server's errors in the form's words, under their field."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, press_generate


def test_a_servers_error_names_the_field_as_the_form_calls_it(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "wan-tiny")
    page.fill("#f-prompt", "a red fox")
    page.fill("#f-steps", "0")
    status, body = press_generate(page)
    # The API names its field, as every client of it sees.
    assert status == 400 and body["error"]["message"].startswith("num_inference_steps: "), body
    slot = page.locator('.field[data-param="num_inference_steps"] .field-error')
    expect(slot).to_have_text("Steps: must be a whole number from 1 to 1000")
    expect(slot).not_to_contain_text("num_inference_steps")

    page.fill("#f-steps", "2")
    page.fill("#f-guidance", "1000")
    status, body = press_generate(page)
    assert status == 400 and body["error"]["param"] == "guidance_scale", body
    slot = page.locator('.field[data-param="guidance_scale"] .field-error')
    assert body["error"]["message"] == "guidance_scale: 1000 is too large; it takes a number from 0 to 100", (
        body
    )
    expect(slot).to_have_text("Guidance: must be a number from 0 to 100")
    assert t.errors == []


def test_enhance_with_nothing_chosen_says_so_in_the_dialogs_words(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    video = quiet_server.create(model="reelgen-micro", prompt="to enhance")
    # The server has no workers: the gallery is shown this one as finished.
    done = {**video, "status": "completed", "progress": 100, "completed_at": video["created_at"]}
    listing = {
        "object": "list",
        "data": [done],
        "has_more": False,
        "first_id": video["id"],
        "last_id": video["id"],
    }
    t = tab()
    t.context.route(
        lambda url: "/v1/videos?status=completed" in url, lambda route: route.fulfill(json=listing)
    )
    page = t.open(quiet_server.url)
    page.click("nav >> text=Gallery")
    item = page.locator(f'.gallery-item[data-id="{video["id"]}"]')
    # Its player, refused the file of a video that is still queued, gives way to the server's words, which
    # moves the item's buttons up: a click whose press came before that and its release after (a loaded
    # machine) ended on the item, not on Enhance, and the dialog never opened (one full run in five).
    expect(item.locator(".card-error.gone")).to_have_text(
        f"video {video['id']} is queued; its content exists once it is completed"
    )
    item.get_by_role("button", name="Enhance").click()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.click("#enh-submit")
    # The server would say 'give interpolate (2, 4 ...), target_fps or upscale', names the dialog never shows.
    expect(page.locator("#enhance-dialog .form-error")).to_have_text(
        "Nothing to do: choose Smoother motion, or a factor in Sharper, larger."
    )
    assert sent == []
    expect(page.locator('label[for="enh-upscale"]')).to_have_text("Sharper, larger")
    page.fill("#enh-upscale", "9")
    with page.expect_response(lambda r: r.url.endswith(f"/{video['id']}/enhance")) as answer:
        page.click("#enh-submit")
    error = answer.value.json()["error"]
    assert answer.value.status == 400 and error["message"].startswith("upscale: "), error
    assert error["message"] == "upscale: 9 is too large; it takes a number above 1 and at most 8", error
    expect(page.locator("#enh-upscale-err")).to_have_text(
        "Sharper, larger: must be a number above 1 and at most 8"
    )
    assert t.errors == []


def test_a_model_whose_weights_went_after_the_page_loaded_is_shown_as_not_downloaded(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    weights = Path(os.environ["REELGEN_MODELS_DIR"]) / "wan-1.3b"
    weights.mkdir(parents=True)
    # A whole folder names its parts: "{}" alone is a copy with none of them (partial).
    (weights / "model_index.json").write_text(
        '{"scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"]}'
    )
    (weights / "scheduler").mkdir()
    (weights / "scheduler" / "scheduler_config.json").write_text("{}")
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "wan-1.3b")
    expect(page.locator("#model-weights")).to_contain_text("Weights on this server")
    shutil.rmtree(weights)  # deleted where the server runs, the page still open
    page.fill("#f-prompt", "waves at dusk")
    status, body = press_generate(page)
    assert status == 400 and body["error"]["code"] == "model_not_available", body
    # Said as the page says it before a submit, and the picker and panel no longer claim the weights.
    expect(page.locator("#err-model")).to_have_text(
        'wan-1.3b is not downloaded on this server, so it cannot run. Run "reelgen pull wan-1.3b" '
        "where the server runs, then reload this page."
    )
    expect(page.locator("#model-weights")).to_contain_text("Not downloaded")
    expect(page.locator('#f-model option[value="wan-1.3b"]')).to_contain_text("not downloaded")
    assert page.locator("#f-model").input_value() == "wan-1.3b"
    assert t.errors == []


def test_a_model_downloaded_part_way_is_said_to_be_so(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    """It read "Not downloaded. Its weights are not on this server", of a folder holding most of them."""
    folder = Path(os.environ["REELGEN_MODELS_DIR"]) / "wan-1.3b"
    (folder / "transformer").mkdir(parents=True)
    (folder / "model_index.json").write_text('{"transformer": ["diffusers", "WanTransformer3DModel"]}')
    (folder / "transformer" / "config.json").write_text("{}")  # its weight file never came
    try:
        t = tab()
        page = t.open(quiet_server.url)
        page.select_option("#f-model", "wan-1.3b")
        expect(page.locator("#model-weights")).to_contain_text("Partly downloaded. Some of its files are")
        # A pull fills the Hugging Face cache, looked in after this folder: the page said to run one.
        expect(page.locator("#weights-advice")).to_have_text(
            f"model 'wan-1.3b' is only partly copied into {folder} (missing: transformer weights); copy the "
            f"rest of {folder} from where it came, or remove that folder and run `reelgen pull wan-1.3b`."
        )
        expect(page.locator("#pull-command")).to_have_count(0)
        assert t.errors == []
    finally:
        shutil.rmtree(folder)
