"""The page after this session's API changes: the server's errors in the form's words, under their field."""

from __future__ import annotations

from collections.abc import Callable

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
    expect(slot).to_have_text(body["error"]["message"].replace("num_inference_steps: ", "Steps: "))
    expect(slot).not_to_contain_text("num_inference_steps")

    page.fill("#f-steps", "2")
    page.fill("#f-guidance", "1000")
    status, body = press_generate(page)
    assert status == 400 and body["error"]["param"] == "guidance_scale", body
    slot = page.locator('.field[data-param="guidance_scale"] .field-error')
    expect(slot).to_have_text(f"Guidance: {body['error']['message'].split(': ', 1)[1]}")
    assert t.errors == []
