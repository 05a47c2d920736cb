"""A batch's live stream and its items list read the rows of its failed items, whose errors are worded
from them, in one query, not one each."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from reelgen.cli.client import sse_events
from reelgen.jobs.service import JobService
from tests.api.test_s52h_parent_stream_reads import WORKER_SAID, _batch, shots  # noqa: F401


def _failed(client: TestClient, shots: Path, n: int) -> str:  # noqa: F811
    batch_id = _batch(client, shots, [f"shot{i}" for i in range(n)])
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    for child in service.children(batch_id):
        claimed = service.store.claim_next("worker-test", job_id=child.id)
        assert claimed is not None
        service.store.fail(child.id, claimed.token, "invalid_request", WORKER_SAID)
    service.cancel(batch_id)  # it ends: no parent driver runs here
    return batch_id


def test_the_stream_reads_the_failed_items_rows_at_once(
    client: TestClient,
    shots: Path,  # noqa: F811
    statements: list[str],
) -> None:
    batch_id = _failed(client, shots, 5)
    statements.clear()
    with client.stream("GET", f"/v1/batches/{batch_id}/events") as stream:
        seen = [(name, data) for _, name, data in sse_events(stream.iter_lines())]

    whole_items = [s for s in statements if "reelgen_jobs.payload" in s and " IN (" in s]
    assert len(whole_items) == 1
    errors = [data["error"]["message"] for name, data in seen if name == "item"]
    assert len(errors) == 5
    assert all(message.startswith("items[") and "images[0]" in message for message in errors)
    assert seen[-1][0] == "cancelled"


def test_the_items_list_reads_the_failed_items_rows_at_once(
    client: TestClient,
    shots: Path,  # noqa: F811
    statements: list[str],
) -> None:
    batch_id = _failed(client, shots, 4)
    statements.clear()
    data = client.get(f"/v1/batches/{batch_id}/items").json()["data"]

    assert (
        len([s for s in statements if "reelgen_jobs.payload" in s and "WHERE reelgen_jobs.id = " in s]) <= 1
    )
    assert len([s for s in statements if "reelgen_jobs.payload" in s and " IN (" in s]) == 1
    assert [item["error"]["message"][:9] for item in data] == [f"items[{i}]." for i in range(4)]
