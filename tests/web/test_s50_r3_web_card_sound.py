"""A video of a model that makes sound, made with its sound turned off (audio false), showed the same
gallery card as one with sound, and the gallery's player starts muted: nothing told them apart."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_a_gallery_card_says_whether_the_record_made_sound(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = [quiet_server.create(model="reelgen-micro", prompt=f"clip {n}") for n in range(3)]
    sounds: list[bool | None] = [True, False, None]
    done = [
        {
            **v,
            "parameters": {**v["parameters"], "audio": audio},
            "status": "completed",
            "progress": 100,
            "completed_at": v["created_at"],
        }
        for v, audio in zip(made, sounds, strict=True)
    ]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")

    def params(n: int) -> str:
        return f'.gallery-item[data-id="{made[n]["id"]}"] .params'

    expect(page.locator(params(0))).to_contain_text("Soundmade with the video")
    expect(page.locator(params(1))).to_contain_text("Soundnone (turned off)")
    expect(page.locator(params(2))).to_contain_text("Seed")
    expect(page.locator(params(2))).not_to_contain_text("Sound")
    assert t.errors == []
    for video in made:
        quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{video['id']}")
