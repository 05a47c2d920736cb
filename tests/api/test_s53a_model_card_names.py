"""GET /v1/models/{id} of a name written otherwise offers the models it may mean, as a create body does."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_name_in_capitals_is_offered_the_model(client: TestClient) -> None:
    answer = client.get("/v1/models/LTX-TINY")
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert (
        error["message"]
        == "no model 'LTX-TINY'; did you mean ltx-tiny, ltx2-tiny, wan-tiny? GET /v1/models lists them"
    )
    assert error["param"] == "model_id"
    assert client.get("/v1/models/ltx-tiny").json()["id"] == "ltx-tiny"


def test_a_name_like_none_is_said_as_before(client: TestClient) -> None:
    answer = client.get("/v1/models/no-such-thing-at-all")
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "no model 'no-such-thing-at-all'; GET /v1/models lists them"
