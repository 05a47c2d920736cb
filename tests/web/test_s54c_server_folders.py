"""The Batches and Shoot-outs forms say up front which server folders they may use, or that there are none.

A server started without REELGEN_BATCH_ROOTS refuses every batch and shoot-out, yet the page offered both
forms as if they worked: a person filled in a manifest, three folders and a name, and learnt only from the
refusal that nothing they could type would have been taken.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_without_batch_roots_the_batch_form_says_so_before_anything_is_typed(
    quiet_server: Served, tab: Callable[..., Tab], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REELGEN_BATCH_ROOTS", raising=False)  # read by the quiet server, in this process
    assert quiet_server.http.get("/v1/system").json()["detail"]["batch_roots"] == []
    page = tab().open(f"{quiet_server.url}/#batches")
    note = page.locator("#batch-new .folders-note")
    expect(note).to_contain_text("refuses every batch")
    expect(note).to_contain_text("REELGEN_BATCH_ROOTS=/path/to/shots")
    expect(note).to_contain_text("reelgen batch manifest.json")


def test_with_batch_roots_the_shootout_form_names_the_folders_it_may_use(
    quiet_server: Served, tab: Callable[..., Tab], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    root = str(tmp_path.resolve())
    assert quiet_server.http.get("/v1/system").json()["detail"]["batch_roots"] == [root]
    page = tab().open(f"{quiet_server.url}/#shootouts")
    expect(page.locator("#shootout-new .folders-note")).to_have_text(
        f"Folders this server may use: {root} (and the folders inside)."
    )
    expect(page.get_by_label("Report folder on the server")).to_have_attribute("placeholder", f"{root}/…")
