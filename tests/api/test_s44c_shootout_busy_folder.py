"""Two shoot-outs writing one report folder at once: the second is a 409 naming the first, until it ends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient


def _body(root: Path, prompt: str) -> dict[str, Any]:
    return {"models": ["ltx-tiny"], "prompts": {"prompts": [prompt]}, "output_folder": str(root / "compare")}


def test_a_folder_a_running_shootout_writes_in_is_refused_until_it_ends(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client()
    first = client.post("/v1/shootouts", json=_body(tmp_path, "a fox"), headers={"Idempotency-Key": "k1"})
    assert first.status_code == 202, first.text
    first_id = first.json()["id"]
    again = client.post("/v1/shootouts", json=_body(tmp_path, "a fox"), headers={"Idempotency-Key": "k1"})
    assert again.status_code == 200 and again.json()["id"] == first_id  # a retry is still a replay

    second = client.post("/v1/shootouts", json=_body(tmp_path, "a heron"))
    assert second.status_code == 409, second.text
    error = second.json()["error"]
    assert error["param"] == "output_folder" and error["code"] == "folder_in_use"
    assert f"shoot-out {first_id} is still writing its report in {tmp_path / 'compare'}" in error["message"]
    assert len(client.get("/v1/shootouts").json()["data"]) == 1

    client.post(f"/v1/shootouts/{first_id}/cancel")
    assert client.post("/v1/shootouts", json=_body(tmp_path, "a heron")).status_code == 202
