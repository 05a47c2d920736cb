"""Turns a person's request into a ``ResolvedRequest``: checked against its model, every default filled in.

This runs once, at the edge (CLI, API). It reads no weights and imports no torch.
"""

from __future__ import annotations

import random
from pathlib import Path

from pydantic import ValidationError

from reelgen.core.errors import InvalidRequest, UnsupportedTask, from_validation_error
from reelgen.core.spec import pins, registry
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.input_files import absolute_inputs, weights_path
from reelgen.core.spec.numbers import validate_options
from reelgen.core.spec.request import EnhanceStep, GenerationRequest, ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

#: Inputs each task cannot do without, as (field, what it is). The field in brackets is said as each
#: front end names it: ``--image`` on the command line, ``input_reference`` over HTTP, ``start_image``
#: in a project file (``reelgen.cli.typed.as_option``, ``reelgen.api.errors.from_reelgen``).
REQUIRED_INPUTS: dict[Task, tuple[str, str]] = {
    Task.I2V: ("start_image", "a start image (start_image)"),
    Task.V2V: ("source_video", "a source video (source_video)"),
    Task.EXTEND: ("source_video", "the clip to extend (source_video)"),
    Task.KEYFRAMES: ("keyframes", "at least one keyframe (keyframes)"),
}


def _check_task(spec: FamilySpec, preset: Preset, task: Task, inferred: bool) -> None:
    if task in preset.tasks:
        return
    supported = sorted(preset.tasks, key=lambda t: t.value)
    # reelgen-micro is its own family: "reelgen-micro (reelgen-micro) cannot ..." said it twice.
    named = preset.name if preset.name == spec.label else f"{preset.name} ({spec.label})"
    # Asked for nothing but a prompt, a model that needs an input is best told which one to give.
    inputs = [REQUIRED_INPUTS[t][1] for t in supported if t in REQUIRED_INPUTS]
    if inferred and task is Task.T2V and inputs:
        raise UnsupportedTask(
            f"{named} does not make video from a prompt alone; give {' or '.join(inputs)}",
            param=REQUIRED_INPUTS[next(t for t in supported if t in REQUIRED_INPUTS)][0],
        )
    if task is Task.AVATAR or preset.tasks == {Task.AVATAR}:
        # generate has no face-and-voice options: "Families that do avatar: avatar" left nowhere to go.
        able = sorted(n for n, (_, p) in registry.presets().items() if Task.AVATAR in p.tasks and not p.tiny)
        raise UnsupportedTask(
            f"{named} cannot do {task.value}; talking avatars are made from a face and "
            f"a voice with `reelgen avatar` (POST /v1/avatars), by {', '.join(able) or 'an avatar model'}",
            param="task",
        )
    families = registry.families_supporting(task)
    listing = ", ".join(families) if families else "none installed"
    # What to type next: a model of the same family that can (-m takes models, not families).
    kin = registry.kin_supporting(task, preset)
    kin_said = f" {spec.label} models that do {task.value}: {', '.join(kin)}." if kin else ""
    # A clip given to a model that only continues clips (SkyReels-V2) was taken as v2v: say the way on.
    ways = inferred and task is Task.V2V and Task.EXTEND in supported
    extend = ". To continue the clip instead: task extend (--task extend)." if ways else ""
    raise UnsupportedTask(
        f"{named} cannot do {task.value}; it supports "
        f"{', '.join(t.value for t in supported)}.{kin_said} Families that do {task.value}: {listing}{extend}",
        param="task",
    )


def _check_reference_images(preset: Preset, request: GenerationRequest | ResolvedRequest) -> None:
    """Reference images go only to models that take them, and no more than they take."""
    count = len(request.reference_images)
    if count <= preset.reference_images:
        return
    if preset.reference_images:
        raise InvalidRequest(
            f"{preset.name} takes at most {preset.reference_images} reference images; {count} were given",
            param="reference_images",
        )
    able = sorted(name for name, (_, p) in registry.presets().items() if p.reference_images)
    listing = ", ".join(able) if able else "none installed"
    raise InvalidRequest(
        f"{preset.name} cannot take reference images; models that can: {listing}",
        param="reference_images",
    )


def _frames(spec: FamilySpec, preset: Preset, request: GenerationRequest, fps: float) -> int:
    rules = spec.rules_for(preset)
    if request.num_frames is not None:
        return request.num_frames
    if request.seconds is not None:
        return rules.frames_for_seconds(request.seconds, fps)
    return preset.num_frames


def check_prompt(request: GenerationRequest) -> None:
    """Refuse a person's text-to-video request whose prompt is empty or only spaces.

    The CLI and the API call it; ``resolve`` does not, so code (tests, benchmarks) may still render
    a model unconditioned.
    """
    task = request.inferred_task()
    if task in (Task.T2V, Task.AUDIO) and not request.prompt.strip():
        raise InvalidRequest(
            f"the prompt is empty; {task.value} makes the video from it, so say what to show", param="prompt"
        )


