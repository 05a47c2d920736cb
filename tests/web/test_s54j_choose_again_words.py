""" "Use these settings" said why to choose each file again in two wordings: "files are not copied" under
the start image, "images are not copied" under the end image and keyframes. All three now say it alike."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

WHY = ": files are not copied from the old video."


def test_every_file_to_choose_again_says_why_alike(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    made = quiet_server.create(model="ltx-tiny", prompt="a red square turns blue")
    done = {**made, "status": "completed", "progress": 100, "completed_at": made["created_at"]}
    params = done["parameters"]
    pinned = {**done, "parameters": {**params, "task": "i2v", "input_reference": True, "end_image": True}}
    keyed = {
        **done,
        "id": made["id"] + "k",
        "parameters": {**params, "task": "keyframes", "keyframes": [{"frame": 0, "strength": 1.0}]},
    }
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([pinned, keyed]))
    page = t.open(quiet_server.url + "/#gallery")
    page.locator(f'.gallery-item[data-id="{pinned["id"]}"]').get_by_role(
        "button", name="Use these settings"
    ).click()
    expect(page.locator("#err-input_reference")).to_have_text("Choose the start image again" + WHY)
    expect(page.locator("#err-end_image")).to_have_text("Choose the end image again" + WHY)
    page.click("nav >> text=Gallery")
    page.locator(f'.gallery-item[data-id="{keyed["id"]}"]').get_by_role(
        "button", name="Use these settings"
    ).click()
    expect(page.locator("#err-keyframe_images")).to_have_text("Choose each keyframe's image again" + WHY)
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{made['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{made['id']}")
