"""A shoot-out's image paths and input folder: a folder, a file or a non-image is named as such before anything is queued."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    (tmp_path / "shots").mkdir()
    (tmp_path / "notes.png").write_text("not an image")
    return tmp_path


def _refused(client: TestClient, root: Path, **fields: Any) -> dict[str, Any]:
    body = {
        "models": ["ltx-tiny"],
        "prompts": {"prompts": ["a fox"]},
        "output_folder": str(root / "report"),
        **fields,
    }
    resp = client.post("/v1/shootouts", json=body)
    assert resp.status_code == 400, resp.text
    assert client.get("/v1/shootouts").json()["data"] == []
    return dict(resp.json()["error"])


def test_an_image_that_is_a_folder_is_said_to_be_one(
    make_client: Callable[..., TestClient], root: Path
) -> None:
    client = make_client()
    error = _refused(client, root, images=[str(root / "shots")])
    assert error["param"] == "images[0]"  # it said "images", not which one
    assert error["message"] == f"images[0]: {root / 'shots'} is a folder; give an image file (.png, .jpg)"
    prompts = {"prompts": [{"prompt": "a fox", "image": "shots"}]}
    error = _refused(client, root, prompts=prompts, input_folder=str(root))
    assert error["param"] == "prompts.prompts[0].image"
    assert error["message"].startswith(f"prompts.prompts[0].image: {root / 'shots'} is a folder")


def test_an_input_folder_that_is_a_file_is_said_to_be_one(
    make_client: Callable[..., TestClient], root: Path
) -> None:
    prompts = {"prompts": [{"prompt": "a fox", "image": "a.png"}]}
    error = _refused(make_client(), root, prompts=prompts, input_folder=str(root / "notes.png"))
    assert error["param"] == "input_folder"
    assert error["message"] == (
        f"input_folder: {root / 'notes.png'} is a file; give the folder the prompts' image paths start from"
    )


def test_a_file_that_is_no_image_is_refused_before_any_trial(
    make_client: Callable[..., TestClient], root: Path
) -> None:
    client = make_client()
    error = _refused(client, root, images=[str(root / "notes.png")])
    assert error["param"] == "images[0]" and "is not a readable image" in error["message"]
    prompts = {"prompts": [{"prompt": "a fox", "image": "notes.png"}]}
    error = _refused(client, root, prompts=prompts, input_folder=str(root))
    assert error["param"] == "prompts.prompts[0].image" and "is not a readable image" in error["message"]


def test_an_input_folder_not_made_yet_is_fine_when_no_image_is_read_from_it(
    make_client: Callable[..., TestClient], root: Path
) -> None:
    """The page sends the report folder, made only once queued, as input_folder when none is given."""
    client = make_client()
    report = root / "report"
    body = {
        "models": ["ltx-tiny"],
        "prompts": {"prompts": ["a fox"]},
        "output_folder": str(report),
        "input_folder": str(report),
    }
    resp = client.post("/v1/shootouts", json=body)
    assert resp.status_code == 202, resp.text
