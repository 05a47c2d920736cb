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
    expect(item).to_be_visible()
    assert asked == ["Delete “a fox to keep” and its video file from the server? This cannot be undone."]
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
