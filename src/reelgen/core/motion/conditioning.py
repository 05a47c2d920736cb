"""How a camera path reaches a model: start and end frames cut along it, keyframes, or AnimateDiff's camera LoRA.

``condition`` decides from what the model can do: a keyframe model gets the
two crops pinned at the first and last frame, an image-to-video model gets
them as start and end image (start only where it cannot pin a last frame, said
in the note), and AnimateDiff gets the nearest of its camera-move LoRAs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from reelgen.core.backends.animatediff.presets import CAMERA_MOTIONS, AnimateDiffOptions
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import load_image
from reelgen.core.motion.kenburns import crop
from reelgen.core.motion.makes import makes_video, what_it_makes
from reelgen.core.motion.path import CameraPath
from reelgen.core.motion.presets import Motion, MotionPreset, dominant_move
from reelgen.core.spec import registry
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.request import GenerationRequest, Keyframe, ResolvedRequest, Task
from reelgen.core.spec.resolve import resolve

#: Named moves without a LoRA of their own, as the nearest one AnimateDiff has.
NEAREST_LORA = {
    MotionPreset.DOLLY_IN: "zoom-in",
    MotionPreset.DOLLY_OUT: "zoom-out",
    MotionPreset.ARC_LEFT: "pan-left",
    MotionPreset.ARC_RIGHT: "pan-right",
}


@dataclass(frozen=True)
class Conditioning:
    """Request fields that make a model follow the path, how (``start_end_frames`` ...) and a note for people."""

    how: str
    fields: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    #: Whether a model that cannot pin the end image may take the start alone: a path's end crop, yes;
    #: a person's own last image, no (dropped, the clip would not end where they asked, unsaid).
    start_alone: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"how": self.how, "note": self.note}


def takes_camera_motion(spec: FamilySpec) -> bool:
    """Whether the family moves its camera by an option (AnimateDiff's motion LoRAs) rather than by frames."""
    return spec.options is AnimateDiffOptions


def write_crops(
    image: str | Path, path: CameraPath, size: tuple[int, int], folder: Path, stem: str
) -> tuple[Path, Path]:
    """The start and end crops as PNG files ``<stem>.start.png`` / ``<stem>.end.png`` in ``folder``."""
    picture = load_image(image, "images[0]")
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for which, rect in (("start", path.start), ("end", path.end)):
        target = folder / f"{stem}.{which}.png"
        Image.fromarray(crop(picture, rect, *size)).save(target, format="PNG")
        out.append(target.resolve())
    return out[0], out[1]


def camera_motion(motion: Motion) -> Conditioning:
    """AnimateDiff's option for ``motion``: the LoRA of the same name, or the nearest, at strength ``speed``.

    A custom path gets the LoRA of its strongest component (zoom, pan or tilt);
    one whose start and end crops are the same gets none: the camera stays still.
    """
    if motion.preset is not None:
        name = NEAREST_LORA.get(motion.preset, motion.preset.value)
        exact = motion.preset not in NEAREST_LORA
        source = f"preset {motion.preset.value}"
    else:
        assert motion.start is not None and motion.end is not None  # Motion's validator saw to it
        name, amount = dominant_move(CameraPath(start=motion.start, end=motion.end))
        if amount == 0:  # a still path was given the zoom-out LoRA (the first of three moves of nothing)
            return Conditioning(
                "none", {}, "no camera LoRA: the custom path's start and end are the same crop"
            )
        exact, source = False, "the custom path's strongest move"
    assert name in CAMERA_MOTIONS
    strength = min(2.0, motion.speed)
    note = f"camera LoRA {name} at strength {strength:g} for {source}"
    if not exact:
        note += " (the nearest move AnimateDiff has a LoRA for)"
    return Conditioning(
        "camera_motion",
        {"options": {"camera_motion": name, "camera_motion_strength": strength}},
        note,
    )


def frames_for(
    preset: Preset, start: Path, end: Path, num_frames: int, *, crops: bool = True
) -> Conditioning:
    """The start and end pictures as keyframes (first and last frame) or as start and end image, as the model
    takes them: a camera path's crops, or (``crops=False``) an item's own two images."""
    what = "crops" if crops else "images"
    if Task.KEYFRAMES in preset.tasks:
        if num_frames < 2:  # both crops at frame 0 was refused as "keyframes[1] pinned already", unasked for
            raise InvalidRequest(
                f"num_frames {num_frames}: the start and end pictures (a camera path's crops, or two images) "
                f"are pinned at the first and the last frame, so there must be at least 2; give more (e.g. "
                f"{preset.num_frames}, {preset.name}'s default)",
                param="num_frames",
            )
        keys = [Keyframe(image=str(start), frame=0), Keyframe(image=str(end), frame=num_frames - 1)]
        return Conditioning(
            "keyframes", {"task": Task.KEYFRAMES, "keyframes": keys}, f"{what} pinned as keyframes"
        )
    if Task.I2V in preset.tasks:
        return Conditioning(
            "start_end_frames",
            {"task": Task.I2V, "start_image": str(start), "end_image": str(end)},
            f"{what} given as first and last frame",
            start_alone=crops,
        )
    able = ", ".join(_image_models()) or "none installed"
    if not crops:  # two images and no path: "cannot follow a camera path" named a path nobody gave
        raise InvalidRequest(
            f"{_cannot(preset, 'start or end on an image')}; {_drop(preset)}use one of {able}",
            param="model",
        )
    if not makes_video(preset):  # "it takes no start frame or keyframes" left out what it does make
        raise InvalidRequest(
            f"{_cannot(preset, 'follow a camera path')}; use ken-burns, an AnimateDiff model, or one of "
            f"{able}",
            param="model",
        )
    raise InvalidRequest(
        f"{preset.name} cannot follow a camera path: it takes no start frame or keyframes; use ken-burns, "
        f"an AnimateDiff model, or one of {able}",
        param="model",
    )


def start_for(preset: Preset, image: Path) -> Conditioning:
    """A lone keyframe image as the first frame: a start image, or a keyframe at frame 0."""
    if Task.I2V in preset.tasks:
        return Conditioning(
            "start_frame", {"task": Task.I2V, "start_image": str(image)}, "image as first frame"
        )
    if Task.KEYFRAMES in preset.tasks:
        keys = [Keyframe(image=str(image), frame=0)]
        return Conditioning(
            "keyframes", {"task": Task.KEYFRAMES, "keyframes": keys}, "image pinned at frame 0"
        )
    able = ", ".join(_image_models()) or "none installed"
    raise InvalidRequest(
        f"{_cannot(preset, 'start from an image')}; {_drop(preset)}use ken-burns or one of {able}",
        param="model",
    )


def _image_models() -> list[str]:
    """The models that start from an image or pin keyframes, by name."""
    return sorted(n for n, (_, p) in registry.presets().items() if {Task.I2V, Task.KEYFRAMES} & p.tasks)


def _cannot(preset: Preset, what: str) -> str:
    """What ``preset`` makes, and that it cannot do ``what``."""
    return f"{what_it_makes(preset)}{'' if makes_video(preset) else ','} and cannot {what}"


def _drop(preset: Preset) -> str:
    """ "drop the images, or " for a video model, which makes a clip without them; an avatar model makes
    none without a face and a voice, so dropping them was no way out."""
    return "drop the images, or " if makes_video(preset) else ""


def _second_image(model: str, said: str) -> str:
    """Why an item's second image cannot be its clip's last frame, in the item's own words: the model's
    message named end_image, a field no manifest has, and gave its advice beside this one's."""
    if "cannot pin a last frame" not in said:
        return f"images[1] (the clip's last frame): {said.removeprefix('end_image: ')}"
    name = registry.resolve(model)[1].name
    able = sorted(n for n, (_, p) in registry.presets().items() if p.end_image)
    return (
        f"images[1] would be the clip's last frame, and {name} cannot pin one; give one image, or use a "
        f"model that can: {', '.join(able)}"
    )


def resolve_conditioned(
    fields: dict[str, Any], conditioning: Conditioning
) -> tuple[ResolvedRequest, Conditioning]:
    """Resolve ``fields`` with the conditioning; a model that cannot pin a last frame gets a path's start crop
    alone, and is refused a person's own last image (``Conditioning.start_alone``).

    The fall-back is said in the returned conditioning's note, so the record
    shows the end crop was not used.
    """
    merged = {**fields, **conditioning.fields}
    if "options" in conditioning.fields:
        merged["options"] = {**fields.get("options", {}), **conditioning.fields["options"]}
    try:
        return resolve(GenerationRequest.model_validate(merged)), conditioning
    except InvalidRequest as exc:
        if exc.param != "end_image":
            raise
        if not conditioning.start_alone:  # an item's own second image: its field is images, not end_image
            raise InvalidRequest(_second_image(fields["model"], exc.message), param="images") from None
        merged.pop("end_image")
        note = f"start crop only: {exc.message}"
        kept = {k: v for k, v in conditioning.fields.items() if k != "end_image"}
        return resolve(GenerationRequest.model_validate(merged)), Conditioning("start_frame", kept, note)
