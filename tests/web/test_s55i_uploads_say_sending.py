"""While an avatar's or a project's files go up (tens of megabytes, then a server that reads them), the
button only greyed out, still reading "Make avatar" or "Create project": it now says "Sending…", as
Generate and Enhance did."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route, expect

from tests.web.conftest import Served, Tab
from tests.web.forms import unfold
from tests.web.test_s55c_avatar_form import _voice
from tests.web.test_s57f_shared_tab import shared_tab


@pytest.fixture(scope="module")
def quiet_page(chromium: Browser, quiet_server: Served, batch_roots: Path) -> Iterator[Tab]:
    """The quiet server's page, loaded once: each test holds its own upload and goes to its own view."""
    with shared_tab(chromium, quiet_server.url, batch_roots) as t:
        yield t


def test_make_avatar_says_sending_until_the_server_answers(quiet_server: Served, quiet_page: Tab) -> None:
    t = quiet_page
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    t.context.route("**/v1/avatars", hold)
    page = t.page
    page.locator("#tab-avatar").click()
    form = page.locator("#avatar-form")
    form.get_by_label("Voice (audio file)").set_input_files(
        {"name": "hello.wav", "mimeType": "audio/wav", "buffer": _voice()}
    )
    form.get_by_label("Model").select_option("reelgen-lipsync")
    form.locator("button[type=submit]").click()
    sending = form.get_by_role("button", name="Sending…")
    expect(sending).to_be_disabled()
    assert len(held) == 1
    with page.expect_response(lambda r: r.url.endswith("/v1/avatars")) as answer:
        held[0].continue_()
    assert answer.value.status == 202, answer.value.text()
    expect(form.get_by_role("button", name="Make avatar")).to_be_enabled()
    assert t.errors == []
    t.context.unroute("**/v1/avatars", hold)
    quiet_server.http.post(f"/v1/videos/{answer.value.json()['id']}/cancel")


def test_create_project_says_sending_until_the_server_answers(quiet_server: Served, quiet_page: Tab) -> None:
    t = quiet_page
    held: list[Route] = []

    def hold(route: Route) -> None:
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    t.context.route("**/v1/projects", hold)
    page = t.page
    page.locator("#tab-projects").click()
    unfold(page, "#project-new")  # folded while another test's project is on the server
    form = page.locator("#view-projects form").first
    form.locator("textarea").first.fill(
        "title: Sending\ndefaults: {model: reelgen-micro}\nscenes:\n  - prompt: a red circle\n    duration: 2\n"
    )
    form.get_by_role("button", name="Create project").click()
    expect(form.get_by_role("button", name="Sending…")).to_be_disabled()
    assert len(held) == 1
    with page.expect_response(
        lambda r: r.url.endswith("/v1/projects") and r.request.method == "POST"
    ) as answer:
        held[0].continue_()
    assert answer.value.status in (200, 201), answer.value.text()
    button = form.locator("button[type=submit]")  # the form folds away once the project is made
    expect(button).to_have_text("Create project")
    expect(button).to_be_enabled()
    assert t.errors == []
    t.context.unroute("**/v1/projects", hold)
    quiet_server.http.delete(f"/v1/projects/{answer.value.json()['id']}")
