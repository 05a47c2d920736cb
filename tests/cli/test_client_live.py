"""The job commands against a live server, as a user scripts them: what goes to stdout, what each
says about finished, deleted and unknown jobs, and remix, list and delete end to end."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import pytest
from typer.testing import CliRunner, Result

from reelgen.cli import app
from tests.api.serving import serving_jobtest
from tests.jobs.fakes import MODEL
from tests.jobs.helpers import wait_for

runner = CliRunner()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server (one worker process) for the module: each test makes and reads jobs of its own and
    waits for them to end, so none depends on what another left."""
    with serving_jobtest(tmp_path_factory.mktemp("client-live") / "jobs") as url:
        yield url


def run(server: str, *args: str) -> Result:
    return runner.invoke(app, [*args, "--server", server])


def said(text: str) -> str:
    return " ".join(text.split())


def submit(server: str, *args: str) -> str:
    """A job's id, read from stdout as a script reads it."""
    out = run(server, "submit", "a red fox", "--model", MODEL, *args)
    assert out.exit_code == 0, out.output
    return out.stdout.split()[0]


def state(server: str, video_id: str) -> str:
    return str(httpx.get(f"{server}/v1/videos/{video_id}").json()["status"])


def test_the_job_line_and_json_go_to_stdout_so_a_script_can_take_them(server: str) -> None:
    out = run(server, "submit", "a red fox", "--model", MODEL, "--watch")
    assert out.exit_code == 0, out.output
    video_id = out.stdout.split()[0]
    assert video_id.startswith("video_") and "completed: reelgen download" in out.stderr
    shown = run(server, "status", video_id, "--json")
    assert json.loads(shown.stdout)["status"] == "completed"
    with_json = run(server, "submit", "ein Fuchs 🦊", "--model", MODEL, "--watch", "--json")
    assert with_json.exit_code == 0, with_json.output
    final = json.loads(with_json.stdout)  # the job as it ended, its prompt as written
    assert final["status"] == "completed" and final["prompt"] == "ein Fuchs 🦊"


def test_cancel_of_a_finished_job_says_so_and_leaves_it(server: str) -> None:
    video_id = submit(server, "--watch")
    out = run(server, "cancel", video_id)
    assert out.exit_code == 0, out.output
    assert f"{video_id} already completed; nothing to cancel" in said(out.stderr)
    assert state(server, video_id) == "completed"


def test_list_shows_the_jobs_and_delete_says_what_it_removed(server: str) -> None:
    first, second = submit(server, "--watch"), submit(server, "--watch")
    listed = run(server, "list")
    assert listed.exit_code == 0, listed.output
    # Newest first; the module's other tests' jobs (fewer than the 20 a page shows) follow these two.
    before = [line.split()[0] for line in listed.stdout.splitlines()]
    assert before[:2] == [second, first] and len(before) == len(set(before))
    page = json.loads(run(server, "list", "--json", "--limit", "1").stdout)
    assert [v["id"] for v in page["data"]] == [second] and page["has_more"]
    assert f"reelgen list --limit 1 --after {second}" in run(server, "list", "--limit", "1").stderr

    gone = run(server, "delete", first)
    assert gone.exit_code == 0 and gone.stdout.strip() == f"{first}  deleted"
    again = run(server, "delete", first)
    assert again.exit_code == 2 and f"no video '{first}'" in said(again.stderr)
    after = [line.split()[0] for line in run(server, "list").stdout.splitlines()]
    assert after == [v for v in before if v != first]  # that one gone, every other job still listed


def test_an_id_with_a_path_in_it_names_no_other_job(server: str) -> None:
    """``video_x/../ID`` was sent as written, so ``..`` went up a folder and deleted job ID."""
    video_id = submit(server, "--watch")
    for command in ("delete", "cancel", "status"):
        out = run(server, command, f"video_x/../{video_id}")
        assert out.exit_code == 2, out.output
        assert f"video_x/../{video_id}" in said(out.stderr)  # the id as typed, not another
    assert state(server, video_id) == "completed"


def test_remix_of_a_server_job_makes_a_new_one_from_it(server: str, tmp_path: Path) -> None:
    parent = submit(server, "--seed", "7", "--watch")
    out = run(server, "remix", parent, "the fox at dawn", "--watch", "--json")
    assert out.exit_code == 0, out.output
    child = json.loads(out.stdout)
    assert child["remixed_from_video_id"] == parent and child["prompt"] == "the fox at dawn"
    assert child["status"] == "completed" and child["seed"] == 7
    got = run(server, "download", child["id"], "-o", str(tmp_path / "dawn.mp4"))
    assert got.exit_code == 0, got.output
    with av.open(str(tmp_path / "dawn.mp4")) as clip:
        assert clip.streams.video[0].frames == child["num_frames"]
    refused = run(server, "remix", parent, "x", "--steps", "0")
    assert refused.exit_code == 2 and "--steps: 0 is too small" in said(refused.stderr)


def test_watch_ends_with_1_when_the_job_fails_or_is_deleted_meanwhile(server: str) -> None:
    failed = submit(server, "--option", "black=true")
    out = run(server, "watch", failed)
    assert out.exit_code == 1, out.output
    assert "failed:" in said(out.stderr)

    slow = submit(server, "--steps", "40", "--option", "step_delay=0.25")
    wait_for(lambda: state(server, slow) == "in_progress", timeout_s=60, what="the job to start")
    timer = threading.Timer(1.0, lambda: httpx.delete(f"{server}/v1/videos/{slow}"))
    timer.start()
    try:
        out = run(server, "watch", slow)
    finally:
        timer.join()
    assert out.exit_code == 1, out.output  # the job ended (it is gone), the id was right
    assert f"{slow} was deleted on the server while it was watched" in said(out.stderr)


def test_the_event_stream_of_a_video_deleted_while_it_runs_ends_with_a_final_event(server: str) -> None:
    """It stopped after the last progress event, leaving a client that reads the final event waiting."""
    from reelgen.cli.client import sse_events

    slow = submit(server, "--steps", "40", "--option", "step_delay=0.25")
    wait_for(lambda: state(server, slow) == "in_progress", timeout_s=60, what="the job to start")
    timer = threading.Timer(1.0, lambda: httpx.delete(f"{server}/v1/videos/{slow}"))
    timer.start()
    try:
        with httpx.stream("GET", f"{server}/v1/videos/{slow}/events", timeout=60) as answer:
            events = list(sse_events(answer.iter_lines()))
    finally:
        timer.join()
    _, name, data = events[-1]
    assert (name, data["id"]) == ("cancelled", slow)
    # The delete, not a cancel, is what it says: a delete that cancelled first let a worker that stopped
    # at once put its own "cancelled" in the stream, with the video, before the record went.
    assert data.get("deleted") is True and "video" not in data, data
    assert [n for _, n, _ in events].count("cancelled") == 1 and "started" in [n for _, n, _ in events]
