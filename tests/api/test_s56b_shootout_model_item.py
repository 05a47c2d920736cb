"""POST /v1/shootouts names a wrong model by its place in ``models`` (``models[2]``), as other list fields
are named, and says which models there are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return {"prompts": {"prompts": ["a fox"]}, "output_folder": str(tmp_path / "report")}


def test_an_unknown_model_is_named_by_its_place_with_the_known_ones(
    client: TestClient, body: dict[str, Any], tmp_path: Path
) -> None:
    resp = client.post("/v1/shootouts", json={**body, "models": ["ltx-tiny", "wan-tiny", "nope"]})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It was param "models" and "unknown model 'nope'; ...": which of the list was wrong left to find.
    assert error["param"] == "models[2]", error
    assert error["message"].startswith("models[2]: unknown model 'nope'; "), error
    assert "known models: " in error["message"] and "reelgen models" in error["message"], error
    assert error["code"] == "model_not_available"
    assert not (tmp_path / "report").exists()


def test_a_near_name_is_named_by_its_place_with_what_was_meant(
    client: TestClient, body: dict[str, Any]
) -> None:
    resp = client.post("/v1/shootouts", json={**body, "models": ["wan-tiny", "ltx-tiyn"]})
    error = resp.json()["error"]
    assert (resp.status_code, error["param"]) == (400, "models[1]"), error
    assert error["message"].startswith("models[1]: unknown model 'ltx-tiyn'; did you mean ltx-tiny"), error


def test_a_repeated_model_is_named_by_its_second_place(client: TestClient, body: dict[str, Any]) -> None:
    resp = client.post("/v1/shootouts", json={**body, "models": ["ltx-tiny", "wan-tiny", "ltx-tiny"]})
    error = resp.json()["error"]
    assert (resp.status_code, error["param"]) == (400, "models[2]"), error
    assert error["message"] == "models[2]: models are named once each; repeated: ltx-tiny", error
    assert client.get("/v1/shootouts").json()["data"] == []


def test_an_avatar_model_is_named_by_its_place(client: TestClient, body: dict[str, Any]) -> None:
    resp = client.post("/v1/shootouts", json={**body, "models": ["ltx-tiny", "musetalk-tiny"]})
    error = resp.json()["error"]
    assert (resp.status_code, error["param"]) == (400, "models[1]"), error
    assert error["message"].startswith("models[1]: musetalk-tiny makes talking avatars"), error
