""" "Use these settings" on an LTX video said its model's own options (decode_timestep 0,
image_cond_noise_scale 0.15, ...) were "not carried over" and were to be sent through the API,
though a new video gets them anyway; only options a person chose are worth that notice."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_only_options_a_person_chose_are_said_not_carried_over(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    plain = quiet_server.create(model="ltx-tiny", prompt="as the model has it")
    chosen = quiet_server.create(model="ltx-tiny", prompt="chosen", options={"max_sequence_length": 64})
    done = [
        {**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]}
        for v in (plain, chosen)
    ]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")
    notice = page.locator("#f-not-carried")
    page.locator(f'.gallery-item[data-id="{chosen["id"]}"]').get_by_role(
        "button", name="Use these settings"
    ).click()
    expect(page.locator("#f-prompt")).to_have_value("chosen")
    expect(notice).to_have_text(
        "Not carried over (this form has no field for them): options.max_sequence_length 64. "
        "Send them through the API (POST /v1/videos) to use them again."
    )
    page.locator("#tab-gallery").click()
    page.locator(f'.gallery-item[data-id="{plain["id"]}"]').get_by_role(
        "button", name="Use these settings"
    ).click()
    expect(page.locator("#f-prompt")).to_have_value("as the model has it")
    expect(notice).to_be_hidden()
    assert t.errors == []
    for video in (plain, chosen):
        quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{video['id']}")


def test_the_gallery_names_options_a_person_chose(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    """The gallery listed no options at all: a video made with max_sequence_length 64 looked like any other."""
    plain = quiet_server.create(model="ltx-tiny", prompt="as the model has it")
    chosen = quiet_server.create(
        model="ltx-tiny", prompt="chosen", options={"max_sequence_length": 64, "guidance_rescale": 0.5}
    )
    done = [
        {**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]}
        for v in (plain, chosen)
    ]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")
    expect(page.locator(f'.gallery-item[data-id="{chosen["id"]}"] .params')).to_contain_text(
        "Optionsguidance_rescale 0.5, max_sequence_length 64"
    )
    plain_params = page.locator(f'.gallery-item[data-id="{plain["id"]}"] .params')
    expect(plain_params).to_contain_text("Seed")
    expect(plain_params).not_to_contain_text("Options")
    assert t.errors == []
    for video in (plain, chosen):
        quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{video['id']}")
