"""A keyframe named from the home folder (``~/a.png``) is checked against the server's batch roots as
the plan reads it: the home folder, not a folder called ``~`` under the input folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image


@pytest.fixture
def outside_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    Image.new("RGB", (64, 64), (90, 120, 60)).save(home / "a.png")
    monkeypatch.setenv("HOME", str(home))
    roots = tmp_path / "roots"
    roots.mkdir()
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(roots))
    return roots


def test_a_batch_keyframe_under_home_outside_the_roots_is_refused(
    make_client: Callable[..., TestClient], outside_home: Path
) -> None:
    manifest = {
        "defaults": {"model": "ltx-tiny", "prompt": "x"},
        "items": [{"output": "a", "images": ["~/a.png"]}],
    }
    client = make_client()
    resp = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(outside_home)})
    assert resp.status_code == 403, resp.text
    assert resp.json()["error"]["param"] == "manifest.items[0].images[0]"
    assert "home/a.png is outside the folders this server may use" in resp.json()["error"]["message"]
    assert client.get("/v1/batches").json()["data"] == []


def test_a_shootout_prompt_image_under_home_outside_the_roots_is_refused(
    make_client: Callable[..., TestClient], outside_home: Path
) -> None:
    prompts = {"prompts": [{"id": "a", "prompt": "x", "image": "~/a.png"}]}
    body = {
        "models": ["ltx-tiny"],
        "prompts": prompts,
        "input_folder": str(outside_home),
        "output_folder": str(outside_home / "out"),
    }
    client = make_client()
    resp = client.post("/v1/shootouts", json=body)
    assert resp.status_code == 403, resp.text
    assert resp.json()["error"]["param"] == "prompts.prompts[0].image"
    assert "home/a.png is outside the folders this server may use" in resp.json()["error"]["message"]
    assert client.get("/v1/shootouts").json()["data"] == []
