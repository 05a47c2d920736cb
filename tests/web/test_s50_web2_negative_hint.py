"""An LTX model with the Negative prompt left empty uses its own ("worst quality, ..."), though the
form's hint called the box simply optional: a person could not know one was sent."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_the_negative_prompt_hint_names_the_models_own(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    hint = page.locator("#hint-negative_prompt")
    page.select_option("#f-model", "ltx-tiny")
    expect(hint).to_have_text(
        "What the video should not show (optional). Left empty, this model uses its own: "
        "“\u2068worst quality, inconsistent motion, blurry, jittery, distorted\u2069”."
    )
    page.select_option("#f-model", "reelgen-micro")
    expect(hint).to_have_text("What the video should not show (optional).")
    assert t.errors == []
