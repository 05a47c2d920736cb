"""A gallery card listed a video's seed, steps and options, but not the LoRAs, keyframes or source
strength its record names: a video made with a LoRA read as if the model alone had made it."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_a_gallery_card_names_the_loras_keyframes_and_strength_the_record_holds(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    shaped = quiet_server.create(model="reelgen-micro", prompt="shaped by more than its prompt")
    plain = quiet_server.create(model="reelgen-micro", prompt="the model alone")
    extra = {
        "loras": [{"name": "ink-style", "strength": 0.8}, {"name": "film", "strength": 1.0}],
        "keyframes": [{"frame": 0, "strength": 1.0}, {"frame": 24, "strength": 0.5}],
        "source_video": True,
        "source_strength": 0.35,
    }
    done = [
        {**shaped, "parameters": {**shaped["parameters"], **extra}},
        plain,
    ]
    done = [{**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]} for v in done]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")
    params = page.locator(f'.gallery-item[data-id="{shaped["id"]}"] .params')
    expect(params).to_contain_text("LoRAsink-style at strength 0.8, film at strength 1")
    expect(params).to_contain_text("Keyframesframe 0 at strength 1, frame 24 at strength 0.5")
    expect(params).to_contain_text("How much changed0.35")
    plain_params = page.locator(f'.gallery-item[data-id="{plain["id"]}"] .params')
    expect(plain_params).to_contain_text("Seed")
    for absent in ("LoRAs", "Keyframes", "How much changed"):
        expect(plain_params).not_to_contain_text(absent)
    assert t.errors == []
    for video in (shaped, plain):
        quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{video['id']}")
