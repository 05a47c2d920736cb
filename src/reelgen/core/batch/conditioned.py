"""How a batch item's images and camera path reach its model, and the request they make, crops and all."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.motion.conditioning import (
    Conditioning,
    camera_motion,
    frames_for,
    resolve_conditioned,
    start_for,
    takes_camera_motion,
    write_crops,
)
from reelgen.core.motion.makes import makes_video, what_it_makes
from reelgen.core.motion.path import CameraPath
from reelgen.core.motion.presets import Motion
from reelgen.core.spec import registry
from reelgen.core.spec.request import ResolvedRequest, Task

#: What a batch says of a model that makes no video from a prompt or keyframes (a talking-avatar one).
AVATAR_MODEL = "{made}, which a batch does not give; use a text- or image-to-video model, or ken-burns"


def conditioned_request(
    fields: dict[str, Any],
    model: str,
    motion: Motion | None,
    path: CameraPath | None,
    images: tuple[str, ...],
    shape: tuple[int, int, int, float],
    folder: Path,
    stem: str,
    where: str,
) -> tuple[ResolvedRequest, Conditioning]:
    """The item's request, conditioned on its images or its path's crops (written to ``folder``).

    A request refused once the crops were cut (a height the model does not take) takes them back:
    they stayed in motion-frames/ beside a summary calling the item failed.
    """
    conditioning = conditioning_for(model, motion, path, images, shape, folder, stem, where)
    try:
        return resolve_conditioned(fields, conditioning)
    except ReelgenError:
        if path is not None:  # the crops were written: a path with no picture is refused before
            for which in ("start", "end"):
                (folder / f"{stem}.{which}.png").unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # kept while other items' crops are in it
                folder.rmdir()
        raise


def conditioning_for(
    model: str,
    motion: Motion | None,
    path: CameraPath | None,
    images: tuple[str, ...],
    shape: tuple[int, int, int, float],
    folder: Path,
    stem: str,
    where: str,
) -> Conditioning:
    """How the item's images and motion reach ``model``."""
    spec, preset = registry.resolve(model)
    if not makes_video(preset):
        # Given a keyframe it was said to "make video from text only", with every image model listed.
        raise InvalidRequest(AVATAR_MODEL.format(made=what_it_makes(preset)), param=f"{where}.model")
    if motion is not None and takes_camera_motion(spec):
        if images:
            raise InvalidRequest(
                f"{preset.name} starts from text and cannot take a keyframe image; drop images, or use "
                "ken-burns or an image-to-video model for a camera path over it",
                param=f"{where}.images",
            )
        return camera_motion(motion)
    if motion is not None and path is None:
        raise InvalidRequest(
            f"a camera path moves over a keyframe image, and this item gives none for {preset.name}; add "
            'images, give the item "motion": null for a still camera (a motion in defaults reaches every '
            "item), or use an AnimateDiff model (its camera LoRAs need no image)",
            param=f"{where}.images",
        )
    if path is not None:
        # Asked before the crops are written: a model that takes no picture left them in motion-frames/.
        frames_for(preset, Path(images[0]), Path(images[0]), shape[2])
        start, end = write_crops(images[0], path, shape[:2], folder, stem)
        return frames_for(preset, start, end, shape[2])
    if len(images) == 2:  # the person's own last image: refused where the model cannot pin it, not dropped
        return frames_for(preset, Path(images[0]), Path(images[1]), shape[2], crops=False)
    if images:
        return start_for(preset, Path(images[0]))
    if Task.T2V not in preset.tasks and Task.I2V in preset.tasks:
        # Else the request's own words came back: "give a start image (start_image)", a field no manifest has.
        raise InvalidRequest(
            f"{preset.name} makes video from an image, and this item gives none; add images (the first "
            "frame), or use a text-to-video model",
            param=f"{where}.images",
        )
    return Conditioning("text")
