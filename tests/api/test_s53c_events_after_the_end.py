"""``GET /v1/videos/{id}/events`` resumed after a finished video's final event (its id as ``Last-Event-ID``,
as an EventSource sends on reconnecting) answered an empty stream that closed at once; an EventSource
reconnects whenever a stream closes, so it came back each second for ever. It now answers 204, which
tells an EventSource to stop; a stream with events still to send is as before."""

from __future__ import annotations

from fastapi.testclient import TestClient

from reelgen.api.sse import MAX_SEQ
from reelgen.cli.client import sse_events
from reelgen.jobs.service import JobService

FOX = {"model": "cogvideox-tiny", "prompt": "a red fox"}
CLIP = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 8


def _completed(client: TestClient) -> str:
    """A video finished as a worker finishes one: its file saved under its attempt, then completed."""
    video_id = str(client.post("/v1/videos", json=FOX).json()["id"])
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    claimed = service.store.claim_next("worker-test", job_id=video_id)
    assert claimed is not None and claimed.token is not None
    files = service.artifacts.save(video_id, claimed.token, {"video": CLIP})
    service.store.complete(video_id, claimed.token, {"files": files})
    return video_id


def _events(client: TestClient, video_id: str, **kwargs: object) -> list[tuple[str | None, str]]:
    resp = client.get(f"/v1/videos/{video_id}/events", **kwargs)  # type: ignore[arg-type]
    assert resp.status_code == 200, resp.text
    return [(seq, name) for seq, name, _ in sse_events(iter(resp.text.splitlines()))]


def test_resumed_after_the_final_event_it_answers_204_so_an_eventsource_stops(client: TestClient) -> None:
    video_id = _completed(client)
    events = _events(client, video_id)
    final_id, final = events[-1]
    assert final == "completed" and final_id is not None
    for asked in ({"headers": {"Last-Event-ID": final_id}}, {"params": {"after": MAX_SEQ}}):
        resp = client.get(f"/v1/videos/{video_id}/events", **asked)  # type: ignore[arg-type]
        assert resp.status_code == 204, (asked, resp.text)
        assert resp.content == b""


def test_resumed_before_the_final_event_it_streams_the_rest(client: TestClient) -> None:
    video_id = _completed(client)
    (first_id, _), *_ = [e for e in _events(client, video_id) if e[0] is not None]
    rest = _events(client, video_id, headers={"Last-Event-ID": first_id})
    assert rest[0][1] == "open" and rest[-1][1] == "completed"
