"""What the replay tests read: a command's output as one line, and a video's decoded frames."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
