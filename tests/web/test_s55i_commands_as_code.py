"""Commands named in the Projects and Batches hints showed their Markdown backticks ("as `reelgen project
new` makes it"); they are set as code, as the page's other commands are."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_hints_show_commands_as_code_without_backticks(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#projects")
    hint = page.locator("#view-projects .field", has=page.get_by_label("Project file")).locator(".hint")
    expect(hint).to_have_text(
        "The project.yaml (or .json) of a storyboard folder, as reelgen project new makes it. "
        "It loads into the box below."
    )
    expect(hint.locator("code")).to_have_text("reelgen project new")
    page.locator("#tab-batches").click()
    hint = page.locator("#bf-manifest-file-hint")
    expect(hint).to_have_text(
        "A manifest.json, as reelgen manifest create makes it (reelgen manifest schema prints its fields). "
        "It loads into the box below."
    )
    expect(hint.locator("code")).to_have_text(["reelgen manifest create", "reelgen manifest schema"])
    assert t.errors == []
