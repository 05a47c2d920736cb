"""A method kept "as before" that the server refuses (RIFE whose weights went) is said under its step and let go."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing, press_generate


def test_a_refused_kept_method_is_said_under_its_step_and_the_next_generate_runs(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """ "weights: RIFE weights ... do not exist" stood at the foot of the form, and the form, which offers no
    method to pick, sent RIFE again on every Generate: the video could not be made again from its settings."""
    video = quiet_server.create(
        model="reelgen-micro", prompt="smooth fox", interpolate=2, interpolator="flow"
    )
    # Made with RIFE where its weights were; this server has none.
    made = {**video, "status": "completed", "progress": 100, "completed_at": video["created_at"]}
    made["parameters"] = {**video["parameters"], "interpolator": "rife"}
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([made]))
    page = t.open(quiet_server.url + "/#gallery")
    page.locator(f'.gallery-item[data-id="{video["id"]}"]').get_by_role(
        "button", name="Use these settings"
    ).click()
    expect(page.locator("#f-enhance-note")).to_contain_text("Methods as before: interpolator rife.")
    status, body = press_generate(page)
    assert status == 400 and body["error"]["param"] == "interpolator", body
    slot = page.locator("#err-interpolate")
    expect(slot).to_contain_text("RIFE weights")
    expect(slot).to_contain_text(
        "The form now asks for the best method this server has: press Generate again for it."
    )
    expect(page.locator("#create-form .form-error")).to_be_hidden()
    expect(page.locator("#f-enhance-note")).not_to_contain_text("Methods as before")
    status, again = press_generate(page)
    assert status == 202 and again["parameters"]["interpolate"] == 2, again
    assert again["parameters"]["interpolator"] != "rife", again
    assert t.errors == []
