"""The Projects view in Chromium against a real `reelgen serve`: upload, render, export, play, change, phone.

One tab uploads a three-scene storyboard (a title card and two reelgen-micro scenes, one from an
uploaded start image) with its files, renders it, exports it, plays the film, then changes one
scene's prompt through the page and sees that scene, and only it, marked stale.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests.web.conftest import Served
from tests.web.forms import unfold

PHONE: ViewportSize = {"width": 390, "height": 844}

PROJECT = """title: Shapes on the page
defaults: {model: reelgen-micro, width: 64, height: 64, steps: 2, seed: 1}
scenes:
  - id: opening
    title_card: {text: Shapes}
    duration: 1.0
  - id: circle
    prompt: a red circle moves to the right over a green background
    duration: 1.0
  - id: square
    prompt: a yellow square slides to the left
    start_image: assets/start.png
    duration: 1.0
"""

#: Every value the project's progress bar showed, with the job it belonged to, in order. A bar set
#: twice between two observer callbacks still shows both: each record's old value is kept.
RECORDER = """(card) => {
  const bar = card.querySelector("progress");
  const now = { "aria-valuetext": () => bar.getAttribute("aria-valuetext"), "data-job-id": () => card.dataset.jobId };
  window.shown = [];
  new MutationObserver((records) => {
    records = records.filter((r) => r.attributeName === "data-job-id" ? r.target === card : r.target === bar);
    // What each record set: the old value of the next record of the same attribute, or the value now.
    const after = records.map((r, i) => {
      const next = records.slice(i + 1).find((n) => n.attributeName === r.attributeName);
      return next ? next.oldValue : now[r.attributeName]();
    });
    const firstJob = records.find((r) => r.attributeName === "data-job-id");
    let job = firstJob ? firstJob.oldValue : card.dataset.jobId;
    records.forEach((r, i) => {
      if (r.attributeName === "data-job-id") job = after[i];
      else window.shown.push([job, after[i]]);
    });
  }).observe(card, { subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ["aria-valuetext", "data-job-id"] });
}"""


def percents(page: Page, job_id: str) -> list[int]:
    """The values the bar showed for ``job_id``, each change once."""
    out: list[int] = []
    for job, value in page.evaluate("window.shown"):
        if job == job_id and value and (not out or out[-1] != int(value.rstrip("%"))):
            out.append(int(value.rstrip("%")))
    return out


def statuses(card: Locator) -> dict[str, str]:
    rows = card.locator(".scene")
    return {
        rows.nth(i).get_attribute("data-scene") or "": rows.nth(i).get_attribute("data-status") or ""
        for i in range(rows.count())
    }


def run_job(
    page: Page, card: Locator, button: str, route: str, label: str
) -> tuple[dict[str, Any], list[int]]:
    """Press ``button`` on the card and wait for its job to end: the job the server made, and the
    percentages its progress bar showed."""
    with page.expect_response(lambda r: r.url.endswith(route) and r.request.method == "POST") as answer:
        card.get_by_role("button", name=button, exact=True).click()
    assert answer.value.status == 202, answer.value.text()
    job = dict(answer.value.json())
    expect(card).to_have_attribute("data-job-id", job["id"])
    expect(card.locator(".job-status")).to_contain_text(f"{label}: done", timeout=240_000)
    return job, percents(page, job["id"])


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("film")
    (folder / "project.yaml").write_text(PROJECT)
    (folder / "assets").mkdir()
    Image.new("RGB", (64, 64), (230, 200, 20)).save(folder / "assets" / "start.png")
    (folder / "notes.txt").write_text("not part of the project")
    return folder


@pytest.fixture(scope="module")
def flow(live_server: Served, chromium: Any, film: Path, shots: Path) -> Iterator[dict[str, Any]]:
    """A project uploaded from the page, rendered, then exported."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/#projects")
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    unfold(page, "#project-new")  # the live server is shared: another test's project folds it
    form = page.locator("#project-form")
    form.get_by_label("Project file").set_input_files(film / "project.yaml")
    expect(form.get_by_label("project.yaml")).to_have_value(PROJECT)
    form.get_by_label("Files it names").set_input_files([film / "assets" / "start.png", film / "notes.txt"])
    expect(form.locator(".placed li").first).to_contain_text("start.png → assets/start.png")
    expect(form.locator(".placed li").nth(1)).to_contain_text("does not name it, so it is not sent")
    page.screenshot(path=shots / "projects-new.png")
    with page.expect_response(
        lambda r: r.url.endswith("/v1/projects") and r.request.method == "POST"
    ) as made:
        form.get_by_role("button", name="Create project").click()
    assert made.value.status == 201, made.value.text()
    project = dict(made.value.json())
    card = page.locator(f'.project[data-id="{project["id"]}"]')
    expect(card.locator(".card-title")).to_have_text("Shapes on the page")
    first = statuses(card)
    page.evaluate(RECORDER, card.element_handle())

    render, render_progress = run_job(page, card, "Render 2 scenes", "/render", "Render")
    expect(card.locator(".scene[data-scene=square]")).to_have_attribute("data-status", "rendered")
    rendered = statuses(card)
    export, export_progress = run_job(page, card, "Export", "/export", "Export")
    yield {
        "page": page,
        "card": card,
        "project": project,
        "first": first,
        "rendered": rendered,
        "render": render,
        "export": export,
        "render_progress": render_progress,
        "export_progress": export_progress,
        "server": live_server,
        "errors": errors,
    }
    context.close()


