"""A project file the server could not read was refused under the box in the server's own lower-case words
("the project file line 5, column 1: expected the node content, but found '<stream end>'"); the error now
starts with the line and column, says PyYAML's words plainly, quotes the line, and puts the caret on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route, expect

from tests.web.conftest import Served, Tab
from tests.web.forms import unfold
from tests.web.test_s57f_shared_tab import shared_tab

UNCLOSED = "title: Broken\nscenes:\n  - prompt: a red circle\n    duration: [\n"
UNQUOTED = "title: Broken\nscenes:\n  - prompt: a red circle\n    note: a: b\n    duration: 2\n"


@pytest.fixture(scope="module")
def projects(chromium: Browser, quiet_server: Served, batch_roots: Path) -> Iterator[Tab]:
    """The Projects view, loaded once: each test fills the New project box with the file it sends."""
    with shared_tab(chromium, f"{quiet_server.url}/#projects", batch_roots) as t:
        yield t


def test_a_project_file_error_names_its_line_in_words(projects: Tab) -> None:
    t = projects
    page = t.page
    unfold(page, "#project-new")  # folded while another test's project is on the server
    box = page.locator("#pn-project")
    error = page.locator("#pn-project-err")

    box.fill(UNCLOSED)
    page.get_by_role("button", name="Create project").click()
    expect(error).to_have_text(
        "Line 5, column 1: the file ends where a value should follow (is a [ or { left open, or a quote?)."
    )
    expect(box).to_be_focused()
    assert box.evaluate("b => b.selectionStart") == len(UNCLOSED)  # line 5, column 1: past the last newline

    box.fill(UNQUOTED)
    page.get_by_role("button", name="Create project").click()
    expect(error).to_contain_text("Line 4, column 12: ")
    expect(error).to_contain_text("(line 4 reads “note: a: b”).")
    expect(error).not_to_contain_text("the project file line")
    offset = UNQUOTED.index("note: a: b") + len("note: a")  # column 12 of "    note: a: b"
    assert box.evaluate("b => b.selectionStart") == offset

    # A message with no place in the file keeps its words, starting a sentence.
    box.fill("title: Broken\nscenes:\n  - prompt: a red circle\n    duraton: 2\n")
    page.get_by_role("button", name="Create project").click()
    expect(error).to_have_text(
        "Scene 'scene-1' (scenes[0]): duraton is not a known field; did you mean duration?"
    )
    assert t.errors == []


def test_the_caret_stays_where_someone_went_on_typing(projects: Tab) -> None:
    t = projects
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    t.context.route("**/v1/projects", hold)
    page = t.page
    unfold(page, "#project-new")
    box = page.locator("#pn-project")
    box.fill(UNCLOSED)
    page.get_by_role("button", name="Create project").click()
    while not held:  # the upload is on its way: the person goes on typing meanwhile
        page.wait_for_timeout(50)
    box.focus()
    box.evaluate("b => b.setSelectionRange(7, 7)")  # in "title: |Broken"
    page.keyboard.type("Very ")
    held[0].continue_()
    expect(page.locator("#pn-project-err")).to_contain_text("Line 5, column 1: ")
    assert box.evaluate("b => [b.selectionStart, b.value.slice(0, 19)]") == [12, "title: Very Broken\n"]
    assert t.errors == []
    t.context.unroute("**/v1/projects", hold)
