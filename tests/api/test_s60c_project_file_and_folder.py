"""A project path used as a file and as a folder: refused naming both fields within one project file,
and replaced by an update whose new project file uses it the other way (it was a 500 each time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

from tests.api.conftest import files_under, png


def _project(*images: str) -> str:
    scenes: list[dict[str, Any]] = [
        {
            "id": f"s{i}",
            "prompt": "a slow pan",
            "model": "wan-i2v-tiny",
            "start_image": image,
            "duration": 1.0,
        }
        for i, image in enumerate(images)
    ]
    defaults = {"model": "wan-tiny", "width": 48, "height": 32, "fps": 8, "seed": 3}
    return yaml.safe_dump({"title": "Quay", "defaults": defaults, "scenes": scenes}, sort_keys=False)


def _send(client: TestClient, method: str, url: str, *images: str) -> Any:
    files = [("files", (image, png())) for image in images]
    return client.request(method, url, data={"project": _project(*images)}, files=files)


def test_one_path_as_a_file_and_a_folder_names_both_fields(client: TestClient, data_dir: Path) -> None:
    for images in (("x", "x/y.png"), ("x/y.png", "x")):
        resp = _send(client, "POST", "/v1/projects", *images)
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        inner = images.index("x/y.png")
        assert error["param"] == f"scenes[{inner}].start_image"
        assert error["message"] == (
            f"scene 's{inner}' (scenes[{inner}]): start_image: x/y.png puts a file inside x, but "
            f"scene 's{1 - inner}' (scenes[{1 - inner}]): start_image names x itself as a file; "
            "a path cannot be both a file and a folder: rename one of them"
        )
    assert client.get("/v1/projects").json()["data"] == []
    assert files_under(data_dir / "projects") == []


def test_an_update_may_use_an_earlier_file_as_a_folder_and_back(client: TestClient, data_dir: Path) -> None:
    made = _send(client, "POST", "/v1/projects", "x")
    assert made.status_code == 201, made.text
    url = f"/v1/projects/{made.json()['id']}"
    root = data_dir / "projects" / made.json()["id"]
    as_folder = _send(client, "PUT", url, "x/y.png")
    assert as_folder.status_code == 200, as_folder.text
    assert [f["path"] for f in as_folder.json()["files"]] == ["x/y.png"]
    assert (root / "x" / "y.png").read_bytes() == png()
    as_file = _send(client, "PUT", url, "x")
    assert as_file.status_code == 200, as_file.text
    assert [f["path"] for f in as_file.json()["files"]] == ["x"]
    assert (root / "x").read_bytes() == png()
    assert [s["status"] for s in client.get(url).json()["scenes"]] == ["missing"]


def test_an_update_takes_a_file_named_with_windows_separators(client: TestClient, data_dir: Path) -> None:
    made = _send(client, "POST", "/v1/projects", "assets/quay.png")
    url = f"/v1/projects/{made.json()['id']}"
    new = png(64, 64)
    # The create took "assets\\quay.png" as assets/quay.png; the update looked for it under its own name.
    resp = client.put(
        url, data={"project": _project("assets/quay.png")}, files=[("files", ("assets\\quay.png", new))]
    )
    assert resp.status_code == 200, resp.text
    assert [f["path"] for f in resp.json()["files"]] == ["assets/quay.png"]
    assert (data_dir / "projects" / made.json()["id"] / "assets" / "quay.png").read_bytes() == new


def test_a_name_too_long_for_the_disk_is_refused_naming_its_field(client: TestClient, data_dir: Path) -> None:
    # Each was written to the staging folder first: the disk's "File name too long" was a 500.
    for path, said in (
        (
            "a" * 300 + ".png",
            "is 304 bytes long, and a folder or file name may have at most 255; give a shorter one",
        ),
        ("d/" * 2040 + "a.png", "is too long a path for the server's disk; give a shorter one"),
    ):
        resp = _send(client, "POST", "/v1/projects", path)
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["param"] == "scenes[0].start_image"
        assert error["message"].endswith(said)
    assert files_under(data_dir / "projects") == []
    assert _send(client, "POST", "/v1/projects", "a" * 250 + ".png").status_code == 201  # 254 bytes: taken