def test_uploaded_project_shows_each_scene_and_sends_only_the_files_it_names(flow: dict[str, Any]) -> None:
    assert flow["first"] == {"opening": "card", "circle": "missing", "square": "missing"}
    server = flow["server"].http.get(f"/v1/projects/{flow['project']['id']}").json()
    assert [f["path"] for f in server["files"]] == ["assets/start.png"]
    expect(flow["card"].locator(".scene[data-scene=circle] .badge")).to_have_text("Rendered")
    assert flow["errors"] == []


def test_render_and_export_show_progress_reaching_100(flow: dict[str, Any]) -> None:
    assert flow["render"]["action"] == "render" and flow["export"]["action"] == "export"
    for shown in (flow["render_progress"], flow["export_progress"]):
        assert shown[-1] == 100 and shown == sorted(shown), shown
    assert any(0 < p < 100 for p in flow["render_progress"]), flow["render_progress"]
    assert flow["rendered"] == {"opening": "card", "circle": "rendered", "square": "rendered"}
    bar = flow["card"].locator("progress")
    expect(bar).to_have_accessible_name("Progress of “Shapes on the page”")
    assert bar.get_attribute("value") == "100"


def test_exported_film_plays_in_the_page_and_downloads(flow: dict[str, Any], shots: Path) -> None:
    page, card = flow["page"], flow["card"]
    video = card.locator(".export video")
    expect(video).to_have_count(1)
    video.scroll_into_view_if_needed()
    duration = page.wait_for_function(
        "v => v.readyState >= 1 && v.duration > 0 && v.duration", arg=video.element_handle(), timeout=30_000
    ).json_value()
    assert duration == pytest.approx(3.0, abs=0.2)  # a 1 s title card and two 1 s scenes
    page.screenshot(path=shots / "projects.png", full_page=True)
    film = card_export(flow)
    assert film["name"] == "shapes-on-the-page.mp4"  # named after the title
    with page.expect_download() as saved:
        card.get_by_role("button", name=f"Download {film['name']}").click()
    assert saved.value.suggested_filename == film["name"]
    assert Path(saved.value.path()).stat().st_size == film["bytes"]


def test_a_rendered_scenes_clip_plays_under_its_row(flow: dict[str, Any]) -> None:
    page, card = flow["page"], flow["card"]
    button = card.get_by_role("button", name="Play clip of scene square")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    clip = card.locator(".scene[data-scene=square] video")
    duration = page.wait_for_function(
        "v => v.readyState >= 1 && v.duration > 0 && v.duration", arg=clip.element_handle(), timeout=30_000
    ).json_value()
    assert duration == pytest.approx(1.0, abs=0.15)
    button.click()
    expect(clip).to_have_count(0)
    expect(card.get_by_role("button", name="Play clip of scene opening")).to_have_count(0)  # a title card


def card_export(flow: dict[str, Any]) -> dict[str, Any]:
    exports = flow["server"].http.get(f"/v1/projects/{flow['project']['id']}").json()["exports"]
    assert len(exports) == 1
    return dict(exports[0])


def test_changing_the_project_file_through_the_page_marks_that_scene_stale(
    flow: dict[str, Any], shots: Path
) -> None:
    page, card = flow["page"], flow["card"]
    card.get_by_role("button", name="Change project file").click()
    box = card.locator(".edit").get_by_label("project.yaml")
    expect(box).to_have_value(PROJECT)  # the text this browser sent, offered for editing
    box.fill(PROJECT.replace("a red circle moves to the right", "a blue circle moves to the left"))
    with page.expect_response(lambda r: r.request.method == "PUT") as saved:
        card.get_by_role("button", name="Save changes").click()
    assert saved.value.status == 200, saved.value.text()
    expect(card.locator(".scene[data-scene=circle]")).to_have_attribute("data-status", "stale")
    expect(card.locator(".scene[data-scene=circle] .badge")).to_have_text("Stale")
    assert statuses(card) == {"opening": "card", "circle": "stale", "square": "rendered"}
    expect(card.get_by_role("button", name="Render 1 scene")).to_be_enabled()
    # A changed scene has its last clip, so the film can be joined as it is.
    expect(card.get_by_role("button", name="Export as rendered")).to_be_enabled()
    expect(card.locator(".export video")).to_have_count(1)  # the film made before stays playable
    page.screenshot(path=shots / "projects-stale.png", full_page=True)


def test_projects_view_fits_a_phone_screen(flow: dict[str, Any], shots: Path) -> None:
    page = flow["page"]
    page.set_viewport_size(PHONE)
    page.locator("#project-new summary").click()  # the form open too
    expect(page.locator("#project-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=shots / "phone-projects.png", full_page=True)
