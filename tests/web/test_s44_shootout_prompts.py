"""The Shoot-outs Prompts box: a prompt that starts with a bracket is a prompt, and JSON that does not parse says what the box takes."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_a_bracketed_prompt_is_sent_as_a_prompt_and_bad_json_says_what_is_valid(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#shootouts")
    form = page.locator("#shootout-form")
    form.get_by_label("reelgen-micro", exact=True).check()
    form.get_by_label("Report folder on the server").fill("/srv/compare")
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
    # Typed only once the first submit is answered, as a user sees it: this server takes no folders, so the
    # refusal shows under the report folder and focuses that box. Filled while the POST was in flight, the
    # late answer moved the focus mid-fill and the JSON below went into the report folder's box instead.
    expect(form.locator('.field[data-param="output_folder"] .field-error')).to_contain_text(
        "REELGEN_BATCH_ROOTS"
    )
    expect(form.get_by_role("button", name="Start shoot-out")).to_be_enabled()

    prompts.fill('["a fox", ')
    form.get_by_role("button", name="Start shoot-out").click()
    expect(error).to_contain_text("The prompts are not valid JSON (")
    expect(error).to_contain_text(
        '; write one prompt per line, or a prompts file\'s JSON: {"prompts": [...]} or a list.'
    )
    assert t.errors == []
