"""What the page says where it said too little or too much: a prompt over the server's limit was first told in
the server's refusal (the limit was only in /openapi.json); a card's bar and buttons were named by the whole
prompt; a pasted manifest that is not JSON showed Chrome's "Expected double-quoted property name ... position
26"; a keyframe row's file picker said "No file chosen" in the middle of the row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request, expect

from tests.web.conftest import Served, Tab
from tests.web.test_s57f_shared_tab import shared_tab

LONG = (
    "a red fox trotting through fresh snow at dawn, soft golden light on the pines, breath steaming, "
    "the camera following low beside it as it stops to listen"
)


@pytest.fixture(scope="module")
def quiet_page(chromium: Browser, quiet_server: Served, batch_roots: Path) -> Iterator[Tab]:
    """The quiet server's page, loaded once: each test goes to the view whose form it fills or reads."""
    with shared_tab(chromium, quiet_server.url, batch_roots) as t:
        yield t


def test_the_prompt_is_counted_against_the_servers_limit(
    serve_app: Callable[..., Served], tab: Callable[..., Tab]
) -> None:
    server = serve_app(max_prompt_chars=40)
    t = tab()
    page = t.open(server.url)
    creates: list[Request] = []
    page.on("request", lambda r: creates.append(r) if r.method == "POST" and "/v1/videos" in r.url else None)
    count = page.locator("#f-prompt-count")
    expect(count).to_have_text("0 of 40 characters")
    expect(page.locator("#f-negative-count")).to_be_hidden()  # optional: counted once typed in
    page.locator("#f-prompt").fill("a" * 38 + "🦊🦊")  # counted as the server counts: 40, not JavaScript's 42
    expect(count).to_have_text("40 of 40 characters")
    page.locator("#f-prompt").fill("a" * 38 + "🦊🦊 run")
    expect(count).to_have_text(
        "44 of 40 characters: 4 more than this server takes; shorten the prompt before sending."
    )
    expect(page.locator("#f-prompt")).to_have_accessible_description(
        "Ctrl+Enter (⌘+Enter on a Mac) sends the form from here. 44 of 40 characters: 4 more than this server "
        "takes; shorten the prompt before sending.",
    )
    page.click("#f-submit")
    expect(page.locator("#err-prompt")).to_have_text(
        "The prompt has 44 characters; this server takes at most 40 (REELGEN_MAX_PROMPT_CHARS): shorten it by 4."
    )
    expect(page.locator("#f-prompt")).to_be_focused()
    assert creates == []  # refused before sending
    assert t.errors == []


def test_a_cards_bar_and_buttons_are_named_by_the_prompts_first_words(
    serve_app: Callable[..., Served], tab: Callable[..., Tab]
) -> None:
    server = serve_app()  # its own: a project on the shared server folds other tests' "New project" form
    video = server.create(prompt=LONG)
    t = tab()
    page = t.open(server.url)
    card = page.locator(f'#cards .card[data-id="{video["id"]}"]')
    expect(card.locator(".card-title")).to_have_text(LONG)
    expect(card.locator("progress")).to_have_accessible_name(
        "Progress of “a red fox trotting through fresh snow at dawn…”"
    )
    expect(card.get_by_role("button", name="Cancel")).to_have_accessible_description(
        "a red fox trotting through fresh snow at dawn…"
    )

    # A project's buttons likewise, by its title's first words.
    title = "A walk by the harbour at dusk with the gulls overhead and the boats coming in"
    made = server.http.post(
        "/v1/projects", json={"project": f"title: {title}\nscenes:\n  - prompt: a red fox\n    duration: 1\n"}
    )
    assert made.status_code in (200, 201), made.text
    page.goto(f"{server.url}/#projects")
    project = page.locator(f'.card.project[data-id="{made.json()["id"]}"]')
    expect(project.locator(".card-title")).to_have_text(title)
    expect(project.get_by_role("button", name="Delete")).to_have_accessible_description(
        "A walk by the harbour at dusk with the gulls…"
    )
    assert t.errors == []


