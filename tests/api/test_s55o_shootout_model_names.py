"""POST /v1/shootouts reads its model names as a video request reads one: spaces around it trimmed,
an empty one named by its place in ``models``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


def _body(tmp_path: Path, models: list[str]) -> dict[str, object]:
    return {"models": models, "prompts": {"prompts": ["a fox"]}, "output_folder": str(tmp_path / "report")}


def test_a_name_with_spaces_around_it_is_the_model(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    resp = make_client().post("/v1/shootouts", json=_body(tmp_path, [" ltx-tiny "]))
    # It was a 400 "unknown model ' ltx-tiny '; did you mean ltx-tiny?".
    assert resp.status_code == 202, resp.text
    assert resp.json()["models"] == ["ltx-tiny"]


def test_an_empty_name_is_named_by_its_place(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    resp = make_client().post("/v1/shootouts", json=_body(tmp_path, ["ltx-tiny", "  "]))
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It was param "models" and "the model name '  ' is empty": which of them was left to guess.
    assert error["param"] == "models[1]", error
    assert "models[1]" in error["message"] and "empty" in error["message"], error
    assert "ltx-tiny" in error["message"], error
    assert not (tmp_path / "report").exists()
