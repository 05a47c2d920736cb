"""A target frame rate over the endpoint's cap is told this clip's range: the server's answer to 2000,
"must be a number above 0 and at most 1000", contradicted the hint ("above 24 ... up to 384") and
invited a 500 it then refused."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_a_rate_over_the_cap_is_told_the_clips_range_before_sending(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    video = quiet_server.create(model="reelgen-micro", prompt="too fast to enhance", fps=24)
    done = {**video, "status": "completed", "progress": 100, "completed_at": video["created_at"]}
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([done]))
    sent: list[str] = []
    t.context.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page = t.open(quiet_server.url + "/#gallery")
    page.locator(f'.gallery-item[data-id="{video["id"]}"]').get_by_role("button", name="Enhance").click()
    page.select_option("#enh-interpolate", "rate")
    for typed in ("2000", "1e9"):
        page.fill("#enh-target_fps", typed)
        page.click("#enh-submit")
        expect(page.locator("#enh-target_fps-err")).to_have_text(
            f"Target frame rate {typed} is too high: give a rate above 24 (the clip's rate) "
            "and up to 384 (e.g. 60)."
        )
    assert sent == []
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{video['id']}")