def test_a_manifest_that_is_not_json_is_said_in_words_with_its_place(quiet_page: Tab) -> None:
    t = quiet_page
    page = t.page
    page.locator("#tab-batches").click()
    form = page.locator("#batch-form")
    box = form.get_by_label("Manifest (JSON)")
    # It said "the manifest's file name when empty", and a pasted manifest's batch was shown as "Batch 9dc006a9".
    expect(form.get_by_label("Name (optional)")).to_have_accessible_description(
        "Shown in this list. Choosing a manifest file fills in its name (not a plain manifest.json); left empty, "
        "the batch is shown as “Batch” and a short id."
    )
    text = '{"items": [\n  {output: "one"}\n]}'
    box.fill(text)
    form.get_by_label("Folder on the server", exact=True).fill("/data/shots")
    form.get_by_role("button", name="Start batch").click()
    expect(form.locator('.field[data-param="manifest"] .field-error')).to_have_text(
        'The manifest is not valid JSON: line 2, column 4: the name output has no quotes; write "output" '
        '(line 2 reads “{output: "one"}”).'
    )
    assert box.evaluate("b => b.selectionStart") == text.index("output")  # the caret is on it

    box.fill('{"items": [{"output": "one"},]}')
    form.get_by_role("button", name="Start batch").click()
    expect(form.locator('.field[data-param="manifest"] .field-error')).to_contain_text(
        "line 1, column 30: a ',' before the ']'; remove the last ','"
    )

    # Nested past the call stack: no place is found, and the browser's own words stand (no uncaught error).
    box.fill("[" * 200_000)
    form.get_by_role("button", name="Start batch").click()
    expect(form.locator('.field[data-param="manifest"] .field-error')).to_contain_text(
        "The manifest is not valid JSON ("
    )
    assert t.errors == []


def test_a_keyframe_rows_picker_names_its_file(quiet_page: Tab) -> None:
    t = quiet_page
    page = t.page
    page.locator("#tab-create").click()
    page.select_option("#f-model", "ltx-tiny")
    page.locator('label[for="task-keyframes"]').click()
    row = page.locator("#f-keyframe-rows > li").first
    expect(row.locator(".file-pick")).to_have_text("Choose imageno image yet")
    picker = page.get_by_label("Keyframe 1 image")
    picker.set_input_files(
        {"name": "first frame.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}
    )
    expect(row.locator(".file-name")).to_have_text("first frame.png")
    picker.focus()
    expect(picker).to_be_focused()  # the input itself still takes the focus, and its errors land on it
    assert t.errors == []


def test_shootout_prompts_that_are_not_json_are_said_in_words(quiet_page: Tab) -> None:
    t = quiet_page
    page = t.page
    page.locator("#tab-shootouts").click()
    form = page.locator("#shootout-form")
    form.get_by_role("checkbox", name="reelgen-micro").check()
    box = page.locator("#sf-prompts")
    box.fill('{"prompts": [\n  {"id": "fox", "prompt": \'a fox\'}\n]}')
    form.get_by_label("Report folder on the server").fill("/data/compare")
    form.get_by_role("button", name="Start shoot-out").click()
    expect(form.locator('.field[data-param="prompts"] .field-error')).to_have_text(
        "The prompts are not valid JSON: line 2, column 27: a text in single quotes; JSON takes double quotes: "
        '"…" (line 2 reads “{"id": "fox", "prompt": \'a fox\'}”). Or write one prompt per line, or a prompts '
        'file\'s JSON: {"prompts": [...]} or a list.'
    )
    assert box.evaluate("b => b.selectionStart") == box.input_value().index("'a fox'")
    assert t.errors == []


def test_the_avatar_forms_fields_stand_apart(quiet_page: Tab) -> None:
    """Each field's label stood right under the hint of the one above, as if one field ran into the next."""
    page = quiet_page.page
    page.locator("#tab-avatar").click()
    expect(page.locator("#avatar-form")).to_be_visible()
    hint = page.locator("#avatar-form .field").nth(1).locator(".hint").bounding_box()
    label = page.locator("#avatar-form .field").nth(2).locator("label").first.bounding_box()
    assert hint is not None and label is not None
    assert label["y"] - (hint["y"] + hint["height"]) >= 8


def test_a_running_shootouts_trials_without_a_job_yet_are_to_come(
    serve_app: Callable[..., Served], tab: Callable[..., Tab], batch_roots: Path
) -> None:
    """A shoot-out queues one trial at a time: its card said "3 not queued" while it ran, as if dropped."""
    server = serve_app()  # its own: a shoot-out on the shared server folds other tests' "New shoot-out" form
    made = server.http.post(
        "/v1/shootouts",
        json={
            "models": ["reelgen-micro", "wan-tiny"],
            "prompts": {"prompts": ["a red fox", "waves at dusk"]},
            "output_folder": str(batch_roots / "to-come"),
        },
    )
    assert made.status_code in (200, 201, 202), made.text
    t = tab()
    page = t.open(f"{server.url}/#shootouts")
    card = page.locator(f'.parent[data-id="{made.json()["id"]}"]')
    expect(card.locator(".counts")).to_have_text("4 trials: 0 done · 1 queued · 3 to come")
    assert t.errors == []
