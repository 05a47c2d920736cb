""" "Use these settings" of a video whose length or rate the form does not offer puts it in its place.

A shoot-out's reelgen-micro trial of 9 frames at 10 fps loaded into the form with "0.9 s · 9 frames" last in
the Duration list, under "12.1 s · 121 frames", and "10 fps (as before)" under 30 fps.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_a_length_and_rate_from_outside_the_presets_go_in_order(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = quiet_server.create(prompt="a short trial", model="reelgen-micro")
    parameters = {**made["parameters"], "num_frames": 9, "fps": 10.0}
    done = {
        **made,
        "status": "completed",
        "progress": 100,
        "completed_at": made["created_at"],
        "num_frames": 9,
        "fps": 10.0,
        "parameters": parameters,
    }
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([done]))
    page = t.open(quiet_server.url + "/#gallery")
    page.locator(f'.gallery-item[data-id="{done["id"]}"]').get_by_role(
        "button", name="Use these settings"
    ).click()
    expect(page.locator("#f-frames")).to_have_value("9")
    durations = page.locator("#f-frames option").all_inner_texts()
    assert durations[:2] == ["0.9 s · 9 frames", "1.3 s · 13 frames"], durations
    assert page.locator("#f-fps option").all_inner_texts()[:3] == [
        "8 fps",
        "10 fps (as before)",
        "12 fps (model's own)",
    ]
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{made['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{made['id']}")
