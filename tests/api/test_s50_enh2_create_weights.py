"""POST /v1/videos asking for RIFE or a Real-ESRGAN model the server lacks is a 400 naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("fields", "param", "says"),
    [
        (
            {"interpolate": 2, "interpolator": "rife"},
            "interpolator",
            "interpolator rife: this server has no RIFE weights; choose flow, or auto",
        ),
        (
            {"upscale": 4, "upscaler": "realesrgan-x4plus"},
            "upscaler",
            "upscaler realesrgan-x4plus: this server has no realesrgan-x4plus model; choose lanczos",
        ),
    ],
)
def test_create_with_unpulled_enhance_weights_names_the_field(
    client: TestClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fields: dict[str, object],
    param: str,
    says: str,
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    resp = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny", **fields})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It was the server's own weights path, "run `reelgen pull rife`", under param "weights".
    assert error["param"] == param and error["message"].startswith(says), error
    assert str(models) not in error["message"] and "reelgen pull" not in error["message"]
