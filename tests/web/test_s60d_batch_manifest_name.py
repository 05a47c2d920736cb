"""A batch started from a file named manifest.json is not named "manifest.json".

`reelgen manifest create` writes every manifest as manifest.json, and choosing it filled the Name with
that: every such batch was listed as "manifest.json", while its items in the queue said "item of batch
380983f7". Left empty, the card says "Batch 380983f7"; a file with a name of its own still names it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_a_plain_manifest_json_leaves_the_name_empty(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    (tmp_path / "shots").mkdir()
    plain, named = tmp_path / "shots" / "manifest.json", tmp_path / "harbour.json"
    for path in (plain, named):
        path.write_text('{"items": [{"output": "harbour"}]}')
    t = tab()
    page = t.open(quiet_server.url + "/#batches")
    name = page.locator("#bf-name")
    page.set_input_files("#bf-manifest-file", plain)
    expect(page.locator("#bf-manifest")).to_have_value(plain.read_text())
    expect(name).to_have_value("")
    page.set_input_files("#bf-manifest-file", named)
    expect(name).to_have_value("harbour.json")
    page.set_input_files("#bf-manifest-file", plain)  # the name follows the file chosen
    expect(name).to_have_value("")
    assert t.errors == []
