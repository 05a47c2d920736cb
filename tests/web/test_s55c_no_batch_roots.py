"""A server started without REELGEN_BATCH_ROOTS refuses every batch and shoot-out: the page shows the
note saying so in place of their forms, not the forms with the note above them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.web.conftest import Served, Tab
from tests.web.test_s57f_shared_tab import shared_tab


@pytest.fixture(scope="module")
def no_roots(chromium: Browser, quiet_server: Served) -> Iterator[Tab]:
    """The page loaded once from the quiet server without REELGEN_BATCH_ROOTS: each case reads a view."""
    with shared_tab(chromium, quiet_server.url, None) as t:
        yield t


@pytest.mark.parametrize(
    ("view", "form", "button", "said"),
    [
        ("batches", "#batch-form", "Start batch", "refuses every batch"),
        ("shootouts", "#shootout-form", "Start shoot-out", "refuses every shoot-out"),
    ],
)
def test_without_batch_roots_the_note_stands_in_for_the_form(
    no_roots: Tab,
    monkeypatch: pytest.MonkeyPatch,
    view: str,
    form: str,
    button: str,
    said: str,
) -> None:
    # A person filled in a manifest, three folders and a name under a red note, and learnt from the
    # refusal that nothing they could have typed would be taken.
    monkeypatch.delenv("REELGEN_BATCH_ROOTS", raising=False)  # read by the quiet server, in this process
    t = no_roots
    page = t.page
    page.locator(f"#tab-{view}").click()
    shown = page.locator(form)
    note = shown.locator(".folders-note")
    expect(note).to_contain_text(said)
    expect(note).to_contain_text("and reload this page")
    expect(shown.get_by_role("button", name=button)).to_be_hidden()
    assert shown.locator(".field:visible").count() == 0
    assert t.errors == []


def test_with_batch_roots_the_batch_form_is_there_to_fill_in(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # The web tests' servers have REELGEN_BATCH_ROOTS (conftest): the form stays, under the folders it may use.
    page = tab().open(f"{quiet_server.url}/#batches")
    form = page.locator("#batch-form")
    expect(form.locator(".folders-note")).to_contain_text("Folders this server may use:")
    expect(form.get_by_role("button", name="Start batch")).to_be_visible()
    expect(form.get_by_label("Manifest (JSON)")).to_be_visible()
