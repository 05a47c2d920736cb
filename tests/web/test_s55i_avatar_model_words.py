"""The Avatar view named its models and nothing more: reelgen-lipsync, the server's choice where musetalk is
not downloaded, is soft and blurry on real photos, and a user learned it only from the video."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_the_avatar_model_field_says_what_the_chosen_model_is_like(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    models = {m["id"]: m for m in quiet_server.http.get("/v1/models").json()["data"]}
    assert not models["musetalk"]["weights"]["present"]  # so the server's choice is reelgen-lipsync
    t = tab()
    page = t.open(f"{quiet_server.url}/#avatar")
    hint = page.locator("#av-model-hint")
    expect(hint).to_have_text(f"Here that is reelgen-lipsync: {models['reelgen-lipsync']['description']}")
    expect(hint).to_contain_text("soft and blurry")
    expect(page.locator("#av-model")).to_have_accessible_description(hint.inner_text())
    page.locator("#av-model").select_option("musetalk-tiny")
    expect(hint).to_have_text(models["musetalk-tiny"]["description"])
    assert t.errors == []
