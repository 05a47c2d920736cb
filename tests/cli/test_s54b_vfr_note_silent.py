"""`reelgen enhance` of a variable-rate clip with no sound (a GIF) says why frames are placed, without a sound."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_silent_variable_rate_clip_is_not_said_to_keep_step_with_sound(tmp_path: Path) -> None:
    # It read "... placed by their timestamps at a constant 12.5 fps (14 frames), so the picture stays in
    # step with the sound", of a GIF, which holds no sound.
    frames = [Image.fromarray(np.full((32, 32, 3), 20 * i, np.uint8)) for i in range(9)]
    source = tmp_path / "uneven.gif"
    frames[0].save(source, save_all=True, append_images=frames[1:], duration=[80, 90] * 4 + [80], loop=0)
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(tmp_path / "out.mp4"), "--interpolate", "2"]
    )
    said = " ".join(result.output.split())
    assert result.exit_code == 0, said
    assert "variable frame rate: 9 frames placed by their timestamps" in said
    assert "sound" not in said
    assert "as long as in the source" in said
