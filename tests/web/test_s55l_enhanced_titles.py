"""An enhanced clip with no prompt (an uploaded clip, or a video whose model read no text) was titled just
"(no prompt)" in the gallery, as if something had gone missing; it is now named by what it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_enhanced_clips_with_no_prompt_are_titled_by_what_they_are(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = quiet_server.create(model="reelgen-micro")
    # As the server lists finished enhancements: no prompt and no generation settings (parameters null).
    finished: dict[str, Any] = {
        **made,
        "status": "completed",
        "progress": 100,
        "completed_at": made["created_at"],
    }
    upload = {**finished, "id": made["id"][:-4] + "0001", "prompt": "", "parameters": None}
    of_video = {**upload, "id": made["id"][:-4] + "0002", "enhanced_from_video_id": made["id"]}
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([of_video, upload]))
    page = t.open(f"{quiet_server.url}/#gallery")
    title = page.locator(f'.gallery-item[data-id="{upload["id"]}"] .card-title')
    expect(title).to_have_text("Enhanced upload (no prompt)")
    title = page.locator(f'.gallery-item[data-id="{of_video["id"]}"] .card-title')
    expect(title).to_have_text("Enhanced video (no prompt)")
    assert t.errors == []
    quiet_server.http.delete(f"/v1/videos/{made['id']}")