def resolve(request: GenerationRequest) -> ResolvedRequest:
    """Check ``request`` against its model and fill every unset field from the preset.

    Raises ``ModelNotAvailable`` for an unknown model, ``UnsupportedTask`` for a
    task the model cannot do, and ``InvalidRequest`` naming the field otherwise.
    """
    # 1. The model, its task and the inputs that task needs.
    task = request.inferred_task()  # first: an unknown model is offered the models that do this task
    spec, preset = registry.resolve(request.model, task)
    _check_task(spec, preset, task, inferred=request.task is None)
    if task is Task.AVATAR:
        # An avatar speaks its text first; its length is its voice's and its size its face source's.
        from reelgen.core.speech.prepare import avatar_request

        request = avatar_request(request, preset.fps, spec.rules_for(preset))
    _check_inputs(spec, preset, task, request)

    # 2. Size and length, by the model's rules.
    rules = spec.rules_for(preset)
    width, height = request.width or preset.width, request.height or preset.height
    fps = request.fps or preset.fps
    frames = _frames(spec, preset, request, fps)
    _check_length(rules, width, height, frames, request)

    # 3. The family's options, complete with its defaults.
    try:
        options = validate_options(spec.options, {**preset.options, **request.options})
    except ValidationError as exc:
        valid = f"{spec.label} options: {', '.join(spec.options.model_fields) or 'none'}"
        raise from_validation_error(
            exc, prefix="options.", options_of=valid, model=spec.options, lists=True
        ) from None

    # 4. The enhancement chain (interpolate/upscale fields first, then explicit steps), each stage checked.
    from reelgen.core.enhance.registry import resolve_chain

    chain = resolve_chain(_enhance_steps(request), width, height, frames, fps)

    # 5. Everything together; the family checks what only it knows.
    resolved = ResolvedRequest(
        model=preset.name,
        task=task,
        prompt=request.prompt,
        negative_prompt=request.negative_prompt or "",
        width=width,
        height=height,
        num_frames=frames,
        fps=fps,
        steps=request.steps or preset.steps,
        guidance=preset.guidance if request.guidance is None else request.guidance,
        guidance_2=_guidance_2(request, preset),
        seed=random.SystemRandom().randrange(2**32) if request.seed is None else request.seed,
        source_strength=request.source_strength,
        weights=weights_path(request.weights) if request.weights else None,
        audio=request.audio,
        speech_text=request.speech_text or "",
        voice=request.voice or "",
        options=options,
        enhance=chain,
        **absolute_inputs(request),  # type: ignore[arg-type]
    )
    if spec.check is not None:
        spec.check(preset, resolved)
    _check_pins(preset, resolved)
    return resolved


def check_resolved(request: ResolvedRequest) -> None:
    """Check a request resolved elsewhere (a record's, perhaps edited by hand) as ``resolve`` checks a
    new one, before any work: its task and the inputs it needs, size, length, the family's rules."""
    spec, preset = registry.resolve(request.model, request.task)
    _check_task(spec, preset, request.task, inferred=False)
    _check_inputs(spec, preset, request.task, request)
    _check_length(spec.rules_for(preset), request.width, request.height, request.num_frames, request)
    if spec.check is not None:
        spec.check(preset, request)
    _check_pins(preset, request)


#: Tasks that read a source video: restyled (v2v), continued (extend), or an avatar's face clip.
READS_SOURCE_VIDEO = frozenset({Task.V2V, Task.EXTEND, Task.AVATAR})


