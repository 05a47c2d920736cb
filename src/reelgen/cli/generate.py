"""Local commands that make a video in this process: generate and animate (no server needed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from reelgen.cli import typed
from reelgen.cli.complete import image_model_names, model_names
from reelgen.cli.enhance_options import GenInterpolatorOpt, GenUpscalerOpt
from reelgen.cli.generate_checks import is_clip_here, refuse_clips_as_images, weights_without_model
from reelgen.cli.output import (
    CountOpt,
    QuietOpt,
    console,
    fail,
    output_option,
    parse_pairs,
    plan_line,
    positive_gib,
    progress_bar,
    render_takes,
    takes_ready,
)
from reelgen.cli.pipe_inputs import typed_pipes
from reelgen.cli.typed import FLAGS, as_option
from reelgen.core.errors import InvalidRequest, ReelgenError, from_validation_error
from reelgen.core.progress import Progress
from reelgen.core.spec.request import SEED_LIMIT, GenerationRequest, Task, strength_without_video
from reelgen.core.spec.rules import strength_with_extend

if TYPE_CHECKING:
    from reelgen.core.enhance.files import EnhanceResult
    from reelgen.core.render import RenderResult


def pick_model(name: str, task: Task = Task.T2V) -> str:
    """Resolve ``auto`` to a cached real model, else a built-in one (``core.auto_model``), and say which."""
    if name != "auto":
        return name
    from reelgen.core.auto_model import auto_model

    try:
        chosen, why = auto_model(task)
    except ReelgenError as exc:
        raise fail(exc) from None
    console.print(f"model: {chosen} ({why})")
    return chosen


Opt = typer.Option
# Options generate, animate and replay share, declared once (each says what it does in --help).
OutputOpt = Annotated[
    Path | None,
    output_option(
        "Output .mp4/.mov/.mkv/.webm, or .gif (looping, no sound) (default: outputs/...); "
        "replaces a file of that name, and its NAME.json, once the new one is whole."
    ),
]
WidthOpt = Annotated[int | None, Opt(help="Width in pixels (model default if unset).")]
HeightOpt = Annotated[int | None, Opt(help="Height in pixels.")]
SecondsOpt = Annotated[float | None, Opt(help="Seconds (rounded up to a frame count; refused if far off).")]
StepsOpt = Annotated[int | None, Opt(help="Denoising steps.")]
FramesOpt = Annotated[int | None, Opt(help="Frame count (the model's rule, e.g. 8k+1); --interpolate adds.")]
FpsOpt = Annotated[float | None, Opt(help="Frames per second made; --interpolate or --target-fps raise it.")]
SeedOpt = Annotated[int | None, Opt(help="Seed; random if unset (always recorded).")]
VramOpt = Annotated[
    float | None,
    Opt("--vram-budget", callback=positive_gib, help="GiB of VRAM to plan for (default: free VRAM)."),
]
DeviceOpt = Annotated[
    str | None,
    Opt(callback=typed.DEVICE, help="cpu, cuda or cuda:N (default: first GPU, else CPU)."),
]
EndImageOpt = Annotated[
    str | None, Opt("--end-image", callback=typed.IMAGE, help="End image (first+last frame).")
]


def render_shown(
    make: Callable[[Progress], RenderResult | EnhanceResult],
    quiet: bool,
    say: Callable[[ReelgenError], ReelgenError] = lambda problem: problem,
) -> None:
    """Run ``make`` (a render or a replay) under a progress bar; print the plan (not with ``quiet``), then the path.

    ``say`` rewords a problem for the command that asked (a request field as the option typed).
    """
    progress = Progress(preview_every=0)
    try:
        with progress_bar(progress.cancel, quiet) as on_event:
            progress.on_event = on_event
            result = make(progress)
    except ReelgenError as exc:
        raise fail(say(exc)) from None
    from reelgen.core.enhance.files import EnhanceResult

    meta = result.metadata
    if not quiet:  # -q: the path, and warnings as they came; the plan and seed are in NAME.json
        console.print(  # an enhanced video made again: its chain and source; else the plan
            f"[dim]{' + '.join(meta['stages'])} on {meta['source']['path']}[/]"
            if isinstance(result, EnhanceResult)
            else plan_line(result)
        )
    typer.echo(str(result.path))


def _run(
    fields: dict[str, Any],
    output: Path | None,
    vram_budget: float | None,
    device: str | None,
    quiet: bool,
    gpus: int = 1,
    flags: dict[str, str] = FLAGS,
    count: int = 1,
) -> None:
    """Resolve the request once, here at the edge, then render it ``count`` times with consecutive
    seeds from one model load; problems name the options in ``flags``.

    Rules between fields (--frames or --seconds, --upscaler without --upscale ...) are the request's
    own, so this command says them in the words ``reelgen submit`` and the API use."""
    from reelgen.core.cache import ModelCache
    from reelgen.core.render import render
    from reelgen.core.spec import resolve
    from reelgen.core.spec.resolve import check_prompt
    from reelgen.core.spec.sound import check_sound_off

    if count > 1 and gpus > 1:  # each split run starts processes that load the model afresh
        raise typer.BadParameter("--count makes its takes from one model load; give it or --gpus, not both")

    try:
        asked = GenerationRequest(**{k: v for k, v in fields.items() if v is not None})
        if asked.seed is not None and asked.seed + count > SEED_LIMIT:
            raise typer.BadParameter(
                f"--seed {asked.seed} with --count {count} runs to seed {asked.seed + count - 1}, "
                f"past the largest, {SEED_LIMIT - 1}; give --seed {SEED_LIMIT - count} or less"
            )
        check_prompt(asked)
        resolved = typed.pictures_opened(resolve(asked))
        check_sound_off(resolved.model, asked.audio)  # --no-audio on a silent model was dropped unsaid
        # Every name is checked before the model loads; without --seed the random base seed is < 2**32.
        seeds = range(resolved.seed, resolved.seed + count)
        paths = takes_ready(output, list(seeds), resolved) if count > 1 else []
    except ValidationError as exc:
        raise fail(as_option(from_validation_error(exc, model=GenerationRequest), flags)) from None
    except ReelgenError as exc:
        raise fail(typed_pipes(as_option(exc, flags))) from None
    # A piped input (avatar --audio <(...)) is named as typed, not as the copy the run read.
    say: Callable[[ReelgenError], ReelgenError] = lambda problem: typed_pipes(as_option(problem, flags))  # noqa: E731
    if count == 1:
        render_shown(
            lambda progress: render(
                resolved, output, progress=progress, vram_budget_gib=vram_budget, device=device, gpus=gpus
            ),
            quiet,
            say,
        )
        return
    cache = ModelCache()  # one for every take, so the model loads once
    render_takes(
        [(resolved.model_copy(update={"seed": seed}), path) for seed, path in zip(seeds, paths, strict=True)],
        lambda take, path, progress: render(
            take, path, progress=progress, vram_budget_gib=vram_budget, device=device, cache=cache
        ),
        quiet,
        say,
    )


def generate(
    prompt: Annotated[str, typer.Argument(help="What the video shows.")] = "",
    model: Annotated[
        str,
        Opt(
            "--model",
            "-m",
            help="Model name (see `reelgen models`); auto = a cached real model, else the built-in one.",
            autocompletion=model_names,
        ),
    ] = "auto",
    output: OutputOpt = None,
    negative: Annotated[str | None, Opt("--negative", help="Negative prompt.")] = None,
    width: WidthOpt = None,
    height: HeightOpt = None,
    frames: FramesOpt = None,
    seconds: SecondsOpt = None,
    fps: FpsOpt = None,
    steps: StepsOpt = None,
    guidance: Annotated[float | None, Opt(help="Guidance (CFG) scale.")] = None,
    guidance_2: Annotated[
        float | None, Opt("--guidance-2", help="Second guidance scale (Wan 2.2 low-noise expert).")
    ] = None,
    seed: SeedOpt = None,
    task: Annotated[
        Task | None, Opt(callback=typed.generate_task, help="Task; inferred from the inputs if unset.")
    ] = None,
    image: Annotated[
        str | None, Opt("--image", callback=typed.IMAGE, help="Start image (image-to-video).")
    ] = None,
    end_image: EndImageOpt = None,
    keyframe: Annotated[
        list[str] | None, Opt("--keyframe", help="FRAME:IMAGE[:STRENGTH], repeatable.")
    ] = None,
    video: Annotated[
        str | None, Opt("--video", callback=typed.VIDEO, help="Source video (video-to-video or extend).")
    ] = None,
    strength: Annotated[
        float | None, Opt(help="How much of the --video is repainted, 0..1 (default 0.7).")
    ] = None,
    lora: Annotated[
        list[str] | None,
        Opt("--lora", callback=typed.LORA, help="PATH[:STRENGTH], strength -5 to 5 (default 1); repeatable."),
    ] = None,
    weights: Annotated[
        str | None,
        Opt(
            callback=typed.WEIGHTS,
            help="A local diffusers folder or single-file checkpoint of the model -m names.",
        ),
    ] = None,
    no_audio: Annotated[bool, Opt("--no-audio", help="Skip generated audio (LTX-2).")] = False,
    option: Annotated[
        list[str] | None, Opt("--option", help="Model option KEY=VALUE, repeatable (each KEY once).")
    ] = None,
    interpolate: Annotated[
        int | None,
        Opt(help="Interpolate to N x the frame rate after generation, N 2 to 16 (RIFE, else optical flow)."),
    ] = None,
    target_fps: Annotated[
        str | None,
        Opt("--target-fps", help="Interpolate to this exact rate instead: 60, 59.94 or 60000/1001."),
    ] = None,
    interpolator: GenInterpolatorOpt = None,
    upscale: Annotated[
        float | None,
        Opt(
            help="Upscale by this factor, above 1 and at most 8, after generation (Real-ESRGAN, else Lanczos)."
        ),
    ] = None,
    upscaler: GenUpscalerOpt = None,
    vram_budget: VramOpt = None,
    device: DeviceOpt = None,
    gpus: Annotated[
        int,
        Opt(
            "--gpus",
            min=1,
            help="Split one run over N GPUs, one process each (Wan, LTX-Video; not LTX-2); "
            "docs/multi-gpu.md in reelgen's source, not in an installed wheel, tells how.",
        ),
    ] = 1,
    count: CountOpt = 1,
    quiet: QuietOpt = False,
) -> None:
    """Generate a video from a prompt (and optional image, keyframes, video).

    Examples:

      reelgen generate "a red fox running through snow" -m ltx-2b --frames 97

      reelgen generate "waves at dusk" -m wan-1.3b --seconds 5 --seed 42

      reelgen generate "a city at night" -m ltx-2b \\
          --keyframe 0:start.png --keyframe 96:end.png:0.8

      reelgen generate "oil painting" -m wan-tiny --video in.mp4 --strength 0.6

      reelgen generate "a fox in snow" -m wan-1.3b --interpolate 2 --upscale 2

      reelgen generate "a ship in a storm" -m wan-14b --gpus 4

      reelgen generate "a fox in snow" -m ltx-2b --seed 7 --count 4 -o fox.mp4

    The last makes fox-1.mp4 ... fox-4.mp4 with seeds 7 to 10, loading the
    model once, and prints their paths last, one a line.
    """
    if strength is not None and (video is None or task is Task.EXTEND):  # no extend runner reads it
        raise fail(as_option(strength_without_video() if video is None else strength_with_extend()))
    if weights is not None and model == "auto":
        raise fail(weights_without_model(weights))
    refuse_clips_as_images(image, end_image)
    # auto picks for the task the inputs imply (--video: v2v), as the request will infer it; for t2v
    # it picked reelgen-micro, which then could not do the v2v or keyframes run asked for.
    implied = GenerationRequest.model_construct(
        task=task, keyframes=keyframe or [], source_video=video, start_image=image
    ).inferred_task()
    fields = dict(
        model=pick_model(model, implied),
        prompt=prompt,
        task=task,
        negative_prompt=negative,
        width=width,
        height=height,
        num_frames=frames,
        seconds=seconds,
        fps=fps,
        steps=steps,
        guidance=guidance,
        guidance_2=guidance_2,
        seed=seed,
        start_image=image,
        end_image=end_image,
        source_video=video,
        source_strength=strength,
        keyframes=[typed.keyframe(k) for k in keyframe or []],
        loras=[typed.lora(x) for x in lora or []],
        weights=weights,
        audio=not no_audio,
        options=parse_pairs(option or [], "--option"),
        interpolate=interpolate,
        target_fps=None if target_fps is None else typed.target_rate(target_fps),
        interpolator=interpolator,
        upscale=upscale,
        upscaler=upscaler,
    )
    # "audio": the one field whose option turns it off; "weights": missing weights say --weights takes a path.
    flags = {**FLAGS, "audio": "--no-audio", "weights": "--weights"}
    _run(fields, output, vram_budget, device, quiet, gpus, flags, count)


def animate(
    image: Annotated[str, typer.Argument(callback=typed.IMAGE, help="The start image.")],
    prompt: Annotated[str, typer.Argument(help="What happens in the video.")] = "",
    model: Annotated[
        str,
        Opt(
            "--model",
            "-m",
            help="An image-to-video model; auto = a cached real one, else built in.",
            autocompletion=image_model_names,
        ),
    ] = "auto",
    output: OutputOpt = None,
    end_image: EndImageOpt = None,
    frames: Annotated[
        int | None, Opt("--frames", help="Frame count (must fit the model's rule, e.g. 4k+1).")
    ] = None,
    seconds: SecondsOpt = None,
    width: WidthOpt = None,
    height: HeightOpt = None,
    steps: StepsOpt = None,
    seed: SeedOpt = None,
    vram_budget: VramOpt = None,
    device: DeviceOpt = None,
    count: CountOpt = 1,
    quiet: QuietOpt = False,
) -> None:
    """Bring an image to life (image-to-video).

    Examples:

      reelgen animate photo.png "the camera slowly pushes in" -m wan-i2v-480p

      reelgen animate first.png "it blooms" --end-image last.png -m wan-flf2v
    """
    if is_clip_here(image):  # it was "not a readable image (cannot identify image file ...)", and no way on
        said = (
            "is not a readable image but a video; animate brings a still image to life; to make a video from "
            f"this one, use `reelgen generate PROMPT --video {image}`"
        )
        raise fail(InvalidRequest(f"IMAGE: {Path(image).resolve()} {said}"))
    fields: dict[str, Any] = dict(
        model=pick_model(model, Task.I2V), prompt=prompt, task=Task.I2V, start_image=image
    )
    fields |= dict(end_image=end_image, num_frames=frames, seconds=seconds, width=width, height=height)
    fields |= dict(steps=steps, seed=seed)
    _run(fields, output, vram_budget, device, quiet, flags={**FLAGS, "start_image": "IMAGE"}, count=count)


def register(app: typer.Typer) -> None:
    from reelgen.cli import catalog, replay

    app.command(epilog="Run `reelgen models` for model names.")(generate)
    app.command()(animate)
    app.command()(replay.replay)
    catalog.register(app)
