"""An Idempotency-Key makes one job: a create retried with it after the job was deleted makes no second one."""

from __future__ import annotations

from fastapi.testclient import TestClient

BODY = {"model": "wan-tiny", "prompt": "a fox"}


def test_a_retry_after_the_delete_is_refused_saying_the_job_was_deleted(any_db_client: TestClient) -> None:
    client = any_db_client
    key = {"Idempotency-Key": "render-episode-3"}
    first = client.post("/v1/videos", json=BODY, headers=key)
    assert first.status_code == 202, first.text
    video = first.json()["id"]
    assert client.delete(f"/v1/videos/{video}").status_code == 200

    retry = client.post("/v1/videos", json=BODY, headers=key)
    assert retry.status_code == 409, retry.text  # before: 202 and a second video
    error = retry.json()["error"]
    assert error["code"] == "idempotency_conflict"
    assert error["param"] == "Idempotency-Key"
    assert error["message"] == (
        f"Idempotency-Key 'render-episode-3' made the video {video}, which was deleted since; "
        "a key makes one job, so use a new key to make another"
    )
    assert retry.headers["x-should-retry"] == "false"
    assert client.get("/v1/videos").json()["data"] == []  # nothing was queued

    fresh = client.post("/v1/videos", json=BODY, headers={"Idempotency-Key": "render-episode-3b"})
    assert fresh.status_code == 202, fresh.text


def test_a_key_whose_job_lives_still_replays_and_conflicts_as_before(client: TestClient) -> None:
    key = {"Idempotency-Key": "k1"}
    first = client.post("/v1/videos", json=BODY, headers=key).json()["id"]
    other = client.post("/v1/videos", json=BODY).json()["id"]
    client.delete(f"/v1/videos/{other}")  # a deleted job without a key leaves every key free
    again = client.post("/v1/videos", json=BODY, headers=key)
    assert (again.status_code, again.json()["id"]) == (200, first)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert client.post("/v1/videos", json={**BODY, "prompt": "x"}, headers=key).status_code == 409
