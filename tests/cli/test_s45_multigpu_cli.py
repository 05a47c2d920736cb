"""`reelgen generate --gpus N` as a person on a machine without GPUs meets it: one line, exit 2, nothing started."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.parallel import launch

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-m", "ltx2-tiny", "--gpus", "2", "--device", "cpu"],
            "LTX-2 cannot split one run over 2 GPUs yet; runs over several GPUs support the ltx and wan "
            "families (the models `reelgen models` lists as LTX-Video or Wan). Use --gpus 1",
        ),
        (
            ["-m", "wan-tiny", "--gpus", "2", "--device", "gpu"],
            "device 'gpu' is not a device name; a run over several GPUs takes --device cuda (the default) or cpu",
        ),
    ],
)
def test_a_split_this_machine_cannot_run_is_one_line_and_starts_nothing(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*a: Any, **k: Any) -> Any:
        raise AssertionError("nothing may start")

    monkeypatch.setattr(launch.subprocess, "Popen", refuse)
    monkeypatch.setattr(launch, "gpu_count", lambda: 0)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["generate", "a ship", "-o", "ship.mp4", *args])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"error: {message}"
    assert list(tmp_path.iterdir()) == []
