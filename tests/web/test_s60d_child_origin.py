"""A shoot-out's trial and a batch's item say where they came from, in the queue and in the gallery.

Both join GET /v1/videos beside the person's own videos. Their queue card read "reelgen-micro · 128×128
· 25 frames · 12 fps · seed 0" and their gallery item had no Origin row: a clip the person never asked
for (a shoot-out's "a red fox", seed 0) stood there as if they had made it. Now the card's line ends
"trial of shoot-out 8d379066" (or "item of batch …") and the gallery's Origin row says the same; the
shoot-out's and batch's own cards lead with that short id, as a project's card does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing
from tests.web.test_s44c_shootout_no_score import ID as SHOOTOUT_ID
from tests.web.test_s44c_shootout_no_score import SHOOTOUT as SHOOTOUT_JOB

SHOOTOUT = "video_8d379066edf2466bbb22595ccfa8b125"
BATCH = "video_a07a513910c745f3adb7125b26d88fba"


def test_a_trial_and_a_batch_item_name_their_parent(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    made = quiet_server.create(prompt="a red fox", model="reelgen-micro")
    done = {**made, "status": "completed", "progress": 100, "completed_at": made["created_at"]}
    trial = {**done, "id": made["id"] + "t", "seed": 0, "parent_id": SHOOTOUT, "parent_object": "shootout"}
    item = {**done, "id": made["id"] + "b", "parent_id": BATCH, "parent_object": "batch"}
    # A parent deleted meanwhile leaves parent_object null: nothing is guessed.
    orphan = {**done, "id": made["id"] + "o", "parent_id": BATCH, "parent_object": None}
    videos = [trial, item, orphan]
    t = tab()
    t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), listing(videos))
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(videos))
    page = t.open(quiet_server.url + "/#gallery")
    said = {"trial of shoot-out 8d379066": trial, "item of batch a07a5139": item}
    for words, video in said.items():
        expect(page.locator(f'.card[data-id="{video["id"]}"] .meta')).to_have_text(
            f"reelgen-micro · 128×128 · 25 frames · 12 fps · seed {video['seed']} · {words}"
        )
    expect(page.locator(f'.card[data-id="{orphan["id"]}"] .meta')).to_have_text(
        f"reelgen-micro · 128×128 · 25 frames · 12 fps · seed {orphan['seed']}"
    )
    expect(page.locator(".gallery-item")).to_have_count(3)
    origins = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(".gallery-item")].map((item) => [item.dataset.id,
            [...item.querySelectorAll("dt")].filter((dt) => dt.textContent === "Origin")
              .map((dt) => dt.nextElementSibling.textContent).join("")]))"""
    )
    assert origins == {
        trial["id"]: "trial of shoot-out 8d379066",
        item["id"]: "item of batch a07a5139",
        orphan["id"]: "",
    }
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{made['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{made['id']}")


def test_a_shoot_outs_card_shows_the_short_id_its_trials_name(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Titled "reelgen-micro vs wan-i2v-tiny on 1 prompt", the card had nothing of the "5e1f0000" its trials name.
    t = tab()
    t.context.route(lambda url: url.endswith("/v1/shootouts?limit=20"), listing([SHOOTOUT_JOB]))
    t.context.route(f"**/v1/shootouts/{SHOOTOUT_ID}/items", listing([]))
    page = t.open(f"{quiet_server.url}/#shootouts")
    expect(page.locator(f'.parent[data-id="{SHOOTOUT_ID}"] .meta')).to_have_text(
        re.compile(r"^5e1f0000 · \d+ trials? · into ")
    )
    assert t.errors == []
