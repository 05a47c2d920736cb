"""The Batches and Shoot-outs views in Chromium against a real `reelgen serve` (the session's live server)
whose REELGEN_BATCH_ROOTS holds a temporary folder: a batch and a shoot-out started from the page,
followed live to their ends."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFilter
from playwright.sync_api import Page, Route, ViewportSize, expect
from skimage import data

from reelgen.core.batch.summary import ItemOutcome, summarize
from tests.web.conftest import Served, Tab

PHONE: ViewportSize = {"width": 390, "height": 844}
SMALL = {"width": 32, "height": 32, "num_frames": 5, "fps": 8, "seed": 1}
#: Made by a camera move, made by ltx-tiny, failed to plan (a crop outside the image), skipped (blurred).
#: ltx-tiny, not reelgen-micro: about ten times cheaper on a CPU, and which model made it is not what is tested
#: (LTX takes 8k+1 frames: 9).
MANIFEST: dict[str, Any] = {
    "defaults": {**SMALL, "prompt": "a slow move over {stem}", "steps": 2},
    "items": [
        {"output": "pan", "model": "ken-burns", "images": ["coffee.png"], "motion": {"preset": "pan-left"}},
        {"output": "circle", "model": "ltx-tiny", "prompt": "a red circle moves right", "num_frames": 9},
        {
            "output": "outside",
            "model": "ken-burns",
            "images": ["coffee.png"],
            "motion": {
                "start": {"x": 0, "y": 0, "width": 300, "height": 300},
                "end": {"x": 500, "y": 0, "width": 300, "height": 300},
            },
        },
        {
            "output": "blurred",
            "model": "ken-burns",
            "images": ["blurred.png"],
            "motion": {"preset": "zoom-out"},
        },
    ],
}


@pytest.fixture(scope="module")
def roots(batch_roots: Path) -> Path:
    """A folder under the live server's batch roots, holding a manifest and its keyframes in shots/."""
    root = Path(tempfile.mkdtemp(prefix="views-batches-", dir=batch_roots))
    shots = root / "shots"
    shots.mkdir()
    Image.fromarray(data.coffee()).save(shots / "coffee.png")
    Image.fromarray(data.chelsea()).filter(ImageFilter.GaussianBlur(4)).save(shots / "blurred.png")
    (shots / "manifest.json").write_text(json.dumps(MANIFEST, indent=2))
    return root


@pytest.fixture(scope="module")
def server(live_server: Served) -> Served:
    """The session's `reelgen serve` (the local engine, one CPU worker), which may use ``roots``: a
    server of this module's own cost a start-up and its worker's imports of torch again."""
    return live_server


@pytest.fixture(scope="module")
def page(server: Served, chromium: Any) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(server.url)
    tab.wait_for_selector("body[data-ready=true]", timeout=30_000)
    yield tab
    assert errors == []
    context.close()


@pytest.fixture(scope="module")
def batch(page: Page, server: Served, roots: Path) -> dict[str, Any]:
    """A batch started from the Batches view and followed there until it completed."""
    page.locator("#tab-batches").click()
    form = page.locator("#batch-form")
    form.get_by_label("Manifest file").set_input_files(roots / "shots" / "manifest.json")
    form.get_by_label("Folder on the server", exact=True).fill(str(roots / "shots"))
    with page.expect_response(
        lambda r: r.url.endswith("/v1/batches") and r.request.method == "POST"
    ) as answer:
        form.get_by_role("button", name="Start batch").click()
    assert answer.value.status == 202, answer.value.text()
    made = dict(answer.value.json())
    card = page.locator(f'.parent[data-id="{made["id"]}"]')
    expect(card.locator(".card-head .status")).to_have_text("Running")
    expect(card).to_have_attribute("data-status", "completed", timeout=240_000)
    return made


def test_batch_from_the_page_completes_and_shows_its_counts(
    page: Page, server: Served, batch: dict[str, Any], roots: Path, shots: Path
) -> None:
    # A plain manifest.json (every `reelgen manifest create` writes that name) leaves the batch unnamed.
    assert batch["name"] == "" and batch["request_counts"]["total"] == 4
    card = page.locator(f'.parent[data-id="{batch["id"]}"]')
    expect(card.locator(".card-title")).to_have_text(f"Batch {batch['id'][6:14]}")
    expect(card.locator(".meta")).to_contain_text("4 items")
    summary = card.locator(".summary")
    expect(summary.locator(".summary-counts")).to_have_text("2 of 4 done, 1 failed, 1 skipped")
    failed = summary.locator('li[data-output="outside"]')
    expect(failed).to_contain_text("outside")
    skipped = summary.locator('li[data-output="blurred"]')
    expect(skipped).to_contain_text("sharp")  # the reason: the blurred keyframe's sharpness
    expect(card.locator("progress")).to_have_attribute("value", "100")
    expect(card.locator(".counts")).to_have_text("4 items: 2 done, 1 failed, 1 skipped")
    expect(card.get_by_role("button", name="Delete")).to_be_visible()
    items = card.locator(".items li")
    expect(items).to_have_count(2)
    # Waited for, as every other state of the card is: an item's last event may come after the batch's.
    for i in range(2):
        expect(items.nth(i)).to_have_attribute("data-status", "completed")
    outputs = roots / "shots" / "outputs"
    assert (outputs / "pan.mp4").is_file() and (outputs / "circle.mp4").is_file()
    served = server.http.get(f"/v1/batches/{batch['id']}").json()["summary"]
    assert (served["done"], len(served["failed"]), len(served["skipped"])) == (2, 1, 1)
    expect(failed).to_contain_text(served["failed"][0]["reason"])
    card.scroll_into_view_if_needed()
    page.screenshot(path=shots / "batches.png", full_page=True)


