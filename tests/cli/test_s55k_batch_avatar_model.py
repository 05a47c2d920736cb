"""``reelgen batch`` of a manifest whose model is a talking-avatar one (reelgen-lipsync) is refused before any
work, saying what that model makes: its item was planned and failed at run time with "width 32 is outside
64..4096 (talking avatars)", exit 1, and a summary file written."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def test_batch_refuses_an_avatar_model_before_any_work(tmp_path: Path) -> None:
    manifest = tmp_path / "m.json"
    manifest.write_text(
        json.dumps(
            {
                "defaults": {"model": "reelgen-lipsync", "width": 32, "height": 32, "num_frames": 5},
                "items": [{"output": "a", "prompt": "a fox"}],
            }
        )
    )
    result = CliRunner().invoke(app, ["batch", str(manifest), "-q"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said == (
        f"error: manifest {manifest}: defaults.model: reelgen-lipsync makes talking avatars from a face and a "
        "voice (`reelgen avatar`, POST /v1/avatars), which a batch does not give; use a text- or image-to-video "
        "model, or ken-burns"
    ), said
    assert not (tmp_path / "outputs").exists()
