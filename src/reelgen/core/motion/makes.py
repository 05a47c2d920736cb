"""What a model makes, said where it is asked for something else: a talking-avatar model is no video model."""

from __future__ import annotations

from reelgen.core.spec.family import Preset
from reelgen.core.spec.request import Task

#: The tasks that make a video from a prompt (and pictures); a batch item or a shoot-out trial asks one.
VIDEO_TASKS = frozenset({Task.T2V, Task.I2V, Task.KEYFRAMES})


def makes_video(preset: Preset) -> bool:
    """Whether ``preset`` makes video from a prompt (text, a start image or keyframes)."""
    return bool(VIDEO_TASKS & preset.tasks)


def what_it_makes(preset: Preset) -> str:
    """``<name> makes ...``, for a refusal of what it cannot do.

    One rule for the batch, the shoot-out and the camera path's conditioning: a
    talking-avatar model without an image task was said to "make video from text only".
    """
    if not makes_video(preset):
        if Task.AVATAR in preset.tasks:
            return (
                f"{preset.name} makes talking avatars from a face and a voice (`reelgen avatar`, "
                "POST /v1/avatars)"
            )
        made = ", ".join(sorted(t.value for t in preset.tasks))
        return f"{preset.name} makes {made} videos only"
    pictures = bool({Task.I2V, Task.KEYFRAMES} & preset.tasks)
    if Task.T2V not in preset.tasks:
        return f"{preset.name} makes video from an image"
    return (
        f"{preset.name} makes video from text or images"
        if pictures
        else f"{preset.name} makes video from text only"
    )
