"""The page in Chromium against a server with no workers: the model picker, errors, layout, key prompt, docs."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image
from playwright.sync_api import expect

from reelgen.api.app import create_app
from reelgen.api.enhance_fields import interpolator_names, upscaler_names
from reelgen.api.settings import ApiSettings
from reelgen.api.web import PAGE_DIR
from reelgen.core.spec.request import GenerationRequest
from reelgen.jobs.settings import JobSettings
from tests.jobs.test_enhance_kind import clip
from tests.web.conftest import Served, Tab, press_generate

PHONE = (390, 844)


def horizontal_overflow(tab: Tab) -> int:
    """How many CSS pixels the page is wider than the screen (0: no sideways scrolling)."""
    return int(tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_uncached_model_is_marked_and_refused_before_submit(
    quiet_server: Served, tab: Callable[..., Tab], shots: Path
) -> None:
    # Another client queued this one while its weights were on the server (a create of a model with
    # none is refused); they have gone since.
    weights = Path(os.environ["REELGEN_MODELS_DIR"]) / "wan-1.3b"
    weights.mkdir(parents=True)
    # A whole folder names its parts: "{}" alone is a copy with none of them (partial).
    (weights / "model_index.json").write_text(
        '{"scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"]}'
    )
    (weights / "scheduler").mkdir()
    (weights / "scheduler" / "scheduler_config.json").write_text("{}")
    other = quiet_server.create(model="wan-1.3b", prompt="waves by another client")
    shutil.rmtree(weights)
    t = tab()
    page = t.open(quiet_server.url)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    option = page.locator('#f-model option[value="wan-1.3b"]')
    expect(option).to_contain_text("not downloaded")
    assert option.get_attribute("data-missing") == "true"
    assert (page.locator("#f-model optgroup").nth(1).get_attribute("label") or "").startswith(
        "Not downloaded"
    )
    page.select_option("#f-model", "wan-1.3b")
    expect(page.locator("#model-weights")).to_contain_text("Not downloaded")
    expect(page.locator("#pull-command")).to_have_text("reelgen pull wan-1.3b")
    expect(page.locator("#model-info")).to_contain_text("GiB of GPU memory")

    page.fill("#f-prompt", "waves at dusk")
    page.click("#f-submit")
    expect(page.locator("#err-model")).to_contain_text("reelgen pull wan-1.3b")
    assert page.evaluate("document.activeElement.id") == "f-model"
    page.screenshot(path=shots / "uncached-model.png")
    assert posts == []  # refused in the page: nothing was sent

    # A remix runs the same model: refused alike (the server refuses it too).
    card = page.locator(f'.card[data-id="{other["id"]}"]')
    card.get_by_role("button", name="Remix").click()
    page.click("#f-submit")
    expect(page.locator("#err-model")).to_contain_text("reelgen pull wan-1.3b")
    assert posts == []
    page.click("#remix-cancel")
    quiet_server.http.delete(f"/v1/videos/{other['id']}")

    page.check("#f-ready-only")
    values = page.eval_on_selector_all("#f-model option", "os => os.map(o => o.value)")
    assert "wan-1.3b" not in values and "reelgen-micro" in values and "wan-tiny" in values
    assert t.blocked == [] and t.errors == []


def test_invalid_value_shows_the_servers_message_next_to_its_field(
    quiet_server: Served, tab: Callable[..., Tab], shots: Path
) -> None:
    page = tab().open(quiet_server.url)
    page.select_option("#f-model", "wan-tiny")
    page.fill("#f-prompt", "a red fox")
    page.fill("#f-steps", "0")
    status, body = press_generate(page)
    error = body["error"]
    assert status == 400 and error["param"] == "num_inference_steps"
    slot = page.locator('.field[data-param="num_inference_steps"] .field-error')
    # Under the field the form calls Steps, as the form calls it (the API's name was never typed).
    assert (
        error["message"] == "num_inference_steps: 0 is too small; it takes a whole number from 1 to 1000"
    ), error
    expect(slot).to_have_text("Steps: must be a whole number from 1 to 1000")
    expect(page.locator("#f-steps")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.activeElement.id") == "f-steps"
    page.screenshot(path=shots / "field-error.png")

    # Text that is not a number reads as empty in a number box: said, instead of queueing the default.
    page.fill("#f-steps", "")
    page.type("#f-steps", "1e")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.click("#f-submit")
    expect(slot).to_have_text("Steps: not a number. Type digits, with a point for decimals (e.g. 7.5).")
    assert sent == [] and page.evaluate("document.activeElement.id") == "f-steps"

    # Fixing the value clears the message and queues the job.
    page.fill("#f-steps", "2")
    status, body = press_generate(page)
    assert status == 202
    expect(slot).to_be_hidden()
    expect(page.locator("#announcer")).to_have_text("Queued: a red fox")  # said to screen readers
    card = page.locator(f'.card[data-id="{body["id"]}"]')
    expect(card.locator(".status")).to_have_text("Queued")


def test_form_offers_only_the_models_valid_values(
    quiet_server: Served, tab: Callable[..., Tab], shots: Path
) -> None:
    page = tab().open(quiet_server.url)
    model = quiet_server.http.get("/v1/models/reelgen-micro").json()
    page.select_option("#f-model", "reelgen-micro")
    sizes = page.eval_on_selector_all('input[name="size"]', "xs => xs.map(x => x.value)")
    assert sizes == [c["size"] for c in model["choices"]["sizes"]]
    page.focus('input[name="size"]:checked')  # the keyboard moves through the choices
    page.keyboard.press("ArrowRight")
    assert page.locator('input[name="size"]:checked').input_value() == sizes[1]
    frames = page.eval_on_selector_all("#f-frames option", "os => os.map(o => Number(o.value))")
    assert frames == model["choices"]["num_frames"]
    assert page.locator("#f-frames").input_value() == str(model["defaults"]["num_frames"])
    # Durations are labelled in seconds at the chosen frame rate.
    page.select_option("#f-fps", "24")
    expect(page.locator('#f-frames option[value="25"]')).to_have_text("1.0 s · 25 frames")
    tasks = page.eval_on_selector_all('input[name="task"]', "xs => xs.map(x => x.value)")
    assert tasks == ["t2v", "i2v"]
    # Text to video shows no image input; image to video does.
    expect(page.locator("#f-image-field")).to_be_hidden()
    page.locator('label[for="task-i2v"]').click()
    expect(page.locator("#f-image-field")).to_be_visible()
    page.screenshot(path=shots / "create.png")

    # Another model starts from its own defaults, not the last one's; a value the person chose stays
    # where the new model takes it.
    page.select_option("#f-fps", "12")
    page.select_option("#f-model", "wan-tiny")
    assert (page.locator("#f-frames").input_value(), page.locator("#f-fps").input_value()) == ("9", "8")
    page.select_option("#f-frames", "25")
    page.select_option("#f-model", "ltx-tiny")
    assert (page.locator("#f-frames").input_value(), page.locator("#f-fps").input_value()) == ("25", "24")


def test_start_image_preview_says_what_is_cropped(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path, shots: Path
) -> None:
    wide = tmp_path / "wide.png"
    Image.new("RGB", (300, 100), (30, 120, 200)).save(wide)
    page = tab().open(quiet_server.url)
    page.select_option("#f-model", "reelgen-micro")
    page.locator('label[for="task-i2v"]').click()
    page.set_input_files("#f-image", str(wide))
    expect(page.locator(".image-preview img")).to_be_visible()
    note = page.locator("#f-image-note")
    expect(note).to_contain_text("300×100")
    expect(note).to_contain_text("67% of the image is cropped off (left and right)")
    page.screenshot(path=shots / "start-image-crop.png")
    page.click("#f-image-fit")  # the size nearest the image's shape
    assert page.locator('input[name="size"]:checked').input_value() == "192x80"
    expect(note).to_contain_text("cropped off")  # 2.4:1 on a 3:1 image still trims a little
    # A start image is sent as a multipart upload and queues an image-to-video job.
    page.fill("#f-prompt", "a blue square")
    status, body = press_generate(page)
    assert status == 202, body
    assert body["parameters"]["input_reference"] is True


def test_phone_screen_has_no_sideways_scroll(
    quiet_server: Served, tab: Callable[..., Tab], shots: Path
) -> None:
    quiet_server.create(model="wan-tiny", size="64x64", num_frames=9, seed=3)
    quiet_server.create(model="wan-tiny", prompt="a very long prompt " * 20, seed=4)
    t = tab(viewport=PHONE)
    page = t.open(quiet_server.url)
    expect(page.locator(".card").first).to_be_visible()
    assert horizontal_overflow(t) <= 0
    page.screenshot(path=shots / "phone-create.png", full_page=True)
    page.select_option("#f-model", "wan-1.3b")  # the longest notice: the pull command
    assert horizontal_overflow(t) <= 0
    page.locator("#tab-gallery").click()
    expect(page.locator("#view-gallery")).to_be_visible()
    assert horizontal_overflow(t) <= 0
    # Queued jobs show their place in line (the API counts the jobs ahead: 0 runs next).
    positions = page.eval_on_selector_all(
        ".card[data-status=queued]", "cs => cs.map(c => c.dataset.position)"
    )
    assert {"0", "1"} <= set(positions)
    expect(page.locator('.card[data-position="0"] .position')).to_have_text("Next in line")
    expect(page.locator('.card[data-position="1"] .position')).to_have_text("2nd in line")
    page.locator("#queue").screenshot(path=shots / "phone-queue.png")


def test_api_key_prompt_when_the_server_answers_401(
    serve_app: Callable[..., Served], tab: Callable[..., Tab]
) -> None:
    keyed = serve_app(api_key="open-sesame")
    t = tab()
    t.page.goto(keyed.url)
    dialog = t.page.locator("#key-dialog")
    expect(dialog).to_be_visible()
    why = t.page.locator("#key-why")
    # Said for a person with a browser: not the API's "send `Authorization: Bearer <key>`".
    expect(why).to_have_text(
        "This server needs an API key: the one it was started with (REELGEN_API_KEY or --api-key). "
        "Ask whoever runs it."
    )
    t.page.fill("#key-input", "wrong")
    t.page.click('#key-form button[value="ok"]')
    expect(dialog).to_be_visible()  # asked again: the key was refused, and the dialog says so
    expect(why).to_contain_text("The server refused that key.")
    t.page.fill("#key-input", "open-sesame")
    t.page.click('#key-form button[value="ok"]')
    t.page.wait_for_selector("body[data-ready=true]")
    expect(t.page.locator('#f-model option[value="reelgen-micro"]')).to_have_count(1)


def test_cancelling_the_key_dialog_says_the_key_is_missing(
    serve_app: Callable[..., Served], tab: Callable[..., Tab]
) -> None:
    keyed = serve_app(api_key="open-sesame")
    t = tab()
    t.page.goto(keyed.url)
    t.page.click('#key-form button[value="cancel"]')
    expect(t.page.locator("#page-error")).to_have_text(
        "The page could not load from the server: this server needs its API key, and none was given. "
        "Reload to try again."
    )


def test_docs_render_with_the_network_blocked(
    quiet_server: Served, tab: Callable[..., Tab], shots: Path
) -> None:
    t = tab()
    page = t.page
    page.goto(f"{quiet_server.url}/docs")
    expect(page.locator(".swagger-ui .opblock-summary-path").first).to_be_visible(timeout=30_000)
    expect(page.locator(".swagger-ui .title").first).to_contain_text("reelgen")
    assert page.locator('.opblock-summary-path[data-path="/v1/videos"]').count() >= 1
    page.screenshot(path=shots / "docs.png")
    assert t.blocked == [], t.blocked  # Swagger UI asked nothing of another host
    page.goto(f"{quiet_server.url}/redoc")
    expect(page.locator("h2", has_text="Create a video job").first).to_be_visible(timeout=30_000)
    page.screenshot(path=shots / "redoc.png")
    # Redoc's attribution logo is the one thing it may ask of another host; the image hides itself
    # when it cannot load, and everything else is served from the package.
    assert set(t.blocked) <= {"https://cdn.redoc.ly/redoc/logo-mini.svg"}, t.blocked
    assert t.errors == []


def test_page_and_docs_need_no_other_host(quiet_server: Served) -> None:
    """Every file the page and docs load is on this server (no CDN) and has no inline script."""
    html = quiet_server.http.get("/").text
    docs = quiet_server.http.get("/docs").text
    for text in (html, docs, quiet_server.http.get("/redoc").text):
        assert "http://" not in text and "https://" not in text and "//cdn" not in text
        assert "<script>" not in text  # scripts come from files: a strict CSP can forbid inline ones
    for path in (
        "/app.css",
        "/js/main.js",
        "/docs/assets/swagger-ui/swagger-ui-bundle.js",
        "/docs/assets/redoc/redoc.standalone.js",
    ):
        assert quiet_server.http.get(path).status_code == 200, path


def test_page_talks_only_to_the_v1_api(tmp_path: Path) -> None:
    """Every request the page's modules make goes to a public /v1 path; unknown paths get the envelope."""
    app = create_app(ApiSettings(jobs=JobSettings(data_dir=tmp_path)), start_service=False)
    with TestClient(app) as client:
        check_v1_only(client)


