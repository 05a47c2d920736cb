"""A batch's live stream reads its item jobs' status, progress and error, not their whole rows (payload
and all), and a follower sees the same events as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.cli.client import sse_events
from reelgen.jobs.service import JobService

WORKER_SAID = (
    "image: the image file is black (no pixel above 10 of 255) where the camera looks in 2 of 2 frames"
)


@pytest.fixture
def shots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    folder = tmp_path / "shots"
    folder.mkdir()
    for name, grey in (("dark", 3), ("day", 200), ("dusk", 120)):
        Image.new("RGB", (320, 180), (grey, grey, grey)).save(folder / f"{name}.png")
    return folder


def _batch(client: TestClient, shots: Path) -> tuple[str, dict[str, str]]:
    """A batch of three items: ``night`` failed, ``day`` completed, ``dusk`` still queued."""
    manifest = {
        "defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}, "viability_threshold": 0},
        "items": [
            {"output": name, "images": [f"{image}.png"], "width": 64, "height": 36, "num_frames": 2}
            for name, image in (("night", "dark"), ("day", "day"), ("dusk", "dusk"))
        ],
    }
    resp = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(shots)})
    assert resp.status_code == 202, resp.text
    batch_id = resp.json()["id"]
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    ids = {str(c.child_key): c.id for c in service.children(batch_id)}
    night = service.store.claim_next("worker-test", job_id=ids["night"])
    assert night is not None
    service.store.fail(ids["night"], night.token, "invalid_request", WORKER_SAID)
    day = service.store.claim_next("worker-test", job_id=ids["day"])
    assert day is not None
    service.store.complete(ids["day"], day.token, {})
    service.cancel(batch_id)  # dusk, still queued, is cancelled with it
    return batch_id, ids


def test_the_stream_reads_no_item_payload_and_says_what_it_said(
    client: TestClient, shots: Path, statements: list[str]
) -> None:
    batch_id, ids = _batch(client, shots)
    statements.clear()
    with client.stream("GET", f"/v1/batches/{batch_id}/events") as stream:
        seen = [(name, data) for _, name, data in sse_events(stream.iter_lines())]

    whole_items = [s for s in statements if "jobs.payload" in s and "jobs.parent_id =" in s]
    assert whole_items == []
    assert [name for name, _ in seen] == ["open", "item", "item", "item", "cancelled"]
    items = {data["key"]: data for name, data in seen if name == "item"}
    said = f"items[0].images[0]: {shots / 'dark.png'} is black (no pixel above 10 of 255) where the camera"
    night_error = items["night"].pop("error")
    assert night_error["code"] == "invalid_request"
    assert night_error["message"].startswith(said)
    assert items == {
        "night": {
            "key": "night",
            "job_id": ids["night"],
            "kind": "ken_burns",
            "status": "failed",
            "progress": 0,
            "stage": None,
        },
        "day": {
            "key": "day",
            "job_id": ids["day"],
            "kind": "ken_burns",
            "status": "completed",
            "progress": 100,
            "stage": None,
            "error": None,
        },
        "dusk": {
            "key": "dusk",
            "job_id": ids["dusk"],
            "kind": "ken_burns",
            "status": "cancelled",
            "progress": 0,
            "stage": None,
            "error": {"code": "cancelled", "message": "cancelled by request before it started"},
        },
    }
    final = seen[-1][1]
    assert (final["id"], final["status"], final["progress"]) == (batch_id, "cancelled", 66)
    assert final["request_counts"] == {
        "total": 3,
        "queued": 0,
        "in_progress": 0,
        "completed": 1,
        "failed": 1,
        "cancelled": 1,
        "deleted": 0,
    }
