"""The Projects, Batches and Shoot-outs views in Chromium against a server with no workers (jobs queue
and stay queued): the server's refusals next to the field they name, keyboard use, cancelling, and the
views on a phone-sized screen with the network blocked."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.web.conftest import Served, Tab

PHONE = (390, 844)
MANIFEST = '{"defaults": {"model": "ken-burns", "width": 32, "height": 32, "num_frames": 5, "fps": 8}, "items": [{"output": "one", "images": ["a.png"]}]}'


def overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def tab_to(page: Page, target: Locator, limit: int = 60) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user moves through the page."""
    for _ in range(limit):
        if target.evaluate("node => node === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reachable with Tab")


#: The server's 403 for a folder outside its REELGEN_BATCH_ROOTS (the web tests' roots hold no tmp_path).
OUTSIDE = "is outside the folders this server may use"


def test_batch_in_a_folder_the_server_may_not_use_shows_its_403_under_the_folder(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path, shots: Path
) -> None:
    (tmp_path / "manifest.json").write_text(MANIFEST)
    page = tab().open(f"{quiet_server.url}/#batches")
    form = page.locator("#batch-form")
    form.get_by_label("Manifest file").set_input_files(tmp_path / "manifest.json")
    expect(form.get_by_label("Manifest (JSON)")).to_have_value(MANIFEST)
    expect(form.get_by_label("Name (optional)")).to_have_value("")  # a plain manifest.json names nothing
    form.get_by_label("Folder on the server", exact=True).fill(str(tmp_path))
    with page.expect_response(
        lambda r: r.url.endswith("/v1/batches") and r.request.method == "POST"
    ) as answer:
        form.get_by_role("button", name="Start batch").click()
    assert answer.value.status == 403
    message = answer.value.json()["error"]["message"]
    folder = form.locator('.field[data-param="input_folder"]')
    # The field is named as the form calls it, not input_folder as the API does.
    assert message.startswith("input_folder: "), message
    shown = message.replace("input_folder: ", "Folder on the server: ")
    expect(folder.locator(".field-error")).to_have_text(shown)
    expect(folder.locator(".field-error")).to_contain_text(OUTSIDE)
    expect(folder.get_by_role("textbox")).to_have_attribute("aria-invalid", "true")
    expect(folder.get_by_role("textbox")).to_be_focused()
    # The field's description includes its error, so a screen reader reads it with the field.
    assert shown in (
        folder.get_by_role("textbox").evaluate(
            "c => c.getAttribute('aria-describedby').split(' ').map(id => document.getElementById(id).textContent).join(' ')"
        )
    )
    page.screenshot(path=shots / "batches-outside-roots.png", full_page=True)
    assert quiet_server.http.get("/v1/batches").json()["data"] == []


