"""An error the server names by a path inside one field (a manifest's item) is said with that path (alone)."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_a_manifest_items_missing_field_is_named_not_the_whole_manifest(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # The server answers `manifest.items[0].output is required`; the page said "Manifest (JSON) is
    # required" under a box holding a manifest, as if none had been given.
    page = tab().open(f"{quiet_server.url}/#batches")
    form = page.locator("#batch-form")
    form.get_by_label("Manifest (JSON)").fill(
        json.dumps({"items": [{"prompt": "a fox", "model": "reelgen-micro"}]})
    )
    form.get_by_label("Folder on the server", exact=True).fill("/data/shots")
    with page.expect_response(lambda r: r.url.endswith("/v1/batches")) as answer:
        form.get_by_role("button", name="Start batch").click()
    error = answer.value.json()["error"]
    assert answer.value.status == 400 and error["param"] == "manifest.items[0].output", error
    slot = form.locator('.field[data-param="manifest"] .field-error')
    # Under the box, the inner path alone: "Manifest (JSON): items[0].output ..." named the place twice.
    expect(slot).to_have_text("items[0].output is required")
    expect(form.get_by_label("Manifest (JSON)")).to_be_focused()
    assert quiet_server.http.get("/v1/batches").json()["data"] == []
