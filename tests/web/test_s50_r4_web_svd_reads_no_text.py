"""SVD reads no text, yet the form asked for a prompt and negative prompt as for any model, and the
gallery showed an SVD video's negative as if used: both now say the text is not read."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

NOT_READ = "not read: this model reads no text, it animates its start image alone"


def test_the_form_and_gallery_say_svd_reads_no_text(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    svd = quiet_server.create(model="reelgen-micro", prompt="a lake", negative_prompt="rain")
    plain = quiet_server.create(model="reelgen-micro", prompt="a river", negative_prompt="fog")
    made = (svd, plain)
    done = [{**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]} for v in made]
    done[0]["model"] = "svd-tiny"  # an SVD video's record (it needs a start image to be made for real)
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "svd-tiny")
    expect(page.locator("#hint-prompt")).to_contain_text(f"Not read: {NOT_READ[10:]}")
    expect(page.locator("#hint-negative_prompt")).to_have_text(f"Not read: {NOT_READ[10:]}.")
    page.select_option("#f-model", "reelgen-micro")
    expect(page.locator("#hint-prompt")).not_to_contain_text("Not read")
    expect(page.locator("#hint-negative_prompt")).to_have_text("What the video should not show (optional).")
    page.goto(quiet_server.url + "/#gallery")

    def params(video: dict[str, object]) -> str:
        return f'.gallery-item[data-id="{video["id"]}"] .params'

    expect(page.locator(params(svd))).to_contain_text(f"Prompt{NOT_READ}")
    expect(page.locator(params(svd))).to_contain_text(f"Negativerain ({NOT_READ})")
    expect(page.locator(params(plain))).to_contain_text("Negativefog")
    expect(page.locator(params(plain))).not_to_contain_text("not read")
    assert t.errors == []
    for video in made:
        quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{video['id']}")
