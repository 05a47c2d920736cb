"""A batch or shoot-out refused once its output folder was made (a full queue) takes the folders it made
back; they stayed behind, empty. A folder that was there before stays."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient


def _body(route: str, root: Path, out: Path) -> dict[str, Any]:
    if route == "/v1/batches":
        manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"output": "fox", "prompt": "a fox"}]}
        return {"manifest": manifest, "input_folder": str(root / "shots"), "output_folder": str(out)}
    return {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(out)}


@pytest.mark.parametrize("route", ["/v1/batches", "/v1/shootouts"])
def test_a_create_refused_for_a_full_queue_leaves_no_folder_it_made(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    (tmp_path / "shots").mkdir()
    (tmp_path / "kept").mkdir()
    client = make_client(jobs={"max_queue": 1})
    assert client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny"}).status_code == 202
    for out in (tmp_path / "new" / "out", tmp_path / "kept"):
        resp = client.post(route, json=_body(route, tmp_path, out))
        assert resp.status_code == 429, resp.text
        assert resp.json()["error"]["code"] == "queue_full"
    assert not (tmp_path / "new").exists()
    assert (tmp_path / "kept").is_dir()  # there before the request: not the request's to take back
