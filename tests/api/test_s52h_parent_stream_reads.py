"""A running batch's live stream reads the batch's payload (its whole manifest) once, then only its
row's other columns each time it looks; the failed items' rows its errors are worded from are read in
one query, not one each."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.api import fanout
from reelgen.api.parent_counts import ItemErrors
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
    for name, grey in (("dark", 3), ("day", 200)):
        Image.new("RGB", (320, 180), (grey, grey, grey)).save(folder / f"{name}.png")
    return folder


def _batch(client: TestClient, shots: Path, names: list[str]) -> str:
    items = [
        {"output": name, "images": ["dark.png"], "width": 64, "height": 36, "num_frames": 2} for name in names
    ]
    manifest = {
        "defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}, "viability_threshold": 0},
        "items": items,
    }
    resp = client.post(
        "/v1/batches", json={"manifest": manifest, "input_folder": str(shots), "name": "evening"}
    )
    assert resp.status_code == 202, resp.text
    return str(resp.json()["id"])


def _reads_parent(statement: str, payload: bool | None = None) -> bool:
    where = "WHERE reelgen_jobs.id =" in statement and statement.startswith("SELECT")
    return where and payload in (None, "reelgen_jobs.payload" in statement)


def test_a_running_batch_stream_reads_its_payload_once(
    client: TestClient, shots: Path, statements: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fanout, "POLL_S", 0.01)
    batch_id = _batch(client, shots, ["night", "noon"])
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    shown = client.get(f"/v1/batches/{batch_id}").json()
    statements.clear()
    service.reads = type(service.reads)(service.store)  # as a fresh server process: nothing kept yet
    looked = threading.Event()
    during: list[str] = []

    def spy(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not looked.is_set() and sum(map(_reads_parent, statements)) >= 3:
            during.extend(statements)
            looked.set()

    engine = service.store.engine
    sa.event.listen(engine, "before_cursor_execute", spy)

    def stop() -> None:  # once the stream has looked three times (or never, so the test ends)
        looked.wait(10)
        service.cancel(batch_id)

    cancel = threading.Thread(target=stop)
    cancel.start()
    try:
        with client.stream("GET", f"/v1/batches/{batch_id}/events") as stream:
            seen = [(name, data) for _, name, data in sse_events(stream.iter_lines())]
    finally:
        cancel.join()
        sa.event.remove(engine, "before_cursor_execute", spy)

    assert looked.is_set()
    assert len([s for s in during if _reads_parent(s, payload=True)]) == 1
    names = [name for name, _ in seen]
    assert names[:4] == ["open", "item", "item", "batch"] and names[-1] == "cancelled"
    items = [(data["key"], data["status"]) for name, data in seen if name == "item"]
    assert sorted(items) == [
        ("night", "cancelled"),
        ("night", "queued"),
        ("noon", "cancelled"),
        ("noon", "queued"),
    ]
    assert seen[3][1] == shown
    for _, data in (event for event in seen[3:] if event[0] != "item"):  # said each time as at first
        assert (data["name"], data["input_folder"], data["request_counts"]["total"]) == (
            "evening",
            str(shots),
            2,
        )
    final = seen[-1][1]
    assert (final["status"], final["request_counts"]["cancelled"]) == ("cancelled", 2)


def test_the_failed_items_rows_are_read_in_one_query(
    client: TestClient, shots: Path, statements: list[str]
) -> None:
    names = [f"shot{n}" for n in range(6)]
    batch_id = _batch(client, shots, names)
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    for child in service.children(batch_id):
        claimed = service.store.claim_next("worker-test", job_id=child.id)
        assert claimed is not None
        service.store.fail(child.id, claimed.token, "invalid_request", WORKER_SAID)
    parent, children = service.get(batch_id), service.child_states(batch_id)
    one_each = ItemErrors().of(parent, children, service.get)
    statements.clear()

    together = ItemErrors().of(parent, children, load_many=service.get_many)

    whole_items = [s for s in statements if "reelgen_jobs.payload" in s]
    assert len(whole_items) == 1
    assert together == one_each
    said = f"items[0].images[0]: {shots / 'dark.png'} is black (no pixel above 10 of 255)"
    assert together[0] is not None and together[0]["message"].startswith(said)
    assert len({str(error) for error in together}) == len(names)  # each names its own item
