"""Wan VACE over several GPUs without guidance: refused saying what would share its passes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.parallel import launch


def test_vace_without_guidance_is_told_both_ways_it_can_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said "only its guidance passes can be shared: use --gpus 1" of a request with none to share."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the request should have been refused before this")

    monkeypatch.setattr(launch.weights, "locate", refuse)
    monkeypatch.setattr(launch.subprocess, "Popen", refuse)
    out = tmp_path / "clip.mp4"
    args = ["generate", "a cat", "-m", "wan-vace-tiny", "--gpus", "2", "--device", "cpu", "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "--guidance", "1"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert (
        "only its two guidance passes can be shared: use --gpus 1, or --gpus 2 with guidance above 1 "
        "(one guidance pass each)" in said
    )
    assert "Traceback" not in said and list(tmp_path.iterdir()) == []
