"""`reelgen enhance --server`: the server's refusals and a failed job name the options typed, not API fields."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from tests.api.conftest import data_dir, make_client  # noqa: F401  (fixtures)
from tests.cli.test_failed_job_names_options import SERVER, VIDEO_ID, _failing
from tests.jobs.test_enhance_kind import clip


def _enhance(source: Path, *args: str) -> tuple[Result, str]:
    out = CliRunner().invoke(cli_app, ["enhance", str(source), *args, "--server", SERVER, "-q"])
    return out, " ".join(out.output.split())


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (["--target-fps", "12"], "--target-fps 12 must be above the clip's 23.976 fps"),
        (["--upscale", "2", "--upscaler", "magic"], "--upscaler 'magic' is not known; valid: auto"),
        (["--upscale", "1.5", "--upscaler", "esrgan"], "--upscale 1.5: learned upscalers take whole factors"),
        (["--interpolate", "64"], "--interpolate: 64 is too large"),
    ],
)
def test_a_refusal_names_the_option_typed(
    typed: list[str],
    said: str,
    make_client: Callable[..., TestClient],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--target-fps 12`` on a 24 fps clip was told 'target_fps 12 must be above ...' (the run here
    says --target-fps), and --upscaler magic 'upscaler ...': names never typed."""
    server = make_client()

    @contextmanager
    def the_app(*_: object, **__: object) -> Iterator[TestClient]:
        yield server  # kept open: the fixture closes it

    monkeypatch.setattr(client_cli, "_client", the_app)
    out, text = _enhance(clip(tmp_path / "in.mp4"), *typed)
    assert out.exit_code == 2, out.output
    assert text.startswith(f"error: HTTP 400: {said}")
    assert not re.search(r"(?<!-)\b(target_fps|upscaler|upscale|interpolate)\b", text)  # no bare field
    assert not (tmp_path / "in-enhanced.mp4").exists()


def test_a_job_failed_on_the_worker_names_the_option(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    message = "upscale 3: realesr-animevideov3 takes 2 or 4"
    asked = _failing(monkeypatch, {"code": "invalid_request", "message": message})
    out, text = _enhance(clip(tmp_path / "in.mp4"), "--upscale", "3", "--upscaler", "realesr-animevideov3")
    assert out.exit_code == 1, out.output
    assert "failed: invalid_request --upscale 3: realesr-animevideov3 takes 2 or 4" in text
    assert asked == ["POST /v1/videos/enhance", f"GET /v1/videos/{VIDEO_ID}/events"]
    assert not (tmp_path / "in-enhanced.mp4").exists()
