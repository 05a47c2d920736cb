"""A JSON body that gives one name twice is refused by name on every route, not read as its last value."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("path", "body", "name"),
    [
        ("/v1/system/free", '{"idle_seconds": 600, "idle_seconds": 0}', "idle_seconds"),
        ("/api/video/generate", '{"prompt": "a fox", "prompt": "a hen"}', "prompt"),
        ("/v1/batches", '{"manifest": {"items": []}, "manifest": {}}', "manifest"),
        ("/v1/videos", '{"prompt": "a fox", "seed": 1, "seed": 2}', "seed"),
    ],
)
def test_a_name_given_twice_is_a_400_naming_it(client: TestClient, path: str, body: str, name: str) -> None:
    # /v1/system/free with idle_seconds 600 then 0 unloaded every idle model: the last value won.
    answer = client.post(path, content=body, headers=JSON)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert (error["param"], error["message"]) == (
        name,
        f"{name} is given twice in the request body; send it once",
    )


def test_a_body_that_is_no_json_is_still_said_by_the_route(client: TestClient) -> None:
    answer = client.post("/v1/videos", content=b'{"prompt": ', headers=JSON)
    assert answer.status_code == 400 and "not valid JSON" in answer.json()["error"]["message"]


def test_a_nested_name_given_twice_is_named_too(client: TestClient) -> None:
    body = (
        '{"prompt": "a fox", "webhook": {"url": "https://hooks.example/a", "url": "https://hooks.example/b"}}'
    )
    answer = client.post("/v1/videos", content=body, headers=JSON)
    assert answer.status_code == 400 and answer.json()["error"]["param"] == "webhook.url"


@pytest.mark.parametrize("path", ["/v1/system/free", "/v1/batches", "/v1/shootouts", "/api/video/generate"])
@pytest.mark.parametrize("depth", [33, 5000])
def test_a_body_nested_too_deep_is_said_on_the_routes_fastapi_reads(
    client: TestClient, path: str, depth: int
) -> None:
    # Past the parser's recursion these heard "There was an error parsing the body", where /v1/videos
    # said how deep a body may go; 33 levels were read and refused field by field.
    body = '{"metadata": ' + "[" * depth + "]" * depth + "}"
    answer = client.post(path, content=body, headers=JSON)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["message"] == "request body nests deeper than 32 levels"


@pytest.mark.parametrize("path", ["/v1/system/free", "/v1/batches", "/api/video/generate"])
def test_a_body_no_parser_reads_is_said_on_the_routes_fastapi_reads(client: TestClient, path: str) -> None:
    # Both heard "There was an error parsing the body"; /v1/videos said what was wrong.
    for body, said in [
        (b'{"metadata": "\xff"}', "'utf-8' codec can't decode byte 0xff in position 14: invalid start byte"),
        (b'{"priority": ' + b"9" * 5000 + b"}", "a number has more than 4300 digits"),
    ]:
        answer = client.post(path, content=body, headers=JSON)
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["message"] == f"request body is not valid JSON ({said})"
