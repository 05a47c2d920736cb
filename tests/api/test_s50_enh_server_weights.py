"""An enhance asking for a method whose weights the server lacks is a 400 naming the field, no server path."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.cli.test_enhance_cli import _clip


@pytest.mark.parametrize(
    ("form", "param", "says"),
    [
        (
            {"interpolate": "2", "interpolator": "rife"},
            "interpolator",
            "interpolator rife: this server has no RIFE weights; choose flow, or auto",
        ),
        (
            {"upscale": "4", "upscaler": "realesrgan-x4plus"},
            "upscaler",
            "upscaler realesrgan-x4plus: this server has no realesrgan-x4plus model; choose lanczos",
        ),
    ],
)
def test_unpulled_weights_are_said_in_the_servers_words(
    client: TestClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    form: dict[str, str],
    param: str,
    says: str,
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    video = _clip(tmp_path / "in.mp4", frames=3).read_bytes()
    resp = client.post("/v1/videos/enhance", data=form, files={"file": ("in.mp4", video)})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It was "RIFE weights /srv/.../rife/flownet.pkl do not exist; run `reelgen pull rife` ...", param
    # "weights" (no field of the body), and for Real-ESRGAN the server's models folder.
    assert error["param"] == param and error["message"].startswith(says), error
    assert str(models) not in error["message"] and "reelgen pull" not in error["message"]
