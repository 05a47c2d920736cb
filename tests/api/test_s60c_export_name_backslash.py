"""An export name holding a backslash is refused up front: the film was made, listed under the project,
and its download answered 404 (the exports route serves no such name)."""

from __future__ import annotations

from fastapi.testclient import TestClient

CARD = {
    "title": "Card",
    "defaults": {"model": "wan-tiny", "width": 48, "height": 32, "fps": 8},
    "scenes": [{"id": "opening", "title_card": {"text": "Card"}, "duration": 1.0}],
}


def test_a_backslash_in_the_export_name_is_refused_naming_the_field(client: TestClient) -> None:
    project_id = client.post("/v1/projects", json={"project": CARD}).json()["id"]
    for route, body in (
        ("export", {"export_settings": {"output": "films\\harbour.mp4"}}),
        ("render", {"export": True, "export_settings": {"output": "films\\harbour.mp4"}}),
    ):
        resp = client.post(f"/v1/projects/{project_id}/{route}", json=body)
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["param"] == "export_settings.output"
        assert error["message"] == (
            "export_settings.output: 'films\\\\harbour.mp4' holds a backslash, a folder separator on "
            "Windows; give a plain file name such as film.mp4 (exports go in the project's exports/)"
        )
    assert client.get(f"/v1/projects/{project_id}").json()["job"] is None
    plain = client.post(
        f"/v1/projects/{project_id}/export", json={"export_settings": {"output": "harbour.mp4"}}
    )
    assert plain.status_code == 202, plain.text


def test_an_export_name_of_too_many_bytes_is_refused_without_the_servers_folders(client: TestClient) -> None:
    # 130 accented letters: within max_length (255 characters), but 264 bytes, more than a file name may
    # hold; the refusal named the server's own exports folder (/.../server/projects/proj_.../exports/...).
    project_id = client.post("/v1/projects", json={"project": CARD}).json()["id"]
    name = "é" * 130 + ".mp4"
    for route, body in (
        ("export", {"export_settings": {"output": name}}),
        ("render", {"export": True, "export_settings": {"output": name}}),
    ):
        resp = client.post(f"/v1/projects/{project_id}/{route}", json=body)
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["param"] == "export_settings.output"
        assert error["message"].startswith("export_settings.output: the name éééé")
        assert "264 bytes long, and a folder or file name may have at most 255" in error["message"]
        assert "projects" not in error["message"] and "/" not in error["message"]
    assert client.get(f"/v1/projects/{project_id}").json()["job"] is None
