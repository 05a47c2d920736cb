"""Camera motion over a keyframe: paths between two crop rectangles, named moves, checks, and three ways to use them.

    from reelgen.core.motion import Motion, KenBurnsRequest, render_ken_burns
    path = Motion(preset="zoom-in", speed=1.5).path(image.size, (1280, 720), 121, 24.0)
    render_ken_burns(KenBurnsRequest(image=..., path=path, width=1280, height=720, num_frames=121, fps=24), "out.mp4")

Model-free (``render_ken_burns``), as start and end frames for image-to-video
and keyframe models (``write_crops`` + ``frames_for``), or as AnimateDiff's
camera LoRA (``camera_motion``).
"""

from reelgen.core.motion.check import (
    LIMITS,
    AspectMismatch,
    CropOutOfBounds,
    CropTooSmall,
    Limits,
    MotionError,
    MotionTooFast,
    check_path,
)
from reelgen.core.motion.path import CameraPath, Easing, Rect, ease, step_size
from reelgen.core.motion.presets import Motion, MotionPreset, dominant_move, largest_crop, preset_path

__all__ = [
    "LIMITS",
    "AspectMismatch",
    "CameraPath",
    "CropOutOfBounds",
    "CropTooSmall",
    "Easing",
    "Limits",
    "Motion",
    "MotionError",
    "MotionPreset",
    "MotionTooFast",
    "Rect",
    "check_path",
    "dominant_move",
    "ease",
    "largest_crop",
    "preset_path",
    "step_size",
]
