"""The Avatar view holds typed text to the most the server says it speaks (GET /v1/system)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab


def test_the_avatar_form_counts_text_against_the_servers_own_limit(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # The form held text to a 5,000 of its own; the server's limit, said in /v1/system since it was
    # listed there, is the one a refusal names.
    system = quiet_server.http.get("/v1/system").json()
    assert system["detail"]["limits"]["max_avatar_text_chars"] == 5000
    system["detail"]["limits"]["max_avatar_text_chars"] = 40

    def smaller(route: Route) -> None:
        route.fulfill(json=system)

    t = tab()
    t.context.route("**/v1/system", smaller)
    page = t.open(f"{quiet_server.url}/#avatar")
    form = page.locator("#avatar-form")
    expect(form.locator('.field[data-param="text"]')).to_contain_text("up to 40 characters")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/v1/avatars") else None)
    form.get_by_label("Or text to speak").fill("x" * 41)
    form.get_by_role("button", name="Make avatar").click()
    expect(form.locator('.field[data-param="text"] .field-error')).to_have_text(
        "The text to speak has 41 characters; this server takes at most 40: shorten it by 1."
    )
    assert sent == [] and t.errors == []
