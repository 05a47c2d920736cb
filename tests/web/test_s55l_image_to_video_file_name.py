"""Downloaded from the page, a video from a model that reads only a start image (no prompt) was saved as
"video-<id>.mp4", while its card says "Image to video (no prompt)"; it is now "image-to-video-<id>.mp4"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_an_image_to_video_with_no_prompt_downloads_under_what_it_is(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = quiet_server.create(model="reelgen-micro")
    # As the server lists a finished svd video: no prompt, made from a start image.
    done = {
        **made,
        "prompt": "",
        "status": "completed",
        "progress": 100,
        "completed_at": made["created_at"],
        "parameters": {**(made.get("parameters") or {}), "task": "i2v", "input_reference": True},
    }
    clip = b"\x00\x00\x00\x18ftypmp42 not a real clip"
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([done]))
    t.context.route(
        lambda url: url.endswith(f"/v1/videos/{made['id']}/content"),
        lambda route: route.fulfill(body=clip, content_type="video/mp4"),
    )
    page = t.open(f"{quiet_server.url}/#gallery")
    item = page.locator(f'.gallery-item[data-id="{made["id"]}"]')
    expect(item.locator(".card-title")).to_have_text("Image to video (no prompt)")
    with page.expect_download() as saved:
        item.get_by_role("button", name="Download").click()
    short = made["id"].removeprefix("video_")[:8]
    assert saved.value.suggested_filename == f"image-to-video-{short}.mp4"
    assert Path(saved.value.path()).read_bytes() == clip
    quiet_server.http.delete(f"/v1/videos/{made['id']}")
