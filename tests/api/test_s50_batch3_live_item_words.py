"""A server batch's Ken Burns item over a black picture is named in its live item event (what
`reelgen batch --server` prints as the item ends) as the summary names it: the manifest's field and file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.cli.client import sse_events
from reelgen.jobs.service import JobService

#: What the worker says of a black picture: its scratch copy named by the job's own field, ``image``.
WORKER_SAID = (
    "image: the image file is black (no pixel above 10 of 255) where the camera looks in 2 of 2 frames "
    "(frames 0-1), and black frames are not a video"
)


@pytest.fixture
def shots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    folder = tmp_path / "shots"
    folder.mkdir()
    Image.new("RGB", (320, 180), (3, 3, 3)).save(folder / "dark.png")
    return folder


def test_the_live_item_event_names_the_manifests_image_as_the_summary_does(
    client: TestClient, shots: Path
) -> None:
    manifest = {
        "defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}, "viability_threshold": 0},
        "items": [
            {"output": "night", "images": ["dark.png"], "width": 64, "height": 36, "num_frames": 2},
        ],
    }
    resp = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(shots)})
    assert resp.status_code == 202, resp.text
    batch_id = resp.json()["id"]
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    children = {str(c.child_key): c for c in service.children(batch_id)}
    started = service.store.claim_next("worker-test", job_id=children["night"].id)
    assert started is not None
    service.store.fail(children["night"].id, started.token, "invalid_request", WORKER_SAID)

    said = f"items[0].images[0]: {shots / 'dark.png'} is black (no pixel above 10 of 255) where the camera"
    items = {i["key"]: i for i in client.get(f"/v1/batches/{batch_id}/items").json()["data"]}
    assert items["night"]["error"]["message"].startswith(said), items["night"]
    assert items["night"]["error"]["code"] == "invalid_request"

    service.parents.advance(batch_id)  # both ended: the batch completes with its summary
    with client.stream("GET", f"/v1/batches/{batch_id}/events") as stream:
        seen: list[tuple[str, dict[str, Any]]] = [(n, d) for _, n, d in sse_events(stream.iter_lines())]
    night = [d for n, d in seen if n == "item" and d["key"] == "night"][-1]
    (failed,) = [f for f in seen[-1][1]["summary"]["failed"] if f["output"] == "night"]
    # The live line and the summary's say one thing (the summary adds the job's id).
    assert failed["reason"] == f"{night['error']['message']} (job {night['job_id']})"
    assert night["error"]["message"].startswith(said)