def _check_inputs(
    spec: FamilySpec, preset: Preset, task: Task, request: GenerationRequest | ResolvedRequest
) -> None:
    """The inputs ``task`` cannot do without, and those the model cannot take."""
    needed = REQUIRED_INPUTS.get(task)
    if needed and not getattr(request, needed[0]):
        raise InvalidRequest(f"task {task.value} needs {needed[1]}", param=needed[0])
    kind, count = _picture(request.source_video) if task in (Task.V2V, Task.EXTEND) else (None, 0)
    if kind and count == 1:  # read as a video of one frame, it was "lasts 0.04 s (1 frames at 25 fps)"
        raise InvalidRequest(
            f"source_video: {request.source_video} is a still image ({kind}); task {task.value} works from "
            "a video's frames. To start a video from it, give it as the start image (start_image)",
            param="source_video",
        )
    if kind == "WEBP":  # FFmpeg reads a GIF's and an APNG's frames, not these: it said "a still image"
        raise InvalidRequest(
            f"source_video: {request.source_video} is an animated WebP of {count} frames, which FFmpeg cannot "
            "decode; convert it to an MP4 or an animated GIF first (both are read)",
            param="source_video",
        )
    if request.source_video and task not in READS_SOURCE_VIDEO:
        # Keyframes win the task over a video, so --video beside --keyframe was dropped unsaid.
        raise InvalidRequest(
            f"source_video is read only by tasks v2v and extend; task {task.value} would ignore it. "
            "Drop it, or ask for task v2v or extend",
            param="source_video",
        )
    pins.check_tasks(task, request, preset)
    _check_reference_images(preset, request)
    if request.loras and not spec.supports_lora:
        # "does not take LoRAs" alone left a person to try every other family in turn.
        takers = [f.label for f in registry.families().values() if f.supports_lora and task in f.tasks]
        raise InvalidRequest(
            f"{spec.label} does not take LoRAs; leave them out (loras), or use a model of a family that "
            f"does for task {task.value}: {', '.join(sorted(takers, key=str.casefold)) or 'none here'}",
            param="loras",
        )
    if task is Task.AUDIO and not request.audio:
        raise InvalidRequest(
            "task audio makes a video with generated sound, so sound cannot be turned off "
            "(audio); leave it on, or ask for task t2v",
            param="audio",
        )


def _picture(value: str | None) -> tuple[str | None, int]:
    """The image format of ``value`` and its frame count when Pillow reads it as a picture, else (None, 0)."""
    from PIL import Image, UnidentifiedImageError

    if not value or not Path(value).expanduser().is_file():
        return None, 0
    try:
        with Image.open(Path(value).expanduser()) as image:
            return str(image.format), int(getattr(image, "n_frames", 1))
    except (UnidentifiedImageError, OSError, ValueError):
        return None, 0


def _check_length(
    rules: SizeRules, width: int, height: int, frames: int, request: GenerationRequest | ResolvedRequest
) -> None:
    rules.check_size(width, height)
    rules.check_frames(frames)
    pins.check_frames(frames, request)


def _check_pins(preset: Preset, request: ResolvedRequest) -> None:
    """An end image, keyframes or a second guidance go only to a model that uses them; others would
    drop them unsaid.

    Runs after the family's own check, whose messages say more where it has them.
    """
    if request.end_image and not preset.end_image:
        able = sorted(name for name, (_, p) in registry.presets().items() if p.end_image)
        raise InvalidRequest(
            f"{preset.name} cannot pin a last frame, so it takes no end_image; models that can: "
            f"{', '.join(able) or 'none installed'}",
            param="end_image",
        )
    if preset.guidance_2 is None and request.guidance_2 != request.guidance:
        able = sorted(name for name, (_, p) in registry.presets().items() if p.guidance_2 is not None)
        raise InvalidRequest(
            f"guidance_2 guides the low-noise expert of a two-expert model; {preset.name} has one, so it "
            f"would be ignored. Leave it unset, or use {', '.join(able) or 'a two-expert model'}",
            param="guidance_2",
        )
    if request.keyframes and Task.KEYFRAMES not in preset.tasks:
        families = registry.families_supporting(Task.KEYFRAMES)
        kin = registry.kin_supporting(Task.KEYFRAMES, preset)
        kin_said = f" models of its family that can: {', '.join(kin)};" if kin else ""
        raise InvalidRequest(
            f"{preset.name} cannot pin keyframes;{kin_said} families that can: {', '.join(families) or 'none installed'}",
            param="keyframes",
        )


def _guidance_2(request: GenerationRequest, preset: Preset) -> float:
    """The low-noise expert's guidance: asked, else the preset's, else the same as ``guidance``."""
    if request.guidance_2 is not None:
        return request.guidance_2
    if preset.guidance_2 is not None:
        return preset.guidance_2
    return preset.guidance if request.guidance is None else request.guidance


def _enhance_steps(request: GenerationRequest) -> list[EnhanceStep]:
    """The ``interpolate``/``target_fps``/``upscale`` fields as chain steps (methods chosen), then ``enhance``."""
    from reelgen.core.enhance.auto import interpolation_step, upscale_step

    steps = []
    if request.interpolate is not None or request.target_fps is not None:
        steps.append(interpolation_step(request.interpolate, request.target_fps, request.interpolator))
    elif request.interpolator is not None:
        raise InvalidRequest(
            "interpolator: picks how new frames are made; give a factor (interpolate) or a rate (target_fps) too",
            param="interpolator",
        )
    if request.upscale is not None:
        steps.append(upscale_step(request.upscale, request.upscaler))
    elif request.upscaler is not None:
        raise InvalidRequest(
            "upscaler: picks how frames are enlarged; give a factor (upscale) too", param="upscaler"
        )
    return [*steps, *request.enhance]