def test_a_manifest_that_is_not_json_is_refused_under_its_box(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    page = tab().open(f"{quiet_server.url}/#batches")
    form = page.locator("#batch-form")
    form.get_by_label("Manifest (JSON)").fill("items:\n  - output: one")
    form.get_by_label("Folder on the server", exact=True).fill("/data/shots")
    form.get_by_role("button", name="Start batch").click()
    expect(form.locator('.field[data-param="manifest"] .field-error')).to_contain_text("not valid JSON")

    # A video picked by mistake filled the box with noise (tens of megabytes of it froze the tab).
    picked = form.get_by_label("Manifest file")
    slot = form.locator('.field[data-param="manifest-file"] .field-error')
    picked.set_input_files(
        {"name": "clip.mp4", "mimeType": "video/mp4", "buffer": b"\x00\x00\x00\x18ftypisom"}
    )
    expect(slot).to_have_text("clip.mp4 is not a text file; choose a batch manifest (.json).")
    expect(form.get_by_label("Manifest (JSON)")).to_have_value("items:\n  - output: one")  # left as it was
    picked.set_input_files({"name": "m.json", "mimeType": "application/json", "buffer": MANIFEST.encode()})
    expect(slot).to_be_hidden()
    expect(form.get_by_label("Manifest (JSON)")).to_have_value(MANIFEST)


def test_shootout_by_keyboard_alone_gets_the_servers_403_under_the_report_folder(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    page = tab().open(f"{quiet_server.url}/#shootouts")
    form = page.locator("#shootout-form")
    page.locator("#tab-shootouts").focus()
    tab_to(page, form.get_by_label("reelgen-micro"))
    page.keyboard.press("Space")
    tab_to(page, form.get_by_label("Prompts", exact=True))
    page.keyboard.type("a red circle")
    page.keyboard.press("Enter")  # a new line in the box, not a submit
    page.keyboard.type("a blue square")
    tab_to(page, form.get_by_label("Report folder on the server"))
    page.keyboard.type(str(tmp_path / "report"))
    with page.expect_response(lambda r: r.url.endswith("/v1/shootouts")) as answer:
        page.keyboard.press("Enter")  # submits the form from a text field
    assert answer.value.status == 403
    body = answer.value.request.post_data_json
    assert body is not None and body["models"] == ["reelgen-micro"]
    assert body["prompts"] == {"prompts": ["a red circle", "a blue square"]}
    slot = form.locator('.field[data-param="output_folder"] .field-error')
    expect(slot).to_contain_text(OUTSIDE)


def test_a_project_file_mistake_is_shown_under_the_project_box(
    serve_app: Callable[..., Served], tab: Callable[..., Tab], shots: Path
) -> None:
    # Its own server: a project another test left on the shared one would fold the form this checks is open.
    server = serve_app()
    page = tab().open(f"{server.url}/#projects")
    form = page.locator("#project-form")
    expect(form).to_be_visible()  # no projects yet: the form is open
    form.get_by_label("project.yaml").fill(
        "title: Broken\nscenes:\n  - id: first\n    duration: 1.0\n    model: reelgen-micro\n"
    )
    with page.expect_response(lambda r: r.url.endswith("/v1/projects")) as answer:
        form.get_by_role("button", name="Create project").click()
    error = answer.value.json()["error"]
    assert answer.value.status == 400 and error["param"] == "scenes[0].prompt"
    slot = form.locator('.field[data-param="project"] .field-error')
    # Said as a sentence under the box (file_errors.js, f38e1ac9): the server's words with a capital.
    expect(slot).to_have_text(error["message"][:1].upper() + error["message"][1:])
    expect(slot).to_contain_text("prompt is required")
    expect(form.get_by_label("project.yaml")).to_be_focused()
    page.screenshot(path=shots / "projects-error.png")

    # Over the 1 MiB the server takes, a file is refused as it is picked, not with the server's words
    # after it sat in the box; the box keeps what it held.
    big = b"title: Big\n" + b"#" * (2 * 1024**2)
    form.get_by_label("Project file").set_input_files(
        {"name": "big.yaml", "mimeType": "text/yaml", "buffer": big}
    )
    expect(form.locator('.field[data-param="project-file"] .field-error')).to_have_text(
        "big.yaml is 2 MiB, more than the 1 MiB this box takes; "
        "choose the project.yaml (or .json) of a storyboard folder."
    )
    expect(form.get_by_label("project.yaml")).to_have_value(re.compile("^title: Broken"))


def test_a_queued_project_render_is_cancelled_and_the_project_deleted_from_its_card(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    text = "title: Waiting\ndefaults: {model: reelgen-micro, width: 64, height: 64}\nscenes:\n  - prompt: a red circle\n    duration: 1.0\n"
    made = quiet_server.http.post("/v1/projects", json={"project": text}).json()
    page = tab().open(f"{quiet_server.url}/#projects")
    card = page.locator(f'.project[data-id="{made["id"]}"]')
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    card.get_by_role("button", name="Render 1 scene").dblclick()  # a double click starts one job
    expect(card.locator(".job-status")).to_have_text(
        re.compile(r"Render: (queued|running)")
    )  # no worker takes it
    assert [u for u in sent if u.endswith("/render")] == [
        f"{quiet_server.url}/v1/projects/{made['id']}/render"
    ]
    expect(card.locator(".card-error:visible")).to_have_count(0)  # no "busy" refusal of a second press
    expect(
        card.get_by_role("button", name="Change project file")
    ).to_be_disabled()  # a running job holds the file
    card.get_by_role("button", name="Cancel").click()
    expect(card.locator(".job-status")).to_contain_text("Render: cancelled")
    expect(card.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(card.get_by_role("button", name="Render 1 scene")).to_be_enabled()
    job = quiet_server.http.get(f"/v1/projects/{made['id']}").json()["job"]
    assert job["status"] == "cancelled"
    page.once("dialog", lambda dialog: dialog.accept())  # "Delete ... from the server?"
    card.get_by_role("button", name="Delete").click()
    expect(card).to_have_count(0)
    assert quiet_server.http.get(f"/v1/projects/{made['id']}").status_code == 404


def test_a_project_never_rendered_offers_no_export_as_rendered(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    text = "title: Unrendered\ndefaults: {model: reelgen-micro, width: 64, height: 64}\nscenes:\n  - prompt: a red circle\n    duration: 1.0\n"
    made = quiet_server.http.post("/v1/projects", json={"project": text}).json()
    page = tab().open(f"{quiet_server.url}/#projects")
    card = page.locator(f'.project[data-id="{made["id"]}"]')
    expect(card.get_by_role("button", name="Render 1 scene")).to_be_enabled()
    # Its scene has no clip at all: "Export as rendered" could only be refused.
    expect(card.get_by_role("button", name="Export as rendered")).to_have_count(0)
    refused = quiet_server.http.post(f"/v1/projects/{made['id']}/export", json={"allow_stale": True})
    assert refused.status_code == 400, refused.text
    quiet_server.http.delete(f"/v1/projects/{made['id']}")


def test_a_running_batch_is_cancelled_from_its_card(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))  # read by the quiet server, in this process
    manifest = {
        "defaults": {"model": "reelgen-micro", "num_frames": 5, "width": 32, "height": 32},
        "items": [{"output": "one", "prompt": "a red circle"}, {"output": "two", "prompt": "a blue square"}],
    }
    made = quiet_server.http.post(
        "/v1/batches", json={"manifest": manifest, "input_folder": str(tmp_path), "name": "to cancel"}
    )
    assert made.status_code == 202, made.text
    batch = made.json()
    page = tab().open(f"{quiet_server.url}/#batches")
    card = page.locator(f'.parent[data-id="{batch["id"]}"]')
    expect(card.locator(".card-title")).to_have_text("to cancel")
    expect(card).to_have_attribute("data-stream", "live")  # followed through its event stream
    card.get_by_role("button", name="Cancel").click()
    expect(card.locator(".card-head .status")).to_have_text("Cancelled")
    expect(card.get_by_role("button", name="Delete")).to_be_visible()
    assert quiet_server.http.get(f"/v1/batches/{batch['id']}").json()["status"] == "cancelled"
    card.get_by_role("button", name="Delete").click()
    expect(card).to_have_count(0)
    assert quiet_server.http.get(f"/v1/batches/{batch['id']}").status_code == 404


def test_each_view_fits_a_phone_screen_opened_by_its_address_or_its_tab(
    quiet_server: Served, tab: Callable[..., Tab], shots: Path
) -> None:
    # One page load for the three views (a load is a CPU-second): the first opened by its address, the
    # others by their tabs, as a person goes on from there.
    t = tab(viewport=PHONE)
    page = t.open(f"{quiet_server.url}/#projects")
    for view in ("projects", "batches", "shootouts"):
        if view != "projects":
            page.locator(f"#tab-{view}").click()
        expect(page.locator(f"#view-{view}")).to_be_visible()
        expect(page.locator(f"#tab-{view}")).to_have_attribute("aria-current", "page")
        assert overflow(page) <= 0, view
        page.screenshot(path=shots / f"phone-{view}-empty.png", full_page=True)
    assert t.blocked == [] and t.errors == []


def test_seeds_past_2_53_reach_the_server_exactly_from_shootouts_and_batches(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    """JavaScript numbers are exact to 2^53; seeds go to 2^63-1. The server's 403 (a folder outside its own) comes
    after the body is read, so what it was sent can be checked without starting anything."""
    big, odd = 2**63 - 1, 2**53 + 1
    page = tab().open(f"{quiet_server.url}/#shootouts")
    form = page.locator("#shootout-form")
    form.get_by_label("reelgen-micro").check()
    form.get_by_label("Prompts", exact=True).fill("a red circle")
    form.get_by_label("Seed", exact=True).fill(str(big))
    form.get_by_label("Report folder on the server").fill(str(tmp_path / "report"))
    with page.expect_response(lambda r: r.url.endswith("/v1/shootouts")) as answer:
        form.get_by_role("button", name="Start shoot-out").click()
    assert answer.value.status == 403
    body = answer.value.request.post_data_json
    assert body is not None and body["prompts"]["settings"] == {"seed": big}

    page.locator("#tab-batches").click()
    form = page.locator("#batch-form")
    manifest = f'{{"defaults": {{"model": "reelgen-micro", "seed": {odd}}}, "items": [{{"output": "one", "prompt": "a"}}]}}'
    form.get_by_label("Manifest (JSON)").fill(manifest)
    form.get_by_label("Folder on the server", exact=True).fill(str(tmp_path))
    with page.expect_response(lambda r: r.url.endswith("/v1/batches")) as answer:
        form.get_by_role("button", name="Start batch").click()
    assert answer.value.status == 403
    body = answer.value.request.post_data_json
    assert body is not None and body["manifest"]["defaults"]["seed"] == odd
