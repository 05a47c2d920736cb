"""The page's number boxes and hints give the bounds the API takes, not looser ones a person then hits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import Served, Tab, listing, press_generate
from tests.web.test_s57f_shared_tab import shared_tab


@pytest.fixture(scope="module")
def page(chromium: Browser, quiet_server: Served, batch_roots: Path) -> Iterator[Page]:
    """The page, loaded once for this module's tests: each fills the form of a view of its own."""
    with shared_tab(chromium, quiet_server.url, batch_roots) as t:
        yield t.page


def _bounds(prop: dict[str, Any]) -> tuple[str, str]:
    """An OpenAPI number field's least and most value, as a number box's min and max attributes read."""
    (number,) = [p for p in prop.get("anyOf", [prop]) if p.get("type") in ("integer", "number")]
    least = number.get("minimum", number.get("exclusiveMinimum"))
    # A box of whole numbers above an exclusive 0 starts at 1.
    if "exclusiveMinimum" in number and number["type"] == "integer":
        least += 1
    return f"{least:g}", f"{number['maximum']:g}"


def test_number_boxes_stop_where_the_api_does(quiet_server: Served, page: Page) -> None:
    schemas = quiet_server.http.get("/openapi.json").json()["components"]["schemas"]
    create, settings = schemas["VideoCreate"]["properties"], schemas["Settings"]["properties"]
    page.locator("#tab-create").click()
    boxes = {
        "#f-steps": create["num_inference_steps"],
        "#f-guidance": create["guidance_scale"],
        "#f-guidance2": create["guidance_scale_2"],
    }
    for selector, prop in boxes.items():
        box = page.locator(selector)
        assert (box.get_attribute("min"), box.get_attribute("max")) == _bounds(prop), selector
    page.click("nav >> text=Shoot-outs")
    for selector, prop in {
        "#sf-prompts_settings_steps": settings["steps"],
        "#sf-prompts_settings_num_frames": settings["num_frames"],
    }.items():
        box = page.locator(selector)
        expect(box).to_be_visible()
        assert (box.get_attribute("min"), box.get_attribute("max")) == _bounds(prop), selector


def test_enhance_says_the_rates_this_clip_can_be_taken_to(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """A 24 fps clip interpolates to above 24 and at most 16 times it: "above 0 and up to 1000" invited
    a 20 or a 500 the server refuses (target_fps must be above the clip's rate, at most 16x it)."""
    video = quiet_server.create(model="reelgen-micro", prompt="to enhance", fps=24)
    done = {**video, "status": "completed", "progress": 100, "completed_at": video["created_at"]}
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([done]))
    page = t.open(quiet_server.url + "/#gallery")
    page.locator(f'.gallery-item[data-id="{video["id"]}"]').get_by_role("button", name="Enhance").click()
    page.select_option("#enh-interpolate", "rate")
    expect(page.locator("#enh-target_fps-hint")).to_have_text(
        "Frames per second, above 24 (the clip's rate) and up to 384: e.g. 60; "
        "59.94 is read as 60000/1001, which may be typed too."
    )
    expect(page.locator("#enh-target_fps")).to_have_attribute("placeholder", "60")
    page.click("#enh-submit")
    expect(page.locator("#enh-target_fps-err")).to_have_text(
        "Type the frame rate to reach, above 24 (the clip's rate) and up to 384 (e.g. 60)."
    )
    assert t.errors == []


def test_a_length_the_server_refuses_is_said_in_plain_words(page: Page) -> None:
    """ "String should have at most 200 characters" and "List should have at most 2 items after validation,
    not 3" (pydantic's, as the server once wrote them) stood under the fields; they read as the bounds do."""
    page.locator("#tab-batches").click()
    page.fill("#bf-input_folder", "/srv/shots")
    cases = [
        (
            '{"items": [{"output": "a", "images": ["a.png", "b.png", "c.png"]}]}',
            "",
            "#bf-manifest-err",
            "items[0].images: must have at most 2 entries, not 3",
        ),
        (
            '{"items": [{"output": "a"}], "defaults": {"currency": "DOUBLOONS"}}',
            "",
            "#bf-manifest-err",
            "defaults.currency: must be at most 8 characters long (it has 9)",
        ),
        (
            '{"items": [{"output": "a"}]}',
            "n" * 201,
            "#bf-name-err",
            "Name (optional): must be at most 200 characters long (it has 201)",
        ),
    ]
    for manifest, name, slot, said in cases:
        page.fill("#bf-manifest", manifest)
        page.fill("#bf-name", name)
        with page.expect_response(lambda r: r.url.endswith("/v1/batches")) as answer:
            page.click("#batch-form button[type=submit]")
        assert answer.value.status == 400, answer.value.text()
        expect(page.locator(slot)).to_have_text(said)


def test_an_upload_over_the_servers_limit_is_said_under_its_file(page: Page, tmp_path: Path) -> None:
    """The server refuses the whole body, naming no field: its words stood below Generate, not
    under the source video that made the body too big."""
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\0" * 34_000_000)  # over the default 32 MiB; refused before it is read
    page.locator("#tab-create").click()
    page.select_option("#f-model", "wan-tiny")
    page.check("#task-v2v")
    page.fill("#f-prompt", "oil painting")
    page.set_input_files("#f-video", str(big))
    status, body = press_generate(page)
    assert status == 413 and body["error"]["param"] is None, body
    expect(page.locator("#err-source_video")).to_have_text(
        f"big.mp4 is 32.4 MiB: the {body['error']['message']}. Choose a smaller file."
    )
    expect(page.locator("#create-form .form-error")).to_be_hidden()
    expect(page.locator("#f-video")).to_be_focused()


def test_project_files_over_the_servers_limit_are_said_under_the_files(page: Page, tmp_path: Path) -> None:
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\0" * 34_000_000)
    page.locator("#tab-projects").click()
    page.evaluate("document.getElementById('project-new').open = true")
    page.fill(
        "#pn-project", "title: Big\nmusic: assets/big.mp4\nscenes:\n  - prompt: a fox\n    duration: 2\n"
    )
    page.set_input_files("#pn-files", str(big))
    with page.expect_response(
        lambda r: r.url.endswith("/v1/projects") and r.request.method == "POST"
    ) as answer:
        page.click("#project-form button[type=submit]")
    error = answer.value.json()["error"]
    assert answer.value.status == 413 and error["param"] is None, error
    expect(page.locator("#pn-files-err")).to_have_text(
        f"big.mp4 is 32.4 MiB: the {error['message']}. Send fewer or smaller files."
    )
    expect(page.locator("#project-form .form-error")).to_be_hidden()
