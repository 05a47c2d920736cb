"""Deleting from the page: a finished video's file goes only once the person says yes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Dialog, expect

from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.store import JobStore
from tests.web.conftest import Served, Tab

CLIP = b"\x00\x00\x00\x18ftypisom" + bytes(1024)


def finished(served: Served, prompt: str) -> dict[str, Any]:
    """A video of the quiet server finished as a worker finishes one: its file saved, then completed."""
    video = served.create(model="reelgen-micro", prompt=prompt)
    store = JobStore(f"sqlite:///{served.data_dir / 'jobs.db'}")
    try:
        claimed = store.claim_next("worker-test", job_id=video["id"])
        assert claimed is not None and claimed.token is not None
        files = Artifacts(served.data_dir).save(video["id"], claimed.token, {"video": CLIP})
        store.complete(video["id"], claimed.token, {"files": files})
    finally:
        store.close()
    return video


def test_deleting_a_finished_video_asks_first_and_no_keeps_it(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # One press deleted the video and its file for good, with Download and Enhance beside it.
    video = finished(quiet_server, "a fox to keep")
    page = tab().open(f"{quiet_server.url}/#gallery")
    item = page.locator(f'.gallery-item[data-id="{video["id"]}"]')
    asked: list[str] = []

    def answer(accept: bool) -> Callable[[Dialog], None]:
        def respond(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return respond

    page.once("dialog", answer(False))
    item.get_by_role("button", name="Delete").click()
    for _ in range(100):  # the dialog's event can reach this process after the click returns
        if asked:
            break
        page.wait_for_timeout(50)
    expect(item).to_be_visible()
    assert asked == [
        "Delete “\u2068a fox to keep\u2069” and its video file from the server? This cannot be undone."
    ]
    assert quiet_server.http.get(f"/v1/videos/{video['id']}").status_code == 200

    page.once("dialog", answer(True))
    item.get_by_role("button", name="Delete").click()
    expect(item).to_have_count(0)
    assert quiet_server.http.get(f"/v1/videos/{video['id']}").status_code == 404


def test_a_cancelled_job_holds_no_file_and_is_deleted_without_asking(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    video = quiet_server.create(model="reelgen-micro", prompt="a fox never made")
    quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
    page = tab().open(quiet_server.url)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    card.get_by_role("button", name="Delete").click()
    expect(card).to_have_count(0)
    assert asked == []
    assert quiet_server.http.get(f"/v1/videos/{video['id']}").status_code == 404


def test_a_video_deleted_in_another_tab_is_said_so_not_named_as_the_apis_video_id(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """Remixing, or downloading from the gallery, a video another tab deleted said "video_id: No video
    'video_…'" and left its card's buttons, which could only fail the same way."""
    first = finished(quiet_server, "a fox deleted elsewhere")
    second = finished(quiet_server, "a hare deleted elsewhere")
    page = tab().open(f"{quiet_server.url}/#gallery")
    item = page.locator(f'.gallery-item[data-id="{second["id"]}"]')
    card = page.locator(f'.card[data-id="{first["id"]}"]')
    # CLIP is no video a browser plays: once both players have said so, they ask the server nothing more.
    unplayable = "This browser cannot play this video; Download it to watch it in a player."
    expect(item.locator(".gone")).to_have_text(unplayable)
    expect(card.locator(".card-error")).to_have_text(unplayable)
    for video in (first, second):  # another tab, or a script
        assert quiet_server.http.delete(f"/v1/videos/{video['id']}").status_code == 200
    item.get_by_role("button", name="Download").click()
    expect(item.locator('.card-error[role="alert"]')).to_have_text(
        "“\u2068a hare deleted elsewhere\u2069” is no longer on the server: it was deleted (in another tab or by a script)."
    )

    card.get_by_role("button", name="Remix").click()
    page.fill("#f-prompt", "a fox at dawn")
    with page.expect_response(lambda r: r.url.endswith("/remix")) as answer:
        page.click("#f-submit")
    assert answer.value.status == 404
    said = "“\u2068a fox deleted elsewhere\u2069” is no longer on the server: it was deleted (in another tab or by a script)."
    expect(page.locator("#create-form .form-error")).to_have_text(
        f"{said} It cannot be remixed; its settings stay in the form: press Generate to make a new video from them."
    )
    expect(page.locator("#f-submit")).to_have_text("Generate")  # the remix is over; the prompt stays
    expect(page.locator("#f-prompt")).to_have_value("a fox at dawn")
    expect(card.locator(".card-error")).to_have_text(said)
    expect(card.locator(".card-actions button")).to_have_text(["Use these settings", "Delete"])
