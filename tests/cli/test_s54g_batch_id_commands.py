"""``reelgen status/cancel/delete`` given a batch's id (it was "404 ... it is a batch, not a video", exit 2,
though ``batch --server`` named that id as the one to cancel): each now acts on the batch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.cli import client as client_cli
from reelgen.cli import remote
from tests.cli.in_process import SERVER, in_process
from tests.cli.in_process import run as _run
from tests.jobs.batch_cases import DEFAULTS, make_shots


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A quiet server (no workers: a batch stays queued) whose batches may use tmp_path."""
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    with in_process(tmp_path, monkeypatch) as client:
        yield client


def _batch(app: TestClient, tmp_path: Path) -> str:
    shots = make_shots(tmp_path / "shots")
    item = {"output": "pan", "model": "ken-burns", "images": ["coffee.png"], "motion": {"preset": "pan-left"}}
    body = {"manifest": {"defaults": DEFAULTS, "items": [item]}, "input_folder": str(shots), "name": "m.json"}
    resp = app.post("/v1/batches", json=body)
    assert resp.status_code == 202, resp.text
    return str(resp.json()["id"])


def test_cancel_of_a_batch_id_cancels_the_batch(app: TestClient, tmp_path: Path) -> None:
    batch = _batch(app, tmp_path)
    out = _run("cancel", batch)
    assert out.exit_code == 0, out.output
    assert out.stdout.split()[:2] == [batch, "cancelled"]
    assert "batch m.json" in out.stdout
    assert app.get(f"/v1/batches/{batch}").json()["status"] == "cancelled"
    again = _run("cancel", batch)
    assert again.exit_code == 0, again.output
    assert f"{batch} already cancelled; nothing to cancel" in " ".join(again.stderr.split())


def test_status_and_delete_of_a_batch_id_act_on_the_batch(app: TestClient, tmp_path: Path) -> None:
    batch = _batch(app, tmp_path)
    shown = _run("status", batch)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.split()[:3] == [batch, "in_progress", "0%"]
    assert "batch m.json" in shown.stdout and "0/1 items ended" in shown.stdout
    gone = _run("delete", batch)
    assert gone.exit_code == 0, gone.output
    assert gone.stdout.split() == [batch, "deleted"]
    assert app.get(f"/v1/batches/{batch}").status_code == 404


def test_download_of_a_batch_id_says_where_its_clips_are(app: TestClient, tmp_path: Path) -> None:
    batch = _batch(app, tmp_path)
    out = _run("download", batch)
    assert out.exit_code == 2, out.output
    words = " ".join(out.stderr.split())
    assert f"{batch} is a batch" in words and str(tmp_path / "shots" / "outputs") in words, words
    assert not list(Path.cwd().glob(f"{batch}*"))


def test_the_cancel_command_a_stopped_batch_follow_says_cancels_it(
    app: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shots = make_shots(tmp_path / "shots")
    manifest = tmp_path / "shots" / "m.json"
    item = {"output": "pan", "model": "ken-burns", "images": ["coffee.png"], "motion": {"preset": "pan-left"}}
    manifest.write_text(json.dumps({"defaults": DEFAULTS, "items": [item]}))

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(remote, "_client", lambda *a, **k: client_cli._client(SERVER, None))
    monkeypatch.setattr(remote, "follow", interrupted)
    out = _run("batch", str(manifest))
    assert out.exit_code == 130, out.output
    said = " ".join(out.stderr.split())
    command = said.split("Cancel it with: ")[1].split()
    assert command[:2] == ["reelgen", "cancel"] and "curl" not in said, said
    assert shots.is_dir()
    cancelled = _run(*command[1 : command.index("--server")])
    assert cancelled.exit_code == 0, cancelled.output
    assert app.get(f"/v1/batches/{command[2]}").json()["status"] == "cancelled"


def test_watch_of_a_batch_id_follows_the_batch_to_its_end(
    app: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = _batch(app, tmp_path)
    assert app.post(f"/v1/batches/{batch}/cancel").status_code == 200
    monkeypatch.setattr(remote, "_client", lambda *a, **k: client_cli._client(SERVER, None))
    out = _run("watch", batch)
    assert out.exit_code == 1, out.output  # as a video's: a cancelled one is no success
    assert "batch cancelled" in " ".join(out.stderr.split())


def test_status_and_cancel_of_a_shootout_id_act_on_the_shootout(app: TestClient, tmp_path: Path) -> None:
    body = {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(tmp_path / "r")}
    made = app.post("/v1/shootouts", json=body)
    assert made.status_code == 202, made.text
    shootout = made.json()["id"]
    shown = _run("status", shootout)
    assert shown.exit_code == 0, shown.output
    assert "shoot-out of wan-tiny  0/1 items ended" in shown.stdout
    out = _run("cancel", shootout)
    assert out.exit_code == 0, out.output
    assert out.stdout.split()[:2] == [shootout, "cancelled"]
    assert app.get(f"/v1/shootouts/{shootout}").json()["status"] == "cancelled"


def test_list_with_only_a_batch_says_where_batches_are_listed(app: TestClient, tmp_path: Path) -> None:
    assert " ".join(_run("list").output.split()) == "no video jobs"
    batch = _batch(app, tmp_path)
    out = _run("list")
    assert out.exit_code == 0, out.output
    said = " ".join(out.output.split())
    assert said.startswith("no video jobs; this server has batches, which reelgen list does not show"), said
    assert f"GET {SERVER}/v1/batches" in said and "reelgen status ID" in said
    assert batch not in said


def test_ctrl_c_while_watching_a_batch_leaves_it_running_and_says_how_to_cancel(
    app: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = _batch(app, tmp_path)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(remote, "follow", interrupted)
    out = _run("watch", batch)
    assert out.exit_code == 130, out.output
    said = " ".join(out.stderr.split())
    assert f"the batch {batch} keeps running on the server (reelgen cancel {batch} --server {SERVER}" in said
    assert app.get(f"/v1/batches/{batch}").json()["status"] == "in_progress"
