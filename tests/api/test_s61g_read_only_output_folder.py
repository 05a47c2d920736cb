"""A batch or shoot-out output folder the server cannot write in is refused saying what to give instead."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.api import parent_folder


def _body(route: str, root: Path, out: Path) -> dict[str, Any]:
    if route == "/v1/batches":
        manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"output": "fox", "prompt": "a fox"}]}
        return {"manifest": manifest, "input_folder": str(root / "shots"), "output_folder": str(out)}
    return {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(out)}


@pytest.mark.parametrize("route", ["/v1/batches", "/v1/shootouts"])
def test_a_read_only_output_folder_is_told_what_to_give(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    (tmp_path / "shots").mkdir()
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    # Tests may run as root, who may write anywhere: the folder is read-only to the server's user here.
    monkeypatch.setattr(
        parent_folder.os, "access", lambda p, mode: Path(p) != locked and real_access(p, mode)
    )
    resp = make_client().post(route, json=_body(route, tmp_path, locked))
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "output_folder"
    assert error["message"] == (
        f"output_folder: the server cannot write in {locked} (the user it runs as has no write permission "
        "there); give a folder that user can write in, or make this one writable for it"
    )
