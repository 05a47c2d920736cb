"""Picking ltx2-tiny printed LTX-2's own negative prompt (about 800 characters) in full under the
Negative prompt box, where it took over the form; it now shows folded, its opening and a "show all"
that unfolds it, still readable in full."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

OPENING = "Left empty, this model uses its own: “\u2068blurry, out of focus, overexposed"
ENDING = "stylized filters, or AI artifacts. show less\u2069”."  # the toggle ends the quote


def test_ltx2s_own_negative_shows_folded_and_unfolds(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "ltx2-tiny")
    hint = page.locator("#hint-negative_prompt")
    expect(hint).to_contain_text(OPENING, use_inner_text=True)
    expect(hint).not_to_contain_text("or AI artifacts", use_inner_text=True)
    # Folded, it reads as a hint: a few lines, not a page of them (in full it is nine at this width).
    box = hint.bounding_box()
    assert box is not None and box["height"] < 60, box
    toggle = hint.get_by_role("button", name="show all")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(hint).to_contain_text(ENDING, use_inner_text=True)
    expect(hint).not_to_contain_text("…", use_inner_text=True)
    hint.get_by_role("button", name="show less").click()
    expect(hint).not_to_contain_text("or AI artifacts", use_inner_text=True)
    # A short one (LTX's own) is shown whole, with nothing to unfold.
    page.select_option("#f-model", "ltx-tiny")
    expect(hint).to_contain_text("jittery, distorted\u2069”.", use_inner_text=True)
    expect(hint.get_by_role("button")).to_have_count(0)
    assert t.errors == []


def test_the_gallery_card_folds_ltx2s_own_negative(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    empty = quiet_server.create(model="ltx2-tiny", prompt="no negative typed")
    done = [{**empty, "status": "completed", "progress": 100, "completed_at": empty["created_at"]}]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")
    negative = page.locator(f'.gallery-item[data-id="{empty["id"]}"] .params dd').filter(
        has_text="blurry, out of focus"
    )
    expect(negative).to_contain_text("(the model's own: none was given)", use_inner_text=True)
    expect(negative).not_to_contain_text("or AI artifacts", use_inner_text=True)
    negative.get_by_role("button", name="show all").click()
    expect(negative).to_contain_text(
        "or AI artifacts. (the model's own: none was given)", use_inner_text=True
    )
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{empty['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{empty['id']}")


def test_the_unfolded_negative_stays_open_as_guidance_changes(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "ltx2-tiny")
    hint = page.locator("#hint-negative_prompt")
    hint.get_by_role("button", name="show all").click()
    # The hint is said again with each Guidance typed (whether the negative is read): it folded up again.
    page.fill("#f-guidance", "0.5")
    expect(hint).to_contain_text("Read only with Guidance above 1 (it is 0.5 here)")
    expect(hint).to_contain_text("or AI artifacts.", use_inner_text=True)
    expect(hint.get_by_role("button", name="show less")).to_be_visible()
    assert t.errors == []
