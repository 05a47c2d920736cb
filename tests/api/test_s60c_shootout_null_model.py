"""A null among a shoot-out's models is told it is not a model name, as 1 or [] is, not a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("models", [[None], ["wan-tiny", None]])
def test_a_null_model_is_named_as_no_model_name(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, models: list[str | None]
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    body = {"models": models, "prompts": {"prompts": ["a fox"]}, "output_folder": str(tmp_path / "report")}
    resp = client.post("/v1/shootouts", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "models"
    assert error["message"].startswith("models: null is not a model name; give 1 to 32 model names")
    assert client.get("/v1/shootouts").json()["data"] == []
    assert not (tmp_path / "report").exists()
