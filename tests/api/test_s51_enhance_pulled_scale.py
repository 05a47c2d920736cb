"""A server holding one scale's Real-ESRGAN files takes requests for that scale and refuses the others."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.core.enhance.auto import upscale_step
from tests.cli.test_enhance_cli import _clip


@pytest.fixture
def only_x4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A models folder with animevideov3's x4 files only (the x2 and x3 .param files are not there)."""
    models = tmp_path / "models"
    (models / "realesrgan").mkdir(parents=True)
    for name in ("realesr-animevideov3-x4.param", "realesr-animevideov3-x4.bin"):
        (models / "realesrgan" / name).write_bytes(b"x")
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    return models


def _enhance(client: TestClient, tmp_path: Path, form: dict[str, str]) -> tuple[int, dict[str, object]]:
    video = _clip(tmp_path / "in.mp4", frames=3).read_bytes()
    resp = client.post("/v1/videos/enhance", data=form, files={"file": ("in.mp4", video)})
    return resp.status_code, resp.json()


def test_a_pulled_scale_is_accepted(client: TestClient, tmp_path: Path, only_x4: Path) -> None:
    status, body = _enhance(client, tmp_path, {"upscale": "4", "upscaler": "realesr-animevideov3"})
    # It was a 400 "this server has no realesr-animevideov3 model": every scale's files were asked for.
    assert status == 202, body
    assert (body["size"], body["status"]) == ("256x192", "queued"), body


def test_an_unpulled_scale_is_refused_naming_the_field(
    client: TestClient, tmp_path: Path, only_x4: Path
) -> None:
    status, body = _enhance(client, tmp_path, {"upscale": "2", "upscaler": "realesr-animevideov3"})
    assert status == 400, body
    error = body["error"]
    assert isinstance(error, dict) and error["param"] == "upscaler", error
    assert error["message"].startswith(
        "upscaler realesr-animevideov3: this server has no realesr-animevideov3 model for x2; "
        "choose lanczos, or auto"
    ), error
    assert str(only_x4) not in error["message"]


def test_auto_takes_the_model_for_a_scale_whose_files_are_pulled(only_x4: Path) -> None:
    # It took Lanczos: auto asked for the x2 and x3 files too.
    assert upscale_step(4, None).model_dump() == {
        "name": "esrgan",
        "options": {"model": "realesr-animevideov3", "scale": 4},
    }
    assert upscale_step(2, None).name == "lanczos"  # x2's files are not there


@pytest.mark.parametrize("scale", [8, 1.5])
def test_auto_takes_lanczos_for_a_factor_the_model_does_not_make(only_x4: Path, scale: float) -> None:
    assert upscale_step(scale, None).model_dump() == {"name": "lanczos", "options": {"scale": scale}}
