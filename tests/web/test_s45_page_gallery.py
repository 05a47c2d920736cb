"""The gallery says what ran after the model: a clip interpolated and upscaled showed only its final
size and rate, with nothing to say the model made a smaller, slower one (which "Use these settings" fills in)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_an_enhanced_clip_names_its_steps_and_the_clip_the_model_made(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    video = quiet_server.create(model="reelgen-micro", prompt="after the model", interpolate=2, upscale=2)
    plain = quiet_server.create(model="reelgen-micro", prompt="as the model made it")
    done = [
        {**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]} for v in (video, plain)
    ]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")
    params = page.locator(f'.gallery-item[data-id="{video["id"]}"] .params')
    p = video["parameters"]
    expect(params).to_contain_text("Size256×256")
    expect(params).to_contain_text(
        f"After generationSmoother motion ×2 frames ({p['interpolator']}); Sharper, larger ×2 ({p['upscaler']})"
    )
    expect(params).to_contain_text("Generated as128×128, 25 frames at 12 fps")
    plain_params = page.locator(f'.gallery-item[data-id="{plain["id"]}"] .params')
    expect(plain_params).to_contain_text("Size128×128")
    expect(plain_params).not_to_contain_text("After generation")
    assert t.errors == []
