"""Keys a person uses in the Create form: Enter in the prompt is a new line, Ctrl+Enter sends."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_ctrl_enter_in_the_prompt_sends_the_form_and_enter_is_a_new_line(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """Enter is a new line in the many-line prompt, so the only key that sent from there was none."""
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "animatediff-tiny")
    prompt = page.locator("#f-prompt")
    prompt.fill("a paper fox")
    prompt.press("Enter")
    prompt.type("in the snow")
    assert prompt.input_value() == "a paper fox\nin the snow"
    expect(page.locator("#hint-prompt")).to_contain_text("Ctrl+Enter")
    with page.expect_response(lambda r: r.url.endswith("/v1/videos") and r.request.method == "POST") as sent:
        prompt.press("Control+Enter")
    assert sent.value.request.post_data_json["prompt"] == "a paper fox\nin the snow"
    assert prompt.input_value() == "a paper fox\nin the snow"  # no line added by the key that sent it
    assert t.errors == []
