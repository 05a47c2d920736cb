"""ltx-distilled runs at guidance 1, where no negative prompt is read, yet the form's hint (594a4608)
said that left empty the model uses its own, as if it steered the video at the model's defaults."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab

OWN = "“\u2068worst quality, inconsistent motion, blurry, jittery, distorted\u2069”"


def test_the_hint_says_a_guidance_1_model_reads_no_negative(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    hint = page.locator("#hint-negative_prompt")
    page.select_option("#f-model", "ltx-distilled")
    expect(hint).to_have_text(
        f"What the video should not show (optional). Left empty, this model uses its own: {OWN}. "
        "Read only with Guidance above 1 (this model's default is 1)."
    )
    page.select_option("#f-model", "ltx-tiny")
    expect(hint).to_have_text(
        f"What the video should not show (optional). Left empty, this model uses its own: {OWN}."
    )
    assert t.errors == []
