"""The Shoot-outs Prompts box: a prompt that starts with a bracket is a prompt, and JSON that does not parse says what the box takes."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Locator, Page, Route, expect

from tests.web.conftest import Served, Tab


def _shootout_form(server: Served, tab: Callable[..., Tab]) -> tuple[Tab, Page, Locator]:
    """A tab on the Shoot-outs view, reelgen-micro ticked and /srv/compare as the report folder."""
    t = tab()
    page = t.open(f"{server.url}/#shootouts")
    form = page.locator("#shootout-form")
    form.get_by_label("reelgen-micro", exact=True).check()
    form.get_by_label("Report folder on the server").fill("/srv/compare")
    return t, page, form


def test_a_bracketed_prompt_is_sent_as_a_prompt_and_bad_json_says_what_is_valid(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t, page, form = _shootout_form(quiet_server, tab)
    prompts = form.get_by_label("Prompts", exact=True)
    error = form.locator('.field[data-param="prompts"] .field-error')

    prompts.fill("{a} fox\n[slow motion] waves at dusk")
    with page.expect_request(lambda r: r.url.endswith("/v1/shootouts") and r.method == "POST") as sent:
        form.get_by_role("button", name="Start shoot-out").click()
    # Refused as JSON before: "The prompts are not valid JSON (Unexpected token 's' ...)."
    assert json.loads(sent.value.post_data or "")["prompts"] == {
        "prompts": ["{a} fox", "[slow motion] waves at dusk"]
    }
    expect(error).to_be_hidden()
    # Typed only once the first submit is answered, as a user sees it: the folder is not one this server may use, so the
    # refusal shows under the report folder and focuses that box. Filled while the POST was in flight, the
    # late answer moved the focus mid-fill and the JSON below went into the report folder's box instead.
    expect(form.locator('.field[data-param="output_folder"] .field-error')).to_contain_text(
        "is outside the folders this server may use"
    )
    expect(form.get_by_role("button", name="Start shoot-out")).to_be_enabled()

    prompts.fill('["a fox", ')
    form.get_by_role("button", name="Start shoot-out").click()
    # Where, in words (json_place.js), not Chrome's "Unexpected end of JSON input".
    expect(error).to_contain_text(
        "The prompts are not valid JSON: line 1, column 11: the JSON ends inside the list opened with '[' "
        "at line 1, column 1; close it with ']'"
    )
    expect(error).to_contain_text(
        '. Or write one prompt per line, or a prompts file\'s JSON: {"prompts": [...]} or a list.'
    )
    assert t.errors == []


def test_a_refusal_that_arrives_while_someone_types_leaves_their_typing_where_it_was(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t, page, form = _shootout_form(quiet_server, tab)
    folder = form.get_by_label("Report folder on the server")
    prompts = form.get_by_label("Prompts", exact=True)
    prompts.fill("a fox")
    folder_error = form.locator('.field[data-param="output_folder"] .field-error')
    # The server's answer is held until the person has gone back to the prompts and typed.
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/v1/shootouts", hold)
    form.get_by_role("button", name="Start shoot-out").click()
    while not held:
        page.wait_for_timeout(20)
    prompts.press("End")
    page.keyboard.type(" at dusk")
    held[0].continue_()
    expect(folder_error).to_contain_text("is outside the folders this server may use")
    page.keyboard.type(", then rain")
    # The refusal is shown and marked, and what was typed after it stayed in the prompts box.
    expect(prompts).to_be_focused()
    expect(prompts).to_have_value("a fox at dusk, then rain")
    expect(folder).to_have_value("/srv/compare")
    expect(folder).to_have_attribute("aria-invalid", "true")

    # Submitted again with no typing since, the refusal takes the focus to the box it names, as before.
    page.unroute("**/v1/shootouts")
    form.get_by_role("button", name="Start shoot-out").click()
    expect(folder).to_be_focused()
    assert t.errors == []