def check_v1_only(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<title>reelgen</title>" in page.text
    calls = []
    for module in sorted((PAGE_DIR / "js").glob("*.js")):
        source = client.get(f"/js/{module.name}")
        assert source.status_code == 200 and "javascript" in source.headers["content-type"]
        calls += re.findall(r"\b(?:json|request|post|follow|contentUrl)\(\s*[`\"']([^`\"']*)", source.text)
    assert calls and all(c.startswith("v1/") for c in calls), calls
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.post("/v1/videos", json={"prompt": "x", "model": "wan-tiny"}).status_code == 202


def test_interpolation_and_upscaling_are_offered_and_sent(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    page = tab().open(quiet_server.url)
    page.select_option("#f-model", "reelgen-micro")
    page.select_option("#f-fps", "12")
    expect(page.locator('#f-interpolate option[value="2"]')).to_have_text("×2 frames: 24 fps")
    expect(page.locator('#f-upscale option[value="4"]')).to_have_text("×4: 512×512")
    # Only options: no stray "null" text node where no earlier video's value is kept (a screen
    # reader read it out inside the list).
    for select in ("#f-interpolate", "#f-upscale"):
        kids = page.eval_on_selector(select, "s => [...s.childNodes].map(n => n.nodeName)")
        assert set(kids) == {"OPTION"}, (select, kids)
    page.select_option("#f-interpolate", "2")
    page.select_option("#f-upscale", "2")
    page.fill("#f-prompt", "a green triangle, smooth and sharp")
    status, video = press_generate(page)
    assert status == 202, video
    assert (video["size"], video["fps"]) == ("256x256", 24.0)  # the clip after enhancement
    p = video["parameters"]
    assert (p["size"], p["fps"], p["interpolate"], p["upscale"]) == ("128x128", 12.0, 2, 2)
    # A remix keeps the generated size and the enhancement, shown (and locked) in the form.
    page.locator(f'.card[data-id="{video["id"]}"]').get_by_role("button", name="Remix").click()
    assert page.locator('input[name="size"]:checked').input_value() == "128x128"
    assert page.input_value("#f-interpolate") == "2" and page.is_disabled("#f-interpolate")


def test_only_generated_videos_offer_remix(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    # An enhanced upload and a talking avatar have no prompt to change: /remix refuses them.
    upload = {"file": ("in.mp4", clip(tmp_path / "in.mp4", sound=False).read_bytes())}
    enhanced = quiet_server.http.post("/v1/videos/enhance", data={"interpolate": "2"}, files=upload)
    assert enhanced.status_code == 202, enhanced.text
    render = quiet_server.create(model="reelgen-micro")
    page = tab().open(quiet_server.url)
    card = page.locator(f'.card[data-id="{enhanced.json()["id"]}"]')
    expect(card.get_by_role("button", name="Cancel")).to_be_visible()
    expect(card.get_by_role("button", name="Remix")).to_have_count(0)
    expect(
        page.locator(f'.card[data-id="{render["id"]}"]').get_by_role("button", name="Remix")
    ).to_be_visible()
    # An avatar's parameters say task "avatar" (making one here would load the voice: seconds).
    offered = page.evaluate(
        """async () => { const { generated } = await import("./js/util.js");
        return [{ task: "avatar" }, { task: "t2v" }, null].map((parameters) => generated({ parameters })); }"""
    )
    assert offered == [False, True, False]


def test_a_waiting_job_deleted_elsewhere_leaves_the_queue(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    gone = quiet_server.create(model="reelgen-micro", prompt="deleted by another client")
    kept = quiet_server.create(model="reelgen-micro", prompt="still waiting")
    page = tab().open(quiet_server.url)
    card = page.locator(f'.card[data-id="{gone["id"]}"]')
    expect(card).to_have_attribute("data-status", "queued")
    assert quiet_server.http.delete(f"/v1/videos/{gone['id']}").status_code == 200
    # Not left behind as "Queued" with a Cancel that cannot work; the other job is still shown.
    expect(card).to_have_count(0)
    expect(page.locator(f'.card[data-id="{kept["id"]}"]')).to_have_attribute("data-status", "queued")
    quiet_server.http.delete(f"/v1/videos/{kept['id']}")


def test_a_job_queued_elsewhere_shows_up_in_an_empty_queue(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    # The page opens on an empty queue (the shared server's other jobs hidden from its first listing).
    empty = {"object": "list", "data": [], "has_more": False, "first_id": None, "last_id": None}
    t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), lambda route: route.fulfill(json=empty))
    page = t.open(quiet_server.url)
    expect(page.locator("#queue-empty")).to_be_visible()
    video = quiet_server.create(model="reelgen-micro", prompt="queued by a script")
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card).to_have_attribute("data-status", "queued")
    expect(page.locator("#queue-empty")).to_be_hidden()
    quiet_server.http.delete(f"/v1/videos/{video['id']}")


def test_a_typed_or_drawn_seed_is_the_one_sent(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    page = tab().open(quiet_server.url)
    page.select_option("#f-model", "reelgen-micro")
    page.fill("#f-prompt", "a yellow star")
    assert not page.is_checked("#f-seed-lock")
    page.fill("#f-seed", "42")
    status, video = press_generate(page)
    assert status == 202 and video["seed"] == 42
    expect(page.locator("#f-seed")).to_have_value("42")
    page.click("#f-seed-random")
    drawn = page.input_value("#f-seed")
    status, video = press_generate(page)
    assert status == 202 and video["seed"] == int(drawn)
    # Emptying the field unlocks: each video gets a new seed again.
    page.fill("#f-seed", "")
    assert not page.is_checked("#f-seed-lock")
    # A negative seed is answered with the valid range, in the form's words (the server's speaks of
    # leaving seed out of the request, which the form cannot do), before anything is sent.
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    for typed in ("-5", "abc", "9223372036854775808"):
        page.fill("#f-seed", typed)
        page.click("#f-submit")
        expect(page.locator("#err-seed")).to_have_text(
            f"Seed: “\u2068{typed}\u2069” is not a seed. Type a whole number from 0 to 9223372036854775807, "
            "or press Random; untick Lock for a new seed every video."
        )
        expect(page.locator("#f-seed")).to_be_focused()
    assert sent == []
    # The largest seed the server takes is sent as typed.
    page.fill("#f-seed", "9223372036854775807")
    status, video = press_generate(page)
    assert status == 202 and video["seed"] == 2**63 - 1, video
    quiet_server.http.delete(f"/v1/videos/{video['id']}")


def test_choosing_another_file_takes_the_old_files_error_away(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    page = tab().open(quiet_server.url)
    page.select_option("#f-model", "reelgen-micro")
    page.locator('label[for="task-i2v"]').click()
    page.fill("#f-prompt", "a red square")
    (tmp_path / "notes.png").write_text("not an image")
    page.set_input_files("#f-image", tmp_path / "notes.png")
    page.click("#f-submit")  # refused by the page once the browser fails to read it, else by the server
    slot = page.locator("#err-input_reference")
    expect(slot).to_contain_text("not a readable image")
    good = tmp_path / "red.png"
    Image.new("RGB", (64, 64), (220, 30, 30)).save(good)
    page.set_input_files("#f-image", good)
    # The good image is not called unreadable while the person looks at its preview.
    expect(slot).to_be_hidden()
    expect(page.locator("#f-image")).not_to_have_attribute("aria-invalid", "true")


def test_the_enhance_dialog_offers_what_the_enhance_endpoint_takes() -> None:
    """Its method names and limits are the API's: a method it lists is taken, a factor it offers is valid."""
    source = (PAGE_DIR / "js" / "enhance.js").read_text()

    def const(name: str) -> str:
        found = re.search(rf"export const {name} = (.*?);\n", source)
        assert found, f"enhance.js has no {name}"
        return found.group(1)

    assert set(json.loads(const("INTERPOLATORS"))) == set(interpolator_names())
    assert set(json.loads(const("UPSCALERS"))) == set(upscaler_names())
    limits = json.loads(re.sub(r"(\w+):", r'"\1":', const("LIMITS")))

    def bound(name: str, kind: str) -> float:
        return next(
            getattr(m, kind) for m in GenerationRequest.model_fields[name].metadata if hasattr(m, kind)
        )

    assert limits["interpolate"] == [bound("interpolate", "ge"), bound("interpolate", "le")]
    assert limits["target_fps"] == bound("target_fps", "le") and bound("target_fps", "gt") == 0
    assert limits["upscale"] == bound("upscale", "le") and bound("upscale", "gt") == 1


def test_gallery_names_tasks_and_use_these_settings_drops_nothing_unsaid(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """Values the usual choices lack (interpolate 3, upscale 1.5, a target rate, a seed past 2^53) come
    back into the form and are sent again; what the form has no field for (a model option) is named."""
    big = 2**63 - 1
    odd = quiet_server.create(
        model="reelgen-micro",
        prompt="odd factors",
        interpolate=3,
        interpolator="flow",
        upscale=1.5,
        upscaler="lanczos",
        seed=big,
        options={"flow_shift": 3.0},
    )
    rate = quiet_server.create(model="reelgen-micro", prompt="to a rate", target_fps="60000/1001")
    # The server has no workers: the gallery is shown these two as finished, and a talking avatar.
    done = [
        {**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]} for v in (odd, rate)
    ]
    avatar = {**done[1], "id": "video_0000avatar", "parameters": {**rate["parameters"], "task": "avatar"}}
    done.append(avatar)
    listing = {
        "object": "list",
        "data": done,
        "has_more": False,
        "first_id": odd["id"],
        "last_id": rate["id"],
    }
    t = tab()
    t.context.route(
        lambda url: "/v1/videos?status=completed" in url, lambda route: route.fulfill(json=listing)
    )
    page = t.open(f"{quiet_server.url}/#gallery")
    item = page.locator(f'.gallery-item[data-id="{odd["id"]}"]')
    expect(item.locator(".params")).to_contain_text("TaskText to video")
    expect(item.locator(".params")).to_contain_text(f"Seed{big}")
    # Named as the Create form names them everywhere, the picker and a talking avatar included.
    expect(page.locator(f'.gallery-item[data-id="{avatar["id"]}"] .params')).to_contain_text(
        "TaskTalking avatar"
    )
    expect(page.locator('#f-model option[value="reelgen-micro"]')).to_contain_text(
        "Text to video, Image to video"
    )
    item.get_by_role("button", name="Use these settings").click()
    expect(page.locator("#f-interpolate option:checked")).to_have_text("×3 frames: 36 fps (as before)")
    expect(page.locator("#f-upscale option:checked")).to_have_text("×1.5: about 192×192 (as before)")
    expect(page.locator("#f-seed")).to_have_value(str(big))
    expect(page.locator("#f-not-carried")).to_contain_text("options.flow_shift 3")
    expect(page.locator("#f-enhance-note")).to_contain_text(
        "Methods as before: interpolator flow, upscaler lanczos."
    )
    status, again = press_generate(page)
    assert status == 202, again
    p = again["parameters"]
    assert (p["interpolate"], p["upscale"], again["seed"]) == (3, 1.5, big)
    assert (p["interpolator"], p["upscaler"]) == ("flow", "lanczos")
    expect(page.locator("#f-not-carried")).to_be_hidden()  # about the form as loaded, now sent

    page.locator("#tab-gallery").click()
    page.locator(f'.gallery-item[data-id="{rate["id"]}"]').get_by_role(
        "button", name="Use these settings"
    ).click()
    expect(page.locator("#f-interpolate option:checked")).to_have_text("To 59.94 fps (as before)")
    expect(page.locator("#f-upscale")).to_have_value("")
    expect(page.locator("#f-not-carried")).to_be_hidden()
    status, third = press_generate(page)
    assert status == 202 and third["parameters"]["target_fps"] == "60000/1001", third
    for video in (odd, rate, again, third):
        quiet_server.http.delete(f"/v1/videos/{video['id']}")


def test_the_lora_note_names_the_servers_folder(
    serve_app: Callable[..., Served], tab: Callable[..., Tab], tmp_path: Path
) -> None:
    # Not ~/.cache/reelgen/loras: the folder this server was given (REELGEN_LORA_DIR or REELGEN_HOME).
    server = serve_app(lora_dir=tmp_path / "my loras")
    listing = server.http.get("/v1/loras").json()
    assert listing["folder"] == str((tmp_path / "my loras").resolve())
    page = tab().open(server.url)
    page.select_option("#f-model", "reelgen-micro")
    expect(page.locator("#f-loras-note")).to_have_text(
        f"No LoRAs on this server. Put .safetensors files in its LoRA folder, {listing['folder']} "
        "(REELGEN_LORA_DIR), and reload this page."
    )
    # A listing that fails is not "no LoRAs": the folder may hold some.
    t = tab()
    failing = {"error": {"message": "the folder could not be read", "type": "server_error"}}
    t.context.route("**/v1/loras", lambda route: route.fulfill(status=500, json=failing))
    page = t.open(server.url)
    page.select_option("#f-model", "reelgen-micro")
    expect(page.locator("#f-loras-note")).to_have_text(
        "Could not read the server's LoRA list: the folder could not be read."
    )
