"""A download never follows a link planted in the server's folders to a file outside them."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from reelgen.api import error_handlers
from reelgen.api.files import FileAnswer

PROJECT = "title: t\nscenes:\n  - prompt: a fox\n    model: wan-tiny\n    duration: 1\n"


def test_a_link_is_not_sent_and_a_file_is(tmp_path: Path) -> None:
    outside = tmp_path / "private.json"
    outside.write_text('{"token": "of the server account"}')
    served = tmp_path / "served"
    served.mkdir()
    (served / "film.json").write_text("{}")
    os.symlink(outside, served / "leak.json")
    app = FastAPI()
    error_handlers.install(app)

    @app.get("/files/{name}")
    def one(name: str) -> FileAnswer:
        return FileAnswer(served / name, media_type="application/json")

    client = TestClient(app)
    leak = client.get("/files/leak.json")
    assert leak.status_code == 404 and "token" not in leak.text
    assert leak.json()["error"]["code"] == "not_found"
    assert client.get("/files/film.json").status_code == 200


def test_a_link_in_a_projects_exports_is_not_sent(client: TestClient, data_dir: Path, tmp_path: Path) -> None:
    # exports/leak.json -> a file of the server's account was sent as if it were the project's export.
    outside = tmp_path / "private.json"
    outside.write_text('{"token": "of the server account"}')
    made = client.post("/v1/projects", json={"project": PROJECT})
    assert made.status_code == 201, made.text
    exports = data_dir / "projects" / made.json()["id"] / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, exports / "leak.json")
    url = f"/v1/projects/{made.json()['id']}/exports/leak.json"
    resp = client.get(url)
    assert resp.status_code == 404 and "token" not in resp.text
    assert client.head(url).status_code == 404
    assert client.get(url, headers={"Range": "bytes=0-5"}).status_code == 404


def test_a_linked_exports_or_clips_folder_is_not_followed(
    client: TestClient, data_dir: Path, tmp_path: Path
) -> None:
    # exports/ -> another folder: the file in it was sent, as the linked file no longer was.
    outside = tmp_path / "elsewhere"
    (outside / "clips").mkdir(parents=True)
    (outside / "private.json").write_text('{"token": "of the server account"}')
    made = client.post("/v1/projects", json={"project": PROJECT})
    assert made.status_code == 201, made.text
    root = data_dir / "projects" / made.json()["id"]
    for name in ("exports", "clips"):
        if (root / name).exists():
            os.rmdir(root / name)
    os.symlink(outside, root / "exports")
    leak = client.get(f"/v1/projects/{made.json()['id']}/exports/private.json")
    assert leak.status_code == 404 and "token" not in leak.text
    key = "a" * 16
    (outside / "clips" / f"{key}.json").write_text('{"token": "of the server account"}')
    os.symlink(outside / "clips", root / "clips")
    clip = client.get(f"/v1/projects/{made.json()['id']}/clips/{key}", params={"variant": "metadata"})
    assert clip.status_code == 404 and "token" not in clip.text
