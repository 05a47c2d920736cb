"""A project file with an unknown field was refused as "Defaults.size is not a known field": the page
gave the server's message a capital, which turned the field's name into one the file cannot hold (YAML
keys are case-sensitive: the file says defaults). A message that starts with a field's path keeps it
as the server wrote it; one that starts with a plain word still starts with a capital."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab

SIZED = "title: Sized\ndefaults:\n  model: reelgen-micro\n  size: 64x64\nscenes:\n  - prompt: a red circle\n"


def test_a_field_path_keeps_its_case(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#projects")
    box = page.locator("#pn-project")
    error = page.locator("#pn-project-err")
    box.fill(SIZED)
    page.get_by_role("button", name="Create project").click()
    expect(error).to_contain_text("is not a known field")
    expect(error).to_contain_text("defaults.size is not a known field; known: model, width, height")
    box.fill("")
    page.get_by_role("button", name="Create project").click()
    expect(error).to_be_visible()
    assert error.inner_text()[:1].isupper(), error.inner_text()
    assert t.errors == []
