"""Turns a user's request into a fully resolved one, checked against the model's rules."""

from __future__ import annotations

import random
from pathlib import Path

from pydantic import ValidationError

from reelgen.core.backends import registry
from reelgen.core.backends.base import Backend, Preset
from reelgen.core.errors import InvalidRequest, UnsupportedTask
from reelgen.core.types import GenerationRequest, Task

#: Inputs each task cannot do without, as (field, what it is).
REQUIRED_INPUTS: dict[Task, tuple[str, str]] = {
    Task.I2V: ("start_image", "a start image (--image)"),
    Task.V2V: ("source_video", "a source video (--video)"),
    Task.EXTEND: ("source_video", "the clip to extend (--video)"),
    Task.KEYFRAMES: ("keyframes", "at least one keyframe (--keyframe FRAME:IMAGE[:STRENGTH])"),
}


def _check_task(backend: type[Backend], preset: Preset, task: Task) -> None:
    if task in preset.tasks:
        return
    others = [p for p in registry.presets().values() if task in p[1].tasks]
    families = sorted({cls.info.family for cls, _ in others})
    listing = ", ".join(families) if families else "none installed"
    raise UnsupportedTask(
        f"{preset.name} ({backend.info.label}) cannot do {task.value}; it supports "
        f"{', '.join(sorted(t.value for t in preset.tasks))}. Families that do {task.value}: {listing}",
        param="task",
    )


def _check_files(request: GenerationRequest) -> None:
    paths: list[tuple[str, str]] = []
    for name in ("start_image", "end_image", "source_video"):
        value = getattr(request, name)
        if value:
            paths.append((name, value))
    paths += [(f"keyframes[{i}].image", k.image) for i, k in enumerate(request.keyframes)]
    for param, value in paths:
        if not Path(value).expanduser().is_file():
            raise InvalidRequest(f"{param}: file {value} does not exist", param=param)
    for i, lora in enumerate(request.loras):
        if not Path(lora.path).expanduser().is_file():
            raise InvalidRequest(
                f"loras[{i}].path: LoRA file {lora.path} does not exist; give a .safetensors file",
                param=f"loras[{i}].path",
            )


def resolve_request(request: GenerationRequest) -> tuple[type[Backend], Preset, GenerationRequest]:
    """Check ``request`` against its model and fill every unset field from the preset.

    The returned request has task, size, frames, fps, steps, guidance and
    seed set, so it alone reproduces the run.
    """
    backend, preset = registry.resolve(request.model)
    info = backend.info
    rules = info.rules_for(preset)
    task = request.inferred_task()
    _check_task(backend, preset, task)
    needed = REQUIRED_INPUTS.get(task)
    if needed and not getattr(request, needed[0]):
        raise InvalidRequest(f"{task.value} needs {needed[1]}", param=needed[0])
    if request.loras and not info.supports_lora:
        raise InvalidRequest(f"{info.label} does not take LoRAs", param="loras")
    _check_files(request)

    width = request.width or preset.width
    height = request.height or preset.height
    fps = request.fps or preset.fps
    if request.num_frames is not None:
        frames = request.num_frames
    elif request.seconds is not None:
        frames = rules.snap_frames(max(1, round(request.seconds * fps)))
    else:
        frames = preset.num_frames
    rules.check_size(width, height)
    rules.check_frames(frames)
    for i, key in enumerate(request.keyframes):
        if key.frame >= frames:
            raise InvalidRequest(
                f"keyframes[{i}].frame {key.frame} is past the last frame ({frames - 1})",
                param=f"keyframes[{i}].frame",
            )
    try:
        options = info.options.model_validate({**preset.options, **request.options})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        valid = ", ".join(info.options.model_fields) or "none"
        raise InvalidRequest(
            f"options.{where}: {first['msg']} ({info.label} options: {valid})", param=f"options.{where}"
        ) from None

    resolved = request.model_copy(
        update=dict(
            task=task,
            width=width,
            height=height,
            num_frames=frames,
            seconds=None,
            fps=fps,
            steps=request.steps or preset.steps,
            guidance=preset.guidance if request.guidance is None else request.guidance,
            guidance_2=request.guidance_2 if request.guidance_2 is not None else preset.guidance_2,
            seed=random.SystemRandom().randrange(2**32) if request.seed is None else request.seed,
            negative_prompt=request.negative_prompt or "",
            options=options.model_dump(),
        )
    )
    backend(preset).validate_inputs(resolved)
    return backend, preset, resolved
