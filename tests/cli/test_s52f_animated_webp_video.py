"""An animated WebP given as --video is said to be one FFmpeg cannot decode, not called a still image."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


def test_an_animated_webp_as_the_source_video_says_what_it_is(tmp_path: Path) -> None:
    # It was "--video: clip.webp is a still image (WEBP), not a video": untrue of a moving sticker.
    rng = np.random.default_rng(1)
    frames = [Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)) for _ in range(4)]
    clip = tmp_path / "clip.webp"
    frames[0].save(clip, save_all=True, append_images=frames[1:], duration=100, loop=0)
    out = tmp_path / "out.mp4"
    args = ["generate", "oil painting", "-m", "ltx-tiny", "--video", str(clip), "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert (
        f"error: --video: {clip} is an animated WebP of 4 frames, which FFmpeg cannot decode; convert it "
        "to an MP4 or an animated GIF first (both are read)"
    ) in said
    assert not out.exists()
