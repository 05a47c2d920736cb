"""``/v1/batches`` and ``/v1/shootouts`` over live workers: create, follow, items, summary, cancel, report, refusals."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from reelgen.cli.client import sse_events
from tests.api.serving import serving_jobtest
from tests.jobs.batch_cases import COUNTS, DEFAULTS, ITEMS, make_shots
from tests.jobs.helpers import wait_for


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return make_shots(tmp_path / "shots")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One live server (one worker process) for the module; each test waits for its own batch to end."""
    with serving_jobtest(tmp_path_factory.mktemp("batches-live") / "jobs") as url:
        yield url


@pytest.fixture
def api(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    """A client of the live server whose batches may use the folders under this test's tmp_path
    (the server reads REELGEN_BATCH_ROOTS on each request)."""
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    with httpx.Client(base_url=server, timeout=60.0) as client:
        yield client


def events(api: httpx.Client, url: str) -> list[tuple[str, dict[str, Any]]]:
    """Every event of a parent's stream, until it ends."""
    with api.stream("GET", url) as resp:
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        return [(name, data) for _, name, data in sse_events(resp.iter_lines())]


def test_a_batch_reports_its_failed_items_with_reasons_and_completes_with_the_summary(
    api: httpx.Client, shots: Path
) -> None:
    body = {"manifest": {"defaults": DEFAULTS, "items": ITEMS}, "input_folder": str(shots), "name": "shots"}
    earlier = [b["id"] for b in api.get("/v1/batches").json()["data"]]  # the module's other tests' batches
    resp = api.post("/v1/batches", json=body)
    assert resp.status_code == 202, resp.text
    batch = resp.json()
    assert batch["object"] == "batch" and batch["status"] == "in_progress" and batch["name"] == "shots"
    assert resp.headers["location"] == batch["urls"]["self"]
    assert batch["request_counts"]["total"] == 5 and batch["output_folder"] == str(shots / "outputs")

    seen = events(api, f"/v1/batches/{batch['id']}/events")
    names = [name for name, _ in seen]
    assert names[0] == "open" and names[-1] == "completed"
    ended = {d["key"]: d["status"] for n, d in seen if n == "item" and d["status"] != "in_progress"}
    assert ended == {"fox": "completed", "black": "failed", "pan": "completed"}

    done = api.get(f"/v1/batches/{batch['id']}").json()
    assert seen[-1][1] == done and done["status"] == "completed" and done["progress"] == 100
    summary = done["summary"]
    assert {k: summary[k] if k in ("total", "done") else len(summary[k]) for k in COUNTS} == COUNTS
    reasons = {p["output"]: p for p in summary["failed"]}
    assert reasons["black"]["code"] == "generation_failed" and "black frame" in reasons["black"]["reason"]
    assert (
        reasons["outside"]["param"] == "items[3].motion.end"
        and "outside the 512x512 image" in reasons["outside"]["reason"]
    )
    assert json.loads(Path(done["summary_file"]).read_text()) == summary
    assert done["request_counts"] == {
        "total": 5,
        "queued": 0,
        "in_progress": 0,
        "completed": 2,
        "failed": 1,
        "cancelled": 0,
        "deleted": 0,
    }

    items = api.get(f"/v1/batches/{batch['id']}/items").json()["data"]
    black = next(i for i in items if i["key"] == "black")
    assert black["error"]["code"] == "generation_failed"
    assert (
        api.get(f"/v1/videos/{black['job_id']}").json()["status"] == "failed"
    )  # a render item is a video job
    assert [b["id"] for b in api.get("/v1/batches").json()["data"]] == [batch["id"], *earlier]
    assert batch["id"] not in [v["id"] for v in api.get("/v1/videos", params={"limit": 100}).json()["data"]]


def test_cancelling_a_batch_cancels_its_running_and_queued_item_jobs(api: httpx.Client, shots: Path) -> None:
    slow = {**DEFAULTS, "model": "jobtest-tiny", "steps": 40, "options": {"step_delay": 0.3}}
    items = [{"output": f"clip-{i}"} for i in range(3)]
    batch = api.post(
        "/v1/batches", json={"manifest": {"defaults": slow, "items": items}, "input_folder": str(shots)}
    ).json()
    url = f"/v1/batches/{batch['id']}"

    def running() -> dict[str, Any] | None:
        found = [
            i
            for i in api.get(f"{url}/items").json()["data"]
            if i["status"] == "in_progress" and i["progress"]
        ]
        return found[0] if found else None

    first = wait_for(running, what="an item job to run")
    cancelled = api.post(f"{url}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["error"]["code"] == "cancelled"
    stopped = wait_for(
        lambda: (v := api.get(f"/v1/videos/{first['job_id']}").json())["status"] != "in_progress" and v,
        what="the running item job to stop",
    )
    assert stopped["status"] == "cancelled"
    statuses = [i["status"] for i in api.get(f"{url}/items").json()["data"]]
    assert statuses == ["cancelled"] * 3
    assert cancelled["summary"] is None and not (shots / "outputs" / "batch-summary.json").exists()


def test_a_shootout_of_two_models_on_two_prompts_is_served_as_a_report(
    api: httpx.Client, tmp_path: Path
) -> None:
    prompts = {
        "prompts": ["a red fox in snow", {"id": "waves", "prompt": "waves at dusk"}],
        "settings": {"seed": 3},
    }
    report = tmp_path / "report"
    body = {
        "models": ["jobtest-tiny", "wan-tiny"],
        "prompts": prompts,
        "input_folder": str(tmp_path),
        "output_folder": str(report),
    }
    resp = api.post("/v1/shootouts", json=body)
    assert resp.status_code == 202, resp.text
    shootout = resp.json()
    assert shootout["object"] == "shootout" and shootout["request_counts"]["total"] == 4
    assert api.get(shootout["urls"]["report"]).status_code == 409  # not yet
    assert events(api, f"/v1/shootouts/{shootout['id']}/events")[-1][0] == "completed"

    done = api.get(f"/v1/shootouts/{shootout['id']}").json()
    assert [t["key"] for t in done["trials"]] == [
        "jobtest-tiny--p1",
        "jobtest-tiny--waves",
        "wan-tiny--p1",
        "wan-tiny--waves",
    ]
    assert all(t["status"] == "done" and t["score"] > 0 for t in done["trials"])
    assert {row["model"] for row in done["ranking"]} == {"jobtest-tiny", "wan-tiny"}
    page = api.get(done["urls"]["report"])
    assert page.headers["content-type"].startswith("text/html")
    assert page.text == (report / "report.html").read_text() and page.text.count('<tr class="done"') == 4
    numbers = api.get(done["urls"]["results"]).json()
    assert numbers == json.loads((report / "results.json").read_text()) and len(numbers["trials"]) == 4
    # The page's link to its numbers (results.json, beside the file) works where the server serves it.
    link = re.search(r'<a href="([^"]+)">', page.text)
    assert link is not None and api.get(str(page.url.join(link.group(1)))).json() == numbers
    assert all((report / "clips" / f"{t['key']}.mp4").is_file() for t in done["trials"])
    # One trial at a time: each item job started after the one before it had ended.
    jobs = [
        api.get(f"/v1/videos/{i['job_id']}").json() for i in api.get(done["urls"]["items"]).json()["data"]
    ]
    assert all(b["started_at"] >= a["completed_at"] for a, b in zip(jobs, jobs[1:], strict=False))


def test_folders_outside_the_batch_roots_are_refused_and_nothing_is_queued(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shots = make_shots(tmp_path / "allowed" / "shots")
    client = make_client()
    manifest = {"defaults": DEFAULTS, "items": ITEMS[:2]}

    def refused(body: dict[str, Any], path: str = "/v1/batches") -> tuple[int, dict[str, Any]]:
        resp = client.post(path, json=body)
        return resp.status_code, resp.json()["error"]

    status, error = refused({"manifest": manifest, "input_folder": str(shots)})
    assert (
        status == 403 and error["code"] == "folders_not_allowed" and "REELGEN_BATCH_ROOTS" in error["message"]
    )
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path / "allowed"))
    status, error = refused({"manifest": manifest, "input_folder": str(tmp_path)})
    assert (status, error["param"], error["code"]) == (403, "input_folder", "folder_not_allowed")
    sneaky = {"defaults": DEFAULTS, "items": [{**ITEMS[1], "images": ["../../coffee.png"]}]}
    status, error = refused({"manifest": sneaky, "input_folder": str(shots)})
    assert (status, error["param"]) == (403, "manifest.items[0].images[0]")
    status, error = refused(
        {"manifest": manifest, "input_folder": str(shots), "output_folder": str(tmp_path / "x")}
    )
    assert (status, error["param"]) == (403, "output_folder")
    status, error = refused({"manifest": manifest, "input_folder": "shots"})
    assert status == 400 and "must be an absolute path" in error["message"]
    nul = {"defaults": DEFAULTS, "items": [{**ITEMS[1], "images": ["a\x00.png"]}]}
    status, error = refused({"manifest": nul, "input_folder": str(shots)})  # a path Python refuses: was a 500
    assert (status, error["param"]) == (400, "manifest.items[0].images[0]") and "NUL" in error["message"]
    status, error = refused({"manifest": {"items": [{"output": "a/b"}]}, "input_folder": str(shots)})
    assert status == 400 and error["param"].startswith("manifest.items[0].output")
    typo = {"models": ["wan-tinyy"], "prompts": {"prompts": ["a fox"]}, "input_folder": str(shots)}
    status, error = refused({**typo, "output_folder": str(shots / "report")}, "/v1/shootouts")
    assert (status, error["param"]) == (400, "models[0]") and "did you mean wan-tiny" in error["message"]
    with_image = {
        "models": ["wan-tiny"],
        "prompts": {"prompts": [{"id": "p1", "prompt": "a fox", "image": "a.png"}]},
    }
    status, error = refused({**with_image, "output_folder": str(shots / "report")}, "/v1/shootouts")
    assert (status, error["param"]) == (400, "input_folder") and "prompts.prompts[0].image" in error[
        "message"
    ]
    assert client.get("/v1/batches").json()["data"] == [] and client.get("/v1/shootouts").json()["data"] == []
    assert not (shots / "outputs").exists() and not (shots / "report").exists()
    # Prompts that name no image need no input folder.
    made = client.post(
        "/v1/shootouts",
        json={
            "models": ["wan-tiny"],
            "prompts": {"prompts": ["a fox"]},
            "output_folder": str(shots / "report"),
        },
    )
    assert made.status_code == 202, made.text


def test_a_mistyped_model_in_a_manifest_is_a_400_naming_it_and_nothing_is_queued(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It used to be accepted and fail every item alike, each failure listing every model.
    shots = make_shots(tmp_path / "shots")
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client()
    manifest = {"defaults": {**DEFAULTS, "model": "ken-burnz"}, "items": [{"output": "a"}, {"output": "b"}]}
    resp = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(shots)})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["param"], error["code"]) == ("manifest.defaults.model", "model_not_available")
    # It said "defaults.model: ..." beside the param manifest.defaults.model: two names for one field.
    assert error["message"].startswith("manifest.defaults.model: unknown model 'ken-burnz'")
    assert client.get("/v1/batches").json()["data"] == [] and not (shots / "outputs").exists()


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        (
            "/v1/batches",
            '{"manifest": {"items": [{"output": "a"}]}, "input_folder": "/x", "price_per_gpu_hour": %s}',
            "price_per_gpu_hour",
        ),
        (
            "/v1/shootouts",
            '{"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": "/x", "price_per_gpu_hour": %s}',
            "price_per_gpu_hour",
        ),
        (
            "/v1/shootouts",
            '{"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"], "price_per_gpu_hour": %s}, "output_folder": "/x"}',
            "prompts.price_per_gpu_hour",
        ),
    ],
)
@pytest.mark.parametrize("number", ["Infinity", "NaN"])
def test_a_price_that_is_no_number_is_a_400_not_a_report_of_nan(
    client: TestClient, path: str, body: str, param: str, number: str
) -> None:
    # Python's JSON reader takes Infinity: it was a 202, the summary's cost NaN and results.json
    # unreadable by JSON readers; NaN was told "should be greater than or equal to 0".
    resp = client.post(path, content=body % number, headers={"content-type": "application/json"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # The body's own price named no valid value; the prompts file's says a finite number, as its other
    # number fields do.
    given = "inf" if number == "Infinity" else "nan"
    said = (
        f"{given} is not a finite number; it takes a number of at least 0"
        if "." in param
        else f"{given} is not a finite number; give a number of at least 0 (the price of one GPU hour), or leave it out"
    )
    assert error["param"] == param and error["message"] == f"{param}: {said}"
    assert client.get(path).json()["data"] == []


def test_a_shootouts_progress_is_its_share_of_trials_not_of_the_jobs_made_so_far() -> None:
    """Its trials' jobs are made one at a time: with one of four ended it read 99, then 50 once the
    second began. A batch makes its item jobs at once, so the jobs made are its share."""
    from types import SimpleNamespace
    from typing import cast

    from reelgen.api.fanout import progress
    from reelgen.jobs.records import Job, JobStatus

    def jobs(*statuses: JobStatus) -> list[Job]:
        return [cast(Job, SimpleNamespace(status=s, terminal=s.terminal)) for s in statuses]

    [running] = jobs(JobStatus.IN_PROGRESS)
    first_ended = jobs(JobStatus.COMPLETED)
    assert progress(running, first_ended, total=4) == 25
    assert progress(running, [*first_ended, *jobs(JobStatus.IN_PROGRESS)], total=4) == 25
    assert progress(running, jobs(*[JobStatus.COMPLETED] * 4), total=4) == 99  # the report is still to come
    assert progress(running, [*first_ended, *jobs(JobStatus.QUEUED)]) == 50  # a batch's share
    assert progress(jobs(JobStatus.COMPLETED)[0], [], total=4) == 100
