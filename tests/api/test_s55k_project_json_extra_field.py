"""``POST /v1/projects`` as JSON with a field beside ``project`` (``files``, a typo) is a 400 naming it: it was
a 201 that dropped the field without a word, so files sent that way were never stored (multipart already
refused an unknown part)."""

from __future__ import annotations

from fastapi.testclient import TestClient

PROJECT = {
    "title": "T",
    "defaults": {"model": "wan-tiny", "width": 48, "height": 32, "fps": 8},
    "scenes": [{"prompt": "a fox", "duration": 1}],
}


def test_files_beside_the_project_in_json_is_a_400_saying_to_use_multipart(client: TestClient) -> None:
    resp = client.post("/v1/projects", json={"project": PROJECT, "files": {"assets/a.png": "iVBOR"}})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "files"
    assert error["message"] == (
        "files: unknown field; a JSON body holds project alone: send input files as multipart/form-data "
        "files parts, each named by its path in the project"
    )
    assert client.get("/v1/projects").json()["data"] == []


def test_a_misspelt_field_beside_the_project_is_named(client: TestClient) -> None:
    resp = client.post("/v1/projects", json={"project": PROJECT, "titel": "x"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "titel" and error["message"].startswith(
        "titel: unknown field; a JSON body holds project alone"
    )
    assert client.get("/v1/projects").json()["data"] == []


def test_the_project_alone_is_still_created(client: TestClient) -> None:
    assert client.post("/v1/projects", json={"project": PROJECT}).status_code == 201
