"""A remix sent again with its ``Idempotency-Key`` (a retry after a dropped answer) once the video it remixed
was deleted answered 404 "no video": the parent was looked up before the key, so the remix job it had made,
still there, was not given back, and a client could not learn its id. The replay now answers first (200,
the same job), as a create's does; a new remix of a deleted video is still a 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

FOX = {"model": "cogvideox-tiny", "prompt": "a red fox"}


def test_a_remix_resent_with_its_key_gets_its_job_back_after_the_parent_is_deleted(
    client: TestClient,
) -> None:
    parent = client.post("/v1/videos", json=FOX).json()["id"]
    body, key = {"prompt": "the fox at dawn", "seed": 3}, {"Idempotency-Key": "dawn-1"}
    first = client.post(f"/v1/videos/{parent}/remix", json=body, headers=key)
    assert first.status_code == 202, first.text
    assert client.delete(f"/v1/videos/{parent}").status_code == 200
    again = client.post(f"/v1/videos/{parent}/remix", json=body, headers=key)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = client.post(f"/v1/videos/{parent}/remix", json=body, headers={"Idempotency-Key": "dawn-2"})
    assert other.status_code == 404, other.text


def test_a_key_reused_with_another_body_is_still_a_conflict(client: TestClient) -> None:
    parent = client.post("/v1/videos", json=FOX).json()["id"]
    key = {"Idempotency-Key": "dawn-3"}
    assert client.post(f"/v1/videos/{parent}/remix", json={"prompt": "a"}, headers=key).status_code == 202
    clash = client.post(f"/v1/videos/{parent}/remix", json={"prompt": "b"}, headers=key)
    assert clash.status_code == 409, clash.text