@pytest.fixture(scope="module")
def shootout(page: Page, roots: Path) -> dict[str, Any]:
    """Two tiny models on two prompts, started from the Shoot-outs view and followed to the end."""
    page.locator("#tab-shootouts").click()
    form = page.locator("#shootout-form")
    form.get_by_label("ltx-tiny", exact=True).check()
    form.get_by_label("wan-tiny", exact=True).check()
    form.get_by_label("Prompts", exact=True).fill("a red circle moves right\na blue square moves left")
    form.get_by_label("Steps").fill("2")
    form.get_by_label("Frames").fill("9")  # both models take it: LTX 8k+1, Wan 4k+1
    form.get_by_label("Report folder on the server").fill(str(roots / "compare"))
    with page.expect_response(
        lambda r: r.url.endswith("/v1/shootouts") and r.request.method == "POST"
    ) as answer:
        form.get_by_role("button", name="Start shoot-out").click()
    assert answer.value.status == 202, answer.value.text()
    made = dict(answer.value.json())
    card = page.locator(f'.parent[data-id="{made["id"]}"]')
    expect(card).to_have_attribute("data-status", "completed", timeout=300_000)
    return made


def test_shootout_from_the_page_completes_and_its_report_opens(
    page: Page, shootout: dict[str, Any], roots: Path, shots: Path
) -> None:
    assert shootout["models"] == ["ltx-tiny", "wan-tiny"] and shootout["request_counts"]["total"] == 4
    # Image-only models are offered too (they animate the prompts' images); only text-to-video ones were.
    expect(page.locator("#shootout-form").get_by_label("svd-tiny", exact=True)).to_have_count(1)
    card = page.locator(f'.parent[data-id="{shootout["id"]}"]')
    expect(card.locator(".card-title")).to_have_text("ltx-tiny vs wan-tiny on 2 prompts")
    expect(card.locator(".counts")).to_have_text("4 trials: 4 done")
    ranking = card.locator("table.ranking tbody tr")
    expect(ranking).to_have_count(2)
    assert {ranking.nth(i).get_attribute("data-model") for i in range(2)} == {"ltx-tiny", "wan-tiny"}
    card.scroll_into_view_if_needed()
    page.screenshot(path=shots / "shootouts.png", full_page=True)
    with page.context.expect_page() as opened:
        card.get_by_role("link", name="Open report").click()
    report = opened.value
    report.wait_for_load_state()
    assert report.url.endswith(f"/v1/shootouts/{shootout['id']}/report")
    expect(report.locator("table#ranking")).to_be_visible()
    expect(report.locator("tr.done")).to_have_count(4)  # every trial finished
    assert (roots / "compare" / "report.html").is_file()
    report.screenshot(path=shots / "shootout-report.png")
    report.close()


@pytest.mark.parametrize("view", ["batches", "shootouts"])
def test_views_with_finished_jobs_fit_a_phone_screen(
    page: Page, batch: dict[str, Any], shootout: dict[str, Any], view: str, shots: Path
) -> None:
    page.set_viewport_size(PHONE)
    try:
        page.locator(f"#tab-{view}").click()
        expect(page.locator(f"#view-{view} .parent").first).to_be_visible()
        for details in page.locator(f"#view-{view} .items-box").all():
            details.locator("summary").click()  # the item lists open too
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=shots / f"phone-{view}.png", full_page=True)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def _ended_batch(id_: str, outcomes: list[ItemOutcome]) -> dict[str, Any]:
    """A finished batch as GET /v1/batches lists it, its summary made as a real run makes it."""
    summary = summarize(outcomes, time_s=1.0, price_per_gpu_hour=0.0)
    return {
        "id": id_,
        "object": "batch",
        "status": "completed",
        "name": id_,
        "model": "wan-tiny",
        "progress": 100,
        "created_at": 1_700_000_000,
        "input_folder": "/shots",
        "output_folder": "/shots/outputs",
        "request_counts": {"total": len(outcomes), "completed": summary.done},
        "summary": summary.model_dump(mode="json"),
    }


def test_items_that_failed_the_same_way_are_one_line_on_the_page_as_on_the_command_line(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """Forty copies of one bad default would bury the one item that failed its own way."""
    wide = "width 500 is not a multiple of 32"

    def failed(i: int, name: str, why: str = wide) -> ItemOutcome:
        return ItemOutcome(output=name, status="failed", reason=f"items[{i}] ({name}): {why} (job {i}f)")

    some = [ItemOutcome(output="a", status="done")]
    some += [failed(i, n) for i, n in enumerate("bcdefgh", 1)] + [failed(8, "i", "no weights")]
    every = [failed(0, "x"), failed(1, "y")]
    batches = [_ended_batch("batch_some", some), _ended_batch("batch_every", every)]

    def listing(route: Route) -> None:
        route.fulfill(json={"object": "list", "data": batches, "has_more": False})

    t = tab()
    t.context.route(lambda url: url.endswith("/v1/batches?limit=20"), listing)
    t.context.route("**/v1/batches/*/items", lambda route: route.fulfill(json={"data": []}))
    page = t.open(f"{quiet_server.url}/#batches")
    lines = page.locator('.parent[data-id="batch_some"] .problems li')
    expect(lines).to_have_text(
        [
            f"7 items failed the same way (b, c, d, e, f and 2 more): {wide}",
            "i (items[8]): no weights (job 8f)",  # the name once, as the command line says it
        ]
    )
    expect(page.locator('.parent[data-id="batch_some"] .problems h4')).to_have_text("Failed (8)")
    expect(page.locator('.parent[data-id="batch_every"] .problems li')).to_have_text(
        [f"All 2 items failed the same way: {wide}"]
    )
    assert t.errors == []
