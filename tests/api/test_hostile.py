"""Odd and hostile requests answer a clear 4xx, never a 500: nesting, NUL, loose types, huge ids, races."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from reelgen.cli.client import sse_events
from reelgen.jobs.records import JobNotFound
from tests.api.conftest import files_under

TINY = {"prompt": "a fox", "model": "wan-tiny", "size": "64x64", "num_frames": 9}


def service_of(client: TestClient) -> Any:
    return client.app.state.service  # type: ignore[attr-defined]


def test_deeply_nested_bodies_are_a_400(client: TestClient, data_dir: Path) -> None:
    before = files_under(data_dir)
    brackets = client.post("/v1/videos", content=b"[" * 100_000, headers={"content-type": "application/json"})
    assert brackets.status_code == 400 and "nests deeper" in brackets.json()["error"]["message"]
    deep: Any = "x"
    for _ in range(40):
        deep = {"a": deep}
    nested = client.post("/v1/videos", json={**TINY, "options": deep})
    assert nested.status_code == 400 and "nests deeper" in nested.json()["error"]["message"]
    form = client.post("/v1/videos", data={"prompt": "x", "a" + "[b]" * 50_000: "1"})
    assert form.status_code == 400
    assert client.get("/v1/videos").json()["data"] == [] and files_under(data_dir) == before


def test_a_nul_character_in_the_body_is_a_400_on_both_databases(any_db_client: TestClient) -> None:
    client = any_db_client
    for body, param in (
        ({**TINY, "prompt": "a\u0000fox"}, "prompt"),
        ({**TINY, "negative_prompt": "\u0000"}, "negative_prompt"),
        ({**TINY, "metadata": {"k": "v\u0000"}}, "metadata.k"),
    ):
        resp = client.post("/v1/videos", json=body)
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"]["param"] == param and "NUL" in resp.json()["error"]["message"]
    legacy = client.post("/api/video/generate", json={"prompt": "a\u0000fox", "model": "wan-tiny"})
    assert legacy.status_code == 400 and legacy.json()["error"]["param"] == "prompt"
    assert client.get("/v1/videos", params={"model": "wan\u0000"}).status_code == 400
    assert client.get("/v1/videos").json()["data"] == []


def test_json_values_are_taken_as_typed_not_coerced(client: TestClient) -> None:
    for field, value in (
        ("num_frames", True),
        ("seed", "5"),
        ("num_frames", "9"),
        ("num_inference_steps", 2.5),
        ("priority", "1"),
        ("seconds", True),  # text or a number: the error names seconds, not a branch (seconds.str)
        ("seconds", [4]),
    ):
        resp = client.post("/v1/videos", json={**TINY, field: value})
        assert resp.status_code == 400, (field, value, resp.text)
        assert resp.json()["error"]["param"] == field
        assert resp.json()["error"]["message"].startswith(f"{field}: "), resp.text
    ok = client.post("/v1/videos", json={**TINY, "fps": 8, "seed": 5, "guidance_scale": 2})
    assert ok.status_code == 202, ok.text  # a whole number where a float goes is still a number
    form = client.post("/v1/videos", data={**TINY, "num_frames": "9", "seed": "5"})
    assert form.status_code == 202, form.text  # form fields are text: read as numbers
    legacy = client.post("/api/video/generate", json={"prompt": "x", "model": "wan-tiny", "num_frames": True})
    assert legacy.status_code == 400 and legacy.json()["error"]["param"] == "num_frames"


def test_resume_ids_past_any_event_end_the_stream_cleanly(any_db_client: TestClient) -> None:
    client = any_db_client
    video = client.post("/v1/videos", json=TINY).json()
    client.post(f"/v1/videos/{video['id']}/cancel")
    huge = str(2**63)
    with client.stream("GET", f"/v1/videos/{video['id']}/events", headers={"Last-Event-ID": huge}) as resp:
        # Nothing after an id that high, and the video has ended: 204, which stops an EventSource; no error.
        assert resp.status_code == 204
        assert resp.read() == b""
    with client.stream("GET", f"/v1/videos/{video['id']}/events", headers={"Last-Event-ID": "1"}) as resp:
        assert [name for _, name, _ in sse_events(resp.iter_lines())] == ["open", "cancelled"]
    query = client.get(f"/v1/videos/{video['id']}/events", params={"after": 2**64})
    assert query.status_code == 400 and query.json()["error"]["param"] == "after"


def test_a_video_deleted_as_its_stream_reaches_the_end_still_ends_the_stream_cleanly(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    video = client.post("/v1/videos", json=TINY).json()
    client.post(f"/v1/videos/{video['id']}/cancel")
    service = service_of(client)
    opened = service.get(video["id"])
    looks = iter([opened])  # the stream's first look finds the video; by the next it was deleted

    def get(job_id: str, **kind: Any) -> Any:
        found = next(looks, None)
        if found is None:
            raise JobNotFound.of(job_id, "video")
        return found

    monkeypatch.setattr(service, "get", get)
    with client.stream("GET", f"/v1/videos/{video['id']}/events") as resp:
        events = list(sse_events(resp.iter_lines()))
    assert [name for _, name, _ in events] == ["open", "queued", "cancelled"]
    assert events[-1][2]["id"] == video["id"] and events[-1][2]["deleted"] is True
    assert "video" not in events[-1][2]


def test_requests_sent_at_once_with_one_idempotency_key_make_one_job(any_db_client: TestClient) -> None:
    client = any_db_client
    start = threading.Barrier(16)
    answers: list[tuple[int, str, str | None]] = []

    def send() -> None:
        start.wait()
        resp = client.post("/v1/videos", json=TINY, headers={"Idempotency-Key": "same-key"})
        answers.append((resp.status_code, resp.json()["id"], resp.headers.get("idempotent-replayed")))

    threads = [threading.Thread(target=send) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({job_id for _, job_id, _ in answers}) == 1
    assert sorted(status for status, _, _ in answers) == [200] * 15 + [202]
    assert all(replayed == "true" for status, _, replayed in answers if status == 200)
    assert len(client.get("/v1/videos").json()["data"]) == 1


def test_a_page_of_queued_jobs_costs_a_fixed_number_of_queries(client: TestClient) -> None:
    for i in range(40):
        assert client.post("/v1/videos", json={**TINY, "prompt": f"clip {i}"}).status_code == 202
    statements: list[str] = []
    engine = service_of(client).store.engine
    listen = lambda *args: statements.append(args[2]) if args[2].startswith("SELECT") else None  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        page = client.get("/v1/videos", params={"limit": 40}).json()
        one = len(statements)
        statements.clear()
        client.get("/v1/videos", params={"limit": 5})
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    assert [v["queue_position"] for v in page["data"]] == list(range(39, -1, -1))
    assert one == len(statements) == 2  # the page and its positions, whatever the page size


def _video(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="matroska") as out:
        stream = out.add_stream("mjpeg", rate=8)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuvj420p"
        frame = av.VideoFrame.from_ndarray(np.full((height, width, 3), 90, np.uint8), format="rgb24")
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def test_an_oversized_video_is_refused_from_its_header_before_any_frame_is_decoded(
    client: TestClient, data_dir: Path
) -> None:
    data = bytearray(_video(5000, 4800))
    start = data.find(b"\xff\xd8")  # the JPEG frame: broken, so decoding it would fail differently
    data[start + 2 : start + 600] = bytes(598)
    before = files_under(data_dir)
    form = {"prompt": "x", "model": "wan-tiny", "task": "v2v"}
    resp = client.post(
        "/v1/videos", data=form, files={"source_video": ("big.mkv", bytes(data), "video/x-matroska")}
    )
    assert resp.status_code == 400
    assert (
        "5000x4800" in resp.json()["error"]["message"] and "exceeds 4096px" in resp.json()["error"]["message"]
    )
    assert files_under(data_dir) == before


def test_metadata_survives_a_json_round_trip(client: TestClient) -> None:
    body = {**TINY, "metadata": {"user": "ada", "note": json.dumps({"a": 1})}}
    video = client.post("/v1/videos", json=body).json()
    assert video["metadata"] == body["metadata"]


def test_a_wrong_method_on_an_api_route_is_a_405_naming_the_right_one(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(serve_web=True)  # the page is served too
    for method, path, allow in [
        ("GET", "/v1/videos/video_0123/cancel", "POST"),
        ("GET", "/v1/batches/video_0123/cancel", "POST"),
        ("PUT", "/v1/videos", "GET, HEAD, POST"),
    ]:
        resp = client.request(method, path)
        assert resp.status_code == 405, (path, resp.text)
        assert resp.headers["allow"] == allow
        use = allow.replace("HEAD, ", "").replace(", ", " or ")  # HEAD goes with GET unsaid
        assert resp.json()["error"]["message"].endswith(f"; use {use}")
    assert client.get("/v1/nothing").status_code == 404
    assert client.get("/").status_code == 200


def test_a_file_sent_to_a_route_that_takes_none_is_refused_saying_so(client: TestClient) -> None:
    made = client.post("/v1/videos", json={"prompt": "a fox", "model": "ltx-tiny"}).json()["id"]
    for url in (f"/v1/videos/{made}/remix", f"/v1/videos/{made}/enhance"):
        resp = client.post(url, data={"prompt": "a cat"}, files={"clip": ("c.mp4", b"x")})
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"]["message"] == (
            "file field 'clip' is unknown; this route takes no files; if clip is a text field, send its text "
            "(curl -F 'clip=<file.txt' reads one in)"
        )
