"""The Avatar form's refusal of a long text says the numbers as its count under the box says them.

Under "5,001 of 5,000 characters: 1 more than this server takes" the error read "It has 5001 characters,
and at most 5000 are spoken: shorten it.": the same numbers written two ways, and nothing of by how much.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_a_long_avatar_text_is_refused_in_the_counts_words(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#avatar")
    form = page.locator("#avatar-form")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/v1/avatars") else None)
    form.get_by_label("Or text to speak").fill("y" * 5001)
    expect(form.locator(".char-count")).to_contain_text("5,001 of 5,000 characters")
    form.get_by_role("button", name="Make avatar").click()
    expect(form.locator('.field[data-param="text"] .field-error')).to_have_text(
        "The text to speak has 5,001 characters; this server takes at most 5,000: shorten it by 1."
    )
    assert sent == [] and t.errors == []
