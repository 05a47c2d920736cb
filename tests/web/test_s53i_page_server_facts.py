"""What the page reads of GET /v1/system: the server's image pixel limit and its worker count.

A 9000x9000 start image got "nothing is cropped" under the field, then the server's refusal after
sending; at each hand-off on a one-worker server the queue's head read "2 running" for a moment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab

TOO_LARGE = (
    "huge.png: image is 9000x9000 (81000000 pixels); the limit is 40000000 pixels; choose a smaller image."
)


def one_worker(route: Route) -> None:
    """The real answer (with its limits), as a server with one worker would give it."""
    system = route.fetch().json()
    system["workers"] = [{"id": "worker-0", "alive": True, "busy_job": None, "loaded_models": []}]
    route.fulfill(json=system)


def shown_running(videos: list[dict[str, Any]]) -> Callable[[Route], None]:
    """Listings that show ``videos`` started, as a page sees them between one job's start and the
    last one's end (the quiet server has no worker, so they stay queued there)."""
    ids = {v["id"] for v in videos}

    def listing(route: Route) -> None:
        page_of = route.fetch().json()
        rest = [v for v in page_of["data"] if v["id"] not in ids]
        ours = [{**v, "status": "in_progress", "queue_position": None} for v in videos]
        page_of["data"] = rest if "status=queued" in route.request.url else ours + rest
        route.fulfill(json=page_of)

    return listing


def test_the_page_keeps_to_the_servers_image_limit_and_worker_count(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    huge, fine = tmp_path / "huge.png", tmp_path / "fine.png"
    Image.new("1", (9000, 9000)).save(huge)
    Image.new("RGB", (256, 256), (200, 30, 30)).save(fine)
    answer = quiet_server.http.get("/v1/system").json()
    assert answer["detail"]["limits"] == {
        "max_image_pixels": 40_000_000,
        "max_prompt_chars": 4000,
        "max_avatar_text_chars": 5000,
    }

    made = [quiet_server.create(model="reelgen-micro", prompt=f"hand-off {i}") for i in range(2)]
    t = tab()
    try:
        t.context.route("**/v1/system", one_worker)
        t.context.route(re.compile(r"/v1/videos\?"), shown_running(made))
        page = t.open(quiet_server.url)
        for v in made:
            expect(page.locator(f'.card[data-id="{v["id"]}"]')).to_have_attribute(
                "data-status", "in_progress"
            )
        # Two cards still say Running (the last one's end not heard yet): one worker runs one of them.
        # (Jobs other tests left queued on this shared, worker-less server may be waiting too.)
        expect(page.locator("#queue-summary")).to_have_text(re.compile(r"^1 running, \d+ waiting$"))

        page.select_option("#f-model", "reelgen-micro")
        page.fill("#f-prompt", "a red fox")
        page.locator('label[for="task-i2v"]').click()
        sent: list[str] = []
        page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
        note = page.locator("#f-image-note")
        page.set_input_files("#f-image", huge)
        expect(note).to_have_text(TOO_LARGE)
        page.click("#f-submit")
        expect(page.locator("#err-input_reference")).to_have_text(TOO_LARGE)
        assert sent == []
        # A picture within the limit is drawn and its crop said, as before.
        page.set_input_files("#f-image", fine)
        expect(note).to_contain_text("Your image (256×256)")
        assert t.errors == []
    finally:
        for v in made:
            quiet_server.http.delete(f"/v1/videos/{v['id']}")
