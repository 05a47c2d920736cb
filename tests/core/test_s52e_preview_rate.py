"""The report's animated preview plays a clip in its own time.

GIF counts frame times in hundredths of a second, and every frame got 1000 / fps rounded to that: a
30 fps clip's frames got 30 ms each, so its preview ran 10 % fast (a 1 s clip played in 0.9 s).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from reelgen.core.shootout.media import animated_preview


@pytest.mark.parametrize(("fps", "frames"), [(30.0, 30), (24.0, 48), (8.0, 16), (25.0, 25)])
def test_the_preview_lasts_as_long_as_the_clip(fps: float, frames: int) -> None:
    clip = np.zeros((frames, 16, 16, 3), np.uint8)
    clip[:, :, :, 0] = np.arange(frames, dtype=np.uint8)[:, None, None] * 5  # no two frames alike
    with Image.open(io.BytesIO(animated_preview(clip, fps))) as gif:
        shown = []
        for index in range(gif.n_frames):
            gif.seek(index)
            shown.append(gif.info["duration"])
    assert len(shown) == frames
    assert abs(sum(shown) - 1000 * frames / fps) <= 10  # within one GIF tick of the clip's length
    assert min(shown) >= 20  # browsers slow frames under 20 ms to a tenth of a second
