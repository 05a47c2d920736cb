"""A queue card says when its video is made with sound, as the gallery's card does.

The queue's player starts muted, and its card said "ltx2-tiny · 64×64 · 17 frames · 24 fps · seed …" of a
clip with a sound track and of a silent one alike: nothing told a person to unmute it.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_a_queue_card_says_its_video_has_sound(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    loud = quiet_server.create(model="ltx2-tiny", prompt="waves on a shore", audio=True)
    quiet = quiet_server.create(model="reelgen-micro", prompt="a silent fox")
    assert loud["parameters"]["audio"] is True and not quiet["parameters"]["audio"]
    t = tab()
    page = t.open(quiet_server.url)
    expect(page.locator(f'.card[data-id="{loud["id"]}"] .meta')).to_contain_text(" · with sound")
    expect(page.locator(f'.card[data-id="{quiet["id"]}"] .meta')).to_contain_text("reelgen-micro")
    expect(page.locator(f'.card[data-id="{quiet["id"]}"] .meta')).not_to_contain_text("sound")
    assert t.errors == []
    for video in (loud, quiet):
        quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{video['id']}")
