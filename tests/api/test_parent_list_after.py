"""``/v1/batches`` and ``/v1/shootouts`` lists: an ``after`` that names none of theirs is said as ``/v1/videos``
says it, and a long one is cut short."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_an_after_naming_no_parent_says_what_to_do(client: TestClient) -> None:
    for path, noun in (("batches", "batch"), ("shootouts", "shoot-out")):
        resp = client.get(f"/v1/{path}?after=video_{'0' * 32}")
        assert resp.status_code == 400, resp.text
        # It said only "after: no batch '...' to continue from", with code invalid_request.
        assert resp.json()["error"] == {
            "message": f"after: no {noun} 'video_{'0' * 32}' to continue from; list again without after, "
            f"or from a {noun} that still exists",
            "type": "invalid_request_error",
            "param": "after",
            "code": "invalid_value",
        }
    long = client.get(f"/v1/batches?after={'x' * 3000}").json()["error"]["message"]
    assert len(long) < 200, long  # the whole 3000 characters came back
