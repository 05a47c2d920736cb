"""The batch's Name, filled from the manifest file chosen, follows the file: choosing a second manifest
kept the first one's name, and the batch was listed under a file it was not made from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_the_name_follows_the_manifest_chosen_unless_typed(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    first, second = tmp_path / "harbour.json", tmp_path / "forest.json"
    first.write_text('{"items": [{"output": "harbour"}]}')
    second.write_text('{"items": [{"output": "forest"}]}')
    t = tab()
    page = t.open(quiet_server.url + "/#batches")
    name = page.locator("#bf-name")
    page.set_input_files("#bf-manifest-file", first)
    expect(name).to_have_value("harbour.json")
    page.set_input_files("#bf-manifest-file", second)
    expect(page.locator("#bf-manifest")).to_have_value(second.read_text())
    expect(name).to_have_value("forest.json")
    # A name the person typed is theirs: another file leaves it.
    name.fill("my shots")
    page.set_input_files("#bf-manifest-file", first)
    expect(page.locator("#bf-manifest")).to_have_value(first.read_text())
    expect(name).to_have_value("my shots")
    assert t.errors == []
