"""A bound the server gives inside a project file's error reads in plain words, as a field's own does."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab

PROJECT = "title: Too long\nscenes:\n  - id: hero\n    prompt: a red circle\n    duration: 1e9\n"


def test_a_scenes_bound_in_the_project_file_is_said_in_plain_words(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#projects")
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    form = page.locator("#project-form")
    form.locator("textarea").fill(PROJECT)
    with page.expect_response(
        lambda r: r.url.endswith("/v1/projects") and r.request.method == "POST"
    ) as answer:
        form.get_by_role("button", name="Create project").click()
    message = answer.value.json()["error"]["message"]
    assert answer.value.status == 400 and "duration: 1e9 is too large; it takes" in message, message
    error = form.locator('.field[data-param="project"] .field-error')
    # It said "duration: Input should be less than or equal to 3600", Pydantic's words.
    expect(error).to_contain_text("Scene 'hero' (scenes[0]): duration: must be ")
    expect(error).to_contain_text("3600")
    expect(error).not_to_contain_text("Input should be")
    assert t.errors == []
