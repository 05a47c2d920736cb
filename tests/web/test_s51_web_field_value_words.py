"""A server message that goes on with the value sent ("source_strength 0.05 x 2 steps leaves no denoising
step") was shown with the field's label glued on: "How much to change it 0.05 x 2 steps leaves ...",
read as one phrase. The label now ends with a colon there; a row's name reads on as before."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab

REFUSAL = (
    "source_strength 0.05 x 2 steps leaves no denoising step; raise it to 0.50 or more, or use more steps"
)


def _refuse(route: Route) -> None:
    if route.request.method != "POST":
        route.fallback()
        return
    error = {"message": REFUSAL, "type": "invalid_request_error", "param": "source_strength", "code": "x"}
    route.fulfill(status=400, json={"error": error})


def test_a_message_on_the_value_sent_reads_after_the_fields_name(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    t.context.route("**/v1/videos", _refuse)
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "wan-tiny")
    page.check('input[name="task"][value="v2v"]', force=True)
    page.fill("#f-prompt", "a fox")
    page.set_input_files("#f-video", {"name": "clip.mp4", "mimeType": "video/mp4", "buffer": b"\0" * 64})
    page.click("#f-submit")
    expect(page.locator("#err-source_strength")).to_have_text(
        "How much to change it: 0.05 x 2 steps leaves no denoising step; raise it to 0.50 or more, "
        "or use more steps"
    )
    assert t.errors == []
