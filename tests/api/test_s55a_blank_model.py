"""``POST /v1/videos`` with a blank ``model``: one 400 naming the field and the models to pick from."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("model", ["", "  ", "\t"])
def test_a_blank_model_is_one_clear_400(client: TestClient, model: str) -> None:
    # "" was taken as "left out" and queued the default model (202); "  " said only
    # "model must name a model, e.g. 'ltx-tiny'", naming no model the server has.
    resp = client.post("/v1/videos", json={"prompt": "a fox", "model": model})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "model"
    message = error["message"]
    assert message.startswith(f"model: {model!r} names no model; give a model id of GET /v1/models")
    assert "reelgen-micro" in message and "ltx-2b" in message and "wan-1.3b" in message
    assert message.endswith("or leave model out for the server's default")
    assert client.get("/v1/videos").json()["data"] == []


def test_a_blank_model_in_a_form_is_the_same_400(client: TestClient) -> None:
    json_said = client.post("/v1/videos", json={"prompt": "a fox", "model": ""}).json()["error"]
    resp = client.post("/v1/videos", data={"prompt": "a fox", "model": ""})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == json_said["message"]
    assert client.get("/v1/videos").json()["data"] == []
