"""The batch the job, API and CLI tests share: keyframes (two sharp photos, one blurred) and items that end every way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter
from skimage import data

DEFAULTS: dict[str, Any] = {
    "width": 32,
    "height": 32,
    "num_frames": 5,
    "fps": 8,
    "prompt": "a slow move over {stem}",
    "seed": 1,
}
#: Made, made, failed by the model (NaN frames), failed to plan (a crop outside the image), skipped (blurred).
ITEMS: list[dict[str, Any]] = [
    {"output": "fox", "model": "jobtest-tiny", "images": ["astronaut.png"], "motion": {"preset": "zoom-in"}},
    {"output": "pan", "model": "ken-burns", "images": ["coffee.png"], "motion": {"preset": "pan-left"}},
    {"output": "black", "model": "jobtest-tiny", "options": {"black": True}},
    {
        "output": "outside",
        "model": "ken-burns",
        "images": ["astronaut.png"],
        "motion": {
            "start": {"x": 0, "y": 0, "width": 300, "height": 300},
            "end": {"x": 300, "y": 0, "width": 300, "height": 300},
        },
    },
    {"output": "blurred", "model": "ken-burns", "images": ["blurred.png"], "motion": {"preset": "zoom-out"}},
]
#: What those items' summary counts.
COUNTS = {"total": 5, "done": 2, "failed": 2, "skipped": 1}


def make_shots(folder: Path) -> Path:
    """``folder`` with astronaut.png, coffee.png and blurred.png in it."""
    folder.mkdir(parents=True, exist_ok=True)
    Image.fromarray(data.astronaut()).save(folder / "astronaut.png")
    Image.fromarray(data.coffee()).save(folder / "coffee.png")
    Image.fromarray(data.chelsea()).filter(ImageFilter.GaussianBlur(4)).save(folder / "blurred.png")
    return folder
