"""A name given twice inside a POST body is named by its place (manifest.items[1].model), not alone."""

from __future__ import annotations

from fastapi.testclient import TestClient

JSON = {"Content-Type": "application/json"}


def test_a_name_given_twice_in_an_item_is_named_by_its_place(client: TestClient) -> None:
    body = (
        '{"manifest": {"defaults": {"model": "ken-burns"}, "items": [\n'
        '  {"output": "a"},\n'
        '  {"output": "b", "model": "ltx-tiny", "model": "wan-tiny"}]}}'
    )
    answer = client.post("/v1/batches", content=body, headers=JSON)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["param"] == "manifest.items[1].model"
    assert error["message"] == "manifest.items[1].model is given twice in the request body; send it once"


def test_a_top_level_name_given_twice_is_still_named_alone(client: TestClient) -> None:
    answer = client.post("/v1/videos", content='{"prompt": "a fox", "prompt": "a hen"}', headers=JSON)
    assert answer.json()["error"]["param"] == "prompt"
