"""A server's refusal shows under the field it names without taking the focus from someone still typing."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab


def test_a_refusal_of_generate_that_arrives_while_someone_types_leaves_their_typing_where_it_was(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    prompt, seed = page.locator("#f-prompt"), page.locator("#f-seed")
    prompt.fill("a red fox")
    # The create is held until the person has gone back to the prompt and typed, then refused naming
    # the seed, as a server refuses one it cannot take.
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/v1/videos", hold)
    page.click("#f-submit")
    while not held:
        page.wait_for_timeout(20)
    prompt.press("End")
    page.keyboard.type(" at dusk")
    refusal = {"error": {"message": "seed: the server refused it", "param": "seed", "code": "invalid_value"}}
    held[0].fulfill(status=400, content_type="application/json", body=json.dumps(refusal))
    expect(page.locator('.field[data-param="seed"] .field-error')).to_contain_text("the server refused it")
    page.keyboard.type(", then rain")
    expect(prompt).to_be_focused()
    expect(prompt).to_have_value("a red fox at dusk, then rain")
    expect(seed).to_have_attribute("aria-invalid", "true")

    # Pressed again with no typing since, the refusal takes the focus to the field it names, as before.
    held.clear()
    page.click("#f-submit")
    while not held:
        page.wait_for_timeout(20)
    held[0].fulfill(status=400, content_type="application/json", body=json.dumps(refusal))
    expect(seed).to_be_focused()
    assert t.errors == []
