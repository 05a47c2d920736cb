"""A shoot-out of svd-tiny (image to video only) on prompts written one a line was sent and ran, and every
svd-tiny trial failed ("needs a start image and this prompt has none"): lines carry no image. The form now
says so before sending, and names how to give images."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Request, expect

from tests.web.conftest import Served, Tab


def test_an_image_only_model_on_prompt_lines_is_refused_before_sending(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    posted: list[str] = []

    def note(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/v1/shootouts"):
            posted.append(request.url)

    t.page.on("request", note)
    page = t.open(f"{quiet_server.url}/#shootouts")
    form = page.locator("#shootout-form")
    form.get_by_label("mochi-tiny", exact=True).check()
    form.get_by_label("svd-tiny", exact=True).check()
    form.get_by_label("Prompts", exact=True).fill("a red fox\nwaves")
    form.get_by_label("Report folder on the server").fill("/shots/report")
    form.get_by_role("button", name="Start shoot-out").click()
    error = page.locator("#sf-models-err")
    expect(error).to_contain_text("svd-tiny makes video from a start image only")
    expect(error).to_contain_text(
        "as JSON with images (“The prompts as JSON” under the Prompts box shows how)"
    )
    assert posted == []
    assert t.errors == []
