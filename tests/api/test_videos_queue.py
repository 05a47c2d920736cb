"""/v1/videos over a real job store with no workers: create, read, list, cancel, delete, idempotency."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.cli.client import sse_events
from tests.api.conftest import files_under, png
from tests.api.openapi_once import openapi_of

TINY = {"model": "wan-tiny", "size": "64x64", "num_frames": 9}


def create(client: TestClient, prompt: str = "a red fox", **fields: Any) -> dict[str, Any]:
    resp = client.post("/v1/videos", json={"prompt": prompt, **TINY, **fields})
    assert resp.status_code == 202, resp.text
    return dict(resp.json())


def test_create_returns_a_queued_video_object_with_resolved_fields(client: TestClient) -> None:
    resp = client.post("/v1/videos", json={"prompt": "a red fox", "model": "wan-tiny", "seconds": "2"})
    assert resp.status_code == 202
    video = resp.json()
    assert video["object"] == "video" and video["status"] == "queued" and video["progress"] == 0
    assert video["id"].startswith("video_") and video["model"] == "wan-tiny"
    assert video["size"] == "64x64" and video["fps"] == 8.0
    assert video["num_frames"] == 17  # 2 s at 8 fps is 16 frames, snapped up to 4k+1
    assert video["seconds"] == "2.125"  # 17 frames / 8 fps
    assert isinstance(video["seed"], int) and video["queue_position"] == 0
    assert resp.headers["location"].endswith(f"/v1/videos/{video['id']}")
    assert resp.headers["openai-poll-after-ms"] == "1000"
    again = client.get(f"/v1/videos/{video['id']}").json()
    assert again["seed"] == video["seed"] and again["created_at"] == video["created_at"]


def test_rule_violations_name_the_parameter_and_the_valid_values(client: TestClient) -> None:
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"num_frames": 10}, "num_frames", "nearest valid: 9 or 13"),
        ({"size": "70x64"}, "size", "nearest valid: 64 or 80"),
        ({"size": "big"}, "size", "WIDTHxHEIGHT"),
        ({"model": "wan-tinny"}, "model", "did you mean wan-tiny"),
        ({"seconds": "soon"}, "seconds", "number above 0"),
        ({"seconds": "7200"}, "seconds", "at most 3600"),
        ({"model": "reelgen-micro", "seconds": "30"}, "seconds", "at most 129 frames, 10.75 s"),
        ({"prompt": "   "}, "prompt", "the prompt is empty"),
        ({"num_frames": 9, "seconds": "2"}, "seconds", "not both"),
        ({"colour": "red"}, "colour", "not a known field"),
        ({"num_inference_steps": 0}, "num_inference_steps", "0 is too small; it takes a whole number from 1"),
        ({"guidance_scale_2": 2.0}, "guidance_scale_2", "low-noise expert"),
        ({"task": "i2v"}, "task", "Families that do i2v"),
    ]
    for extra, param, phrase in cases:
        body = {"prompt": "a fox", "model": "wan-tiny", **extra}
        resp = client.post("/v1/videos", json=body)
        assert resp.status_code == 400, (extra, resp.text)
        error = resp.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["param"] == param, (extra, error)
        assert phrase in error["message"], (extra, error)
    assert client.get("/v1/videos").json()["data"] == []


def test_nan_and_infinity_are_refused_as_not_finite(client: TestClient) -> None:
    for field, value in (("fps", "NaN"), ("guidance_scale", "Infinity")):
        body = f'{{"prompt": "a fox", "model": "wan-tiny", "{field}": {value}}}'  # JSON with a bare NaN
        resp = client.post("/v1/videos", content=body, headers={"content-type": "application/json"})
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["param"] == field and "finite number" in error["message"], error
    # The same on the other routes that take numbers (NaN was reported against idle_seconds' bound).
    resp = client.post(
        "/v1/system/free", content='{"idle_seconds": NaN}', headers={"content-type": "application/json"}
    )
    assert resp.status_code == 400 and "finite number" in resp.json()["error"]["message"], resp.text


def test_framework_errors_use_the_envelope(client: TestClient) -> None:
    missing = client.post("/v1/videos", json={"model": "wan-tiny"})
    assert missing.status_code == 400
    assert missing.json()["error"] == {
        "message": "prompt is required",
        "type": "invalid_request_error",
        "param": "prompt",
        "code": "invalid_value",
    }
    for resp, status in [
        (client.get("/v1/nothing"), 404),
        (client.put("/v1/videos"), 405),
        (client.get("/v1/videos", params={"limit": 0}), 400),
        (client.get("/v1/videos", params={"order": "sideways"}), 400),
        (client.post("/v1/videos", content=b"{not json", headers={"content-type": "application/json"}), 400),
        (client.post("/v1/videos", content=b"x", headers={"content-type": "text/plain"}), 415),
        (client.get("/v1/videos/video_" + "0" * 32), 404),
    ]:
        assert resp.status_code == status, resp.text
        assert set(resp.json()["error"]) == {"message", "type", "param", "code"}
    assert (
        "'x' is not a choice; give asc or desc" in client.get("/v1/videos?order=x").json()["error"]["message"]
    )


def test_same_idempotency_key_and_body_returns_the_same_job(client: TestClient) -> None:
    headers = {"Idempotency-Key": "key-1"}
    body = {"prompt": "a red fox", **TINY}
    first = client.post("/v1/videos", json=body, headers=headers)
    second = client.post("/v1/videos", json=body, headers=headers)
    assert first.status_code == 202 and second.status_code == 200
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["seed"] == second.json()["seed"]
    other = client.post("/v1/videos", json={**body, "prompt": "a blue fox"}, headers=headers)
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_conflict"
    assert first.json()["id"] in other.json()["error"]["message"]
    assert len(client.get("/v1/videos").json()["data"]) == 1


def test_a_full_queue_answers_429_with_retry_after(make_client: Callable[..., TestClient]) -> None:
    client = make_client(jobs={"max_queue": 2})
    create(client)
    create(client)
    resp = client.post("/v1/videos", json={"prompt": "one too many", **TINY})
    assert resp.status_code == 429
    assert int(resp.headers["retry-after"]) >= 1
    assert resp.json()["error"]["type"] == "rate_limit_error"
    assert len(client.get("/v1/videos").json()["data"]) == 2


def test_higher_priority_jumps_the_queue(client: TestClient) -> None:
    low = create(client, "low")
    high = create(client, "high", priority=10)
    assert client.get(f"/v1/videos/{high['id']}").json()["queue_position"] == 0
    assert client.get(f"/v1/videos/{low['id']}").json()["queue_position"] == 1
    capped = client.post("/v1/videos", json={"prompt": "x", **TINY, "priority": 101})
    assert capped.status_code == 400 and capped.json()["error"]["param"] == "priority"


def test_list_pages_and_filters(client: TestClient) -> None:
    ids = [create(client, f"clip {i}")["id"] for i in range(5)]
    wan = client.post("/v1/videos", json={"prompt": "w", "model": "wan22-tiny"}).json()["id"]
    client.post(f"/v1/videos/{ids[0]}/cancel")
    page = client.get("/v1/videos", params={"limit": 2}).json()
    assert [v["id"] for v in page["data"]] == [wan, ids[4]] and page["has_more"]
    rest = client.get("/v1/videos", params={"limit": 10, "after": page["last_id"]}).json()
    assert [v["id"] for v in rest["data"]] == ids[3::-1] and not rest["has_more"]
    oldest = client.get("/v1/videos", params={"order": "asc", "limit": 1}).json()
    assert oldest["data"][0]["id"] == ids[0]
    assert [v["id"] for v in client.get("/v1/videos?model=wan22-tiny").json()["data"]] == [wan]
    assert [v["id"] for v in client.get("/v1/videos?status=cancelled").json()["data"]] == [ids[0]]
    bad = client.get("/v1/videos", params={"after": "video_" + "f" * 32})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "after"


def test_list_by_an_unknown_model_names_it_and_the_known_ones(client: TestClient) -> None:
    create(client)
    typo = client.get("/v1/videos", params={"model": "wan-tinny"})
    assert typo.status_code == 400 and typo.json()["error"]["param"] == "model"
    assert "unknown model 'wan-tinny'; did you mean wan-tiny" in typo.json()["error"]["message"]
    nothing_near = client.get("/v1/videos", params={"model": "nope"}).json()["error"]["message"]
    assert "unknown model 'nope'; no known model is named like it; known models: " in nothing_near
    assert "ltx-2b" in nothing_near and "`reelgen models` lists all" in nothing_near
    # A known model with no jobs is still just an empty page.
    assert client.get("/v1/videos", params={"model": "ltx-tiny"}).json()["data"] == []


def test_cancel_while_queued_is_immediate_and_streams_its_events(client: TestClient) -> None:
    video = create(client)
    cancelled = client.post(f"/v1/videos/{video['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["error"]["code"] == "cancelled"
    assert client.post(f"/v1/videos/{video['id']}/cancel").json()["status"] == "cancelled"
    with client.stream("GET", f"/v1/videos/{video['id']}/events") as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        events = list(sse_events(resp.iter_lines()))
    assert [(i, name) for i, name, _ in events] == [(None, "open"), ("1", "queued"), ("2", "cancelled")]
    assert events[-1][2]["video"]["status"] == "cancelled"
    with client.stream("GET", f"/v1/videos/{video['id']}/events", headers={"Last-Event-ID": "1"}) as resp:
        resumed = [(i, name) for i, name, _ in sse_events(resp.iter_lines())]
    assert resumed == [(None, "open"), ("2", "cancelled")]


def test_delete_removes_the_job(client: TestClient) -> None:
    video = create(client)
    resp = client.delete(f"/v1/videos/{video['id']}")
    assert resp.json() == {"id": video["id"], "object": "video.deleted", "deleted": True}
    assert client.get(f"/v1/videos/{video['id']}").status_code == 404
    assert client.delete(f"/v1/videos/{video['id']}").status_code == 404


def test_every_video_route_answers_an_unknown_id_as_a_video_not_found(client: TestClient) -> None:
    """These routes call them videos (as OpenAI's do): "no job 'video_...'" named the wrong thing."""
    gone = create(client)["id"]
    client.delete(f"/v1/videos/{gone}")
    calls = [
        ("GET", ""),
        ("DELETE", ""),
        ("POST", "/cancel"),
        ("GET", "/content"),
        ("GET", "/events"),
        ("POST", "/remix"),
        ("POST", "/enhance"),
    ]
    body = {"/remix": {"prompt": "x"}, "/enhance": {"interpolate": 2, "interpolator": "flow"}}
    for video_id, said in [(gone, f"no video '{gone}'"), ("nope", "video ids are 'video_' followed by")]:
        for method, tail in calls:
            resp = client.request(method, f"/v1/videos/{video_id}{tail}", json=body.get(tail))
            assert resp.status_code == 404, (method, tail, resp.text)
            error = resp.json()["error"]
            assert said in error["message"] and "job" not in error["message"], (method, tail, error)
            assert (error["type"], error["code"], error["param"]) == (
                "invalid_request_error",
                "not_found",
                "video_id",
            )


def test_content_of_an_unfinished_video_is_not_ready(client: TestClient) -> None:
    video = create(client)
    resp = client.get(f"/v1/videos/{video['id']}/content")
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "video_not_ready"
    sheet = client.get(f"/v1/videos/{video['id']}/content", params={"variant": "spritesheet"})
    assert sheet.status_code == 409 and sheet.json()["error"]["code"] == "video_not_ready"
    bad = client.get(f"/v1/videos/{video['id']}/content", params={"variant": "storyboard"})
    assert (
        bad.status_code == 400
        and "give one of video, thumbnail or spritesheet" in bad.json()["error"]["message"]
    )


def test_remix_copies_the_request_with_a_new_prompt(client: TestClient) -> None:
    parent = create(client, seed=7, num_inference_steps=2)
    resp = client.post(f"/v1/videos/{parent['id']}/remix", json={"prompt": "the same fox, at night"})
    assert resp.status_code == 202
    remix = resp.json()
    assert remix["remixed_from_video_id"] == parent["id"] and remix["prompt"] == "the same fox, at night"
    assert (remix["seed"], remix["size"], remix["num_frames"]) == (7, "64x64", 9)
    assert client.post("/v1/videos/video_" + "0" * 32 + "/remix", json={"prompt": "x"}).status_code == 404


def test_models_list_capabilities_and_rules(client: TestClient) -> None:
    models = {m["id"]: m for m in client.get("/v1/models").json()["data"]}
    wan = models["wan-tiny"]
    assert wan["object"] == "model" and wan["family"] == "wan" and wan["tasks"] == ["t2v", "v2v"]
    assert wan["rules"]["size_multiple"] == 16 and wan["rules"]["frames"] == "4k+1"
    assert wan["defaults"]["size"] == "64x64" and wan["defaults"]["num_inference_steps"] == 2
    assert client.get("/v1/models/wan-tiny").json() == wan
    assert client.get("/v1/models/sora-2").status_code == 404


def test_a_request_naming_no_model_gets_what_the_cli_would_pick(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped default (``auto``): with no real weights here, reelgen-micro, which draws pictures."""
    monkeypatch.delenv("REELGEN_DEFAULT_MODEL", raising=False)  # the test suite's own fast default
    client = make_client()
    made = client.post("/v1/videos", json={"prompt": "a red circle moves to the right"})
    assert made.status_code == 202, made.text
    assert made.json()["model"] == "reelgen-micro"
    assert (
        client.post("/v1/videos", json={"prompt": "a fox", "model": "auto"}).json()["model"]
        == "reelgen-micro"
    )
    assert client.get("/health").json()["model"] == "reelgen-micro"


def test_metrics_and_health(client: TestClient) -> None:
    create(client)
    text = client.get("/metrics").text
    assert 'reelgen_jobs{status="queued"} 1.0' in text
    assert 'reelgen_http_requests_total{method="POST",route="/v1/videos",status="202"} 1.0' in text
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/health").json() == {"status": "ok", "model": "ltx-tiny", "gpu": None, "warm": False}
    not_ready = client.get("/readyz")
    assert (
        not_ready.status_code == 503 and "job service is not started" in not_ready.json()["error"]["message"]
    )


def test_legacy_routes_queue_the_same_jobs(client: TestClient) -> None:
    resp = client.post("/api/video/generate", json={"prompt": "a fox", "model": "wan-tiny", "num_frames": 9})
    assert resp.status_code == 202
    job = resp.json()
    assert job["status"] == "queued" and job["status_url"].endswith(f"/api/video/status/{job['job_id']}")
    assert client.get(f"/v1/videos/{job['job_id']}").json()["num_frames"] == 9
    assert client.get(f"/api/video/status/{job['job_id']}").json()["job_id"] == job["job_id"]
    half = client.post("/api/video/generate", json={"prompt": "a fox", "width": 64})
    assert half.status_code == 400 and half.json()["error"]["param"] == "height"
    no_image = client.post("/api/video/animate", json={"prompt": "a fox"})
    assert no_image.status_code == 400 and no_image.json()["error"]["param"] == "image"


def test_generate_video_answers_202_when_the_wait_runs_out(make_client: Callable[..., TestClient]) -> None:
    client = make_client(wait_timeout_s=0.2)
    resp = client.post("/generate-video", json={"prompt": "a fox", "model": "wan-tiny"})
    assert resp.status_code == 202 and resp.json()["status"] == "queued"


def test_openapi_spec_documents_both_create_bodies_and_no_422(client: TestClient) -> None:
    spec = openapi_of(client)
    create_op = spec["paths"]["/v1/videos"]["post"]
    assert set(create_op["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert "VideoCreate" in spec["components"]["schemas"]
    for path in spec["paths"].values():
        for op in path.values():
            # FastAPI's validation 422 is answered 400; only /generate-video's own 422 (a failed job) stays.
            assert op["responses"].get("422", {}).get("description") != "Validation Error"


def test_delete_takes_the_files_sent_with_the_video_unless_another_job_names_them(
    client: TestClient, data_dir: Path
) -> None:
    # The route says "its record, its events and its files go", yet an uploaded image stayed in
    # inputs/ until retention (and for ever with retention off).
    from reelgen.jobs import kinds

    def with_image() -> dict[str, Any]:
        files = {"input_reference": ("fox.png", png(), "image/png")}
        resp = client.post(
            "/v1/videos", data={**TINY, "prompt": "a fox", "model": "wan-i2v-tiny"}, files=files
        )
        assert resp.status_code == 202, resp.text
        return dict(resp.json())

    alone = with_image()
    assert len(files_under(data_dir / "inputs")) == 1
    assert client.delete(f"/v1/videos/{alone['id']}").status_code == 200
    assert files_under(data_dir / "inputs") == []

    shared = with_image()
    service = client.app.state.service  # type: ignore[attr-defined]
    job = service.get(shared["id"])
    render = kinds.get(job.kind)
    service.store.create(job.kind, job.payload, render.facts(render.parse(job.payload)))  # as a remix does
    (upload,) = files_under(data_dir / "inputs")
    assert client.delete(f"/v1/videos/{shared['id']}").status_code == 200
    assert upload.is_file()  # the other job still needs it
