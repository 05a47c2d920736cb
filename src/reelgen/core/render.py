"""render(request): locate -> plan -> load -> generate -> enhance -> check -> encode -> record, in numbered steps."""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelgen import __version__
from reelgen.core import quality, weights
from reelgen.core.atomic import check_writable
from reelgen.core.backends.base import Runner
from reelgen.core.backends.source_clip import check_long_enough
from reelgen.core.cache import ModelCache
from reelgen.core.devices import device_info, empty_cache, peak_gib, reset_peak
from reelgen.core.encode import CONTAINERS, check_record_free, write_clip, wrong_container
from reelgen.core.enhance import run_chain
from reelgen.core.enhance.base import Shape
from reelgen.core.enhance.registry import chain_shape
from reelgen.core.errors import GenerationFailed, InvalidRequest, OutOfMemory
from reelgen.core.gif import is_gif, left_out, shown, timing_note
from reelgen.core.output_notes import before_writing
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.record import RECORD_FORMAT, input_records, library_versions
from reelgen.core.spec import registry
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import MemoryPlan, next_rung
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.types import Video, to_fraction

#: Containers ``render`` writes: those ``encode`` writes.
SUFFIXES = tuple(CONTAINERS)


@dataclass(frozen=True)
class RenderResult:
    """What a render produced: the video file, its sidecar, the record in both, and the frames."""

    path: Path
    sidecar: Path
    metadata: dict[str, Any]
    video: Video


@dataclass
class _Attempts:
    """The placements tried for one run, in order, with how each ended."""

    tried: list[dict[str, Any]] = field(default_factory=list)

    def failed(self, plan: MemoryPlan, exc: BaseException) -> None:
        self.tried.append({"plan": plan.as_dict(), "outcome": "out_of_memory", "error": str(exc)[:300]})

    def ok(self, plan: MemoryPlan) -> None:
        self.tried.append({"plan": plan.as_dict(), "outcome": "ok"})


def check_output(out_path: Path) -> None:
    """Refuse, before any work, an output that is no video file name, cannot be written, or whose record
    would replace a file it must not (``check_record_free``)."""
    check_writable(out_path)
    if out_path.suffix.lower() not in SUFFIXES:
        raise wrong_container(out_path)
    check_record_free(out_path)


def check_not_an_input(out_path: Path, request: ResolvedRequest) -> None:
    """Refuse an output that is one of the request's own input files (``--video clip.mp4 -o clip.mp4``):
    renamed over it, the source was gone, and the video's record named a file that no longer held it."""
    target = out_path.resolve()
    for param, path in request.input_files():
        if Path(path).resolve() == target:
            raise InvalidRequest(
                # The field in brackets, so a command says the option typed: "(--audio)", not "speech_audio".
                f"output {out_path} is one of the request's inputs ({param}); give another file name",
                param="output",
            )


def default_output(model: str, seed: int, folder: str | Path = "outputs", suffix: str = ".mp4") -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(folder) / f"{stamp}-{model}-{seed}{suffix}"


def _out_of_memory(preset: Preset, tried: list[MemoryPlan]) -> OutOfMemory:
    rungs = " then ".join(dict.fromkeys(p.strategy for p in tried))
    return OutOfMemory(
        f"{preset.name} ran out of GPU memory with {rungs}; try a smaller size or fewer frames, "
        "or a lower --vram-budget"
    )


def _load_and_generate(
    cache: ModelCache,
    spec: FamilySpec,
    preset: Preset,
    source: weights.WeightSource,
    plan: MemoryPlan,
    request: ResolvedRequest,
    progress: Progress,
    timings: dict[str, float],
) -> tuple[Runner, Video, MemoryPlan, _Attempts]:
    """Load and run; a CUDA out-of-memory error (loading or generating) steps one rung down, once."""
    attempts, plans = _Attempts(), [plan]
    while True:
        try:
            started = time.monotonic()
            runner, cached = cache.acquire(spec, preset, source, plan)
            timings["load"] = timings.get("load", 0.0) + (0.0 if cached else time.monotonic() - started)
            started = time.monotonic()
            video = runner.generate(request, progress)
            timings["generate"] = timings.get("generate", 0.0) + time.monotonic() - started
        except Exception as exc:
            torch = sys.modules.get("torch")  # a runner that never imported torch raised no CUDA OOM
            if torch is None or not isinstance(exc, torch.OutOfMemoryError):
                raise
            attempts.failed(plan, exc)
            cache.drop(preset)
            empty_cache()
            lower = next_rung(plan, preset.parts_gib)
            if lower is None or len(plans) > 1:
                raise _out_of_memory(preset, plans) from exc
            message = f"CUDA out of memory with {plan.strategy}; retrying with {lower.strategy}"
            progress.emit(ProgressEvent("plan", 0, 0, 0.0, message=message))
            plan = lower
            plans.append(plan)
            continue
        attempts.ok(plan)
        return runner, video, plan, attempts


def _check_generated(video: Video, request: ResolvedRequest) -> None:
    if video.num_frames != request.num_frames or (video.width, video.height) != (
        request.width,
        request.height,
    ):
        raise GenerationFailed(
            f"{request.model} returned {video.num_frames} frames of {video.width}x{video.height}; "
            f"asked for {request.num_frames} of {request.width}x{request.height}"
        )


def _output_notes(out_path: Path, request: ResolvedRequest) -> list[str]:
    """``output_notes.before_writing`` for the clip ``request`` makes, as its enhance chain delivers it."""
    made = Shape(request.width, request.height, request.num_frames, to_fraction(request.fps))
    final = chain_shape(request.enhance, made)
    smaller = "give a smaller size (width, height or upscale) or fewer frames"
    return before_writing(out_path, final.frames, (final.width, final.height), final.fps, smaller)


def _gif_notes(out_path: Path, video: Video, progress: Progress) -> str | None:
    """Say what a GIF cannot hold of ``video`` (its sound) or time as players will; return the former."""
    if not is_gif(out_path):
        return None
    lost = left_out(out_path, sound=video.audio is not None)
    for note in (lost, timing_note(video.fps)):
        if note:
            progress.emit(ProgressEvent("encode", 0, 0, 0.0, message=f"warning: {note}"))
    return lost


def render(
    request: ResolvedRequest,
    output: str | Path | None = None,
    *,
    progress: Progress | None = None,
    vram_budget_gib: float | None = None,
    device: str | None = None,
    cache: ModelCache | None = None,
    gpus: int = 1,
) -> RenderResult:
    """Make the video ``request`` describes and write it (plus a JSON sidecar) to ``output``.

    ``request`` was resolved at the edge (``reelgen.core.spec.resolve``); nothing
    here fills in defaults again. Nothing is written unless every stage
    finishes: a cancel, an error or an out-of-memory failure leaves no file.
    ``gpus`` above 1 splits the run over that many GPUs, one process each, which
    load their own models (``cache`` is not used; see ``reelgen.core.parallel``).
    """
    # "~/clip.mp4" as a script or a quoted argument gives it: the home folder, as for input files
    # (it made a folder named "~" in the current one).
    output = Path(output).expanduser() if output is not None else None
    if gpus != 1:
        from reelgen.core.parallel import render_parallel

        split: RenderResult = render_parallel(
            request, output, gpus=gpus, progress=progress, vram_budget_gib=vram_budget_gib, device=device
        )
        return split
    progress = progress or Progress()
    cache = cache or ModelCache()
    timings: dict[str, float] = {}
    begun = time.monotonic()

    # 1. The family and preset the request was resolved against; where the video goes.
    spec, preset = registry.resolve(request.model)
    out_path = Path(output) if output is not None else default_output(preset.name, request.seed)
    check_output(out_path)
    check_not_an_input(out_path, request)
    for said in _output_notes(out_path, request):  # another video's record taken, a big GIF: said up front
        progress.emit(ProgressEvent("plan", 0, 0, 0.0, message=said))
    unread = spec.runner_class().unread_text(request, preset.name)
    if unread:  # made anyway (a shoot-out sends every model one prompt), but not in silence
        progress.emit(ProgressEvent("plan", 0, 0, 0.0, message=f"warning: {unread}"))
    if request.task is Task.V2V:  # a source clip too short is said before minutes of loading, not after
        check_long_enough(request, spec.rules_for(preset))
    dev = device_info(device)

    # 2. Find the weights (a tiny model is built once, then read like a real one).
    started = time.monotonic()
    source = weights.locate(spec, preset, request.weights)
    timings["locate"] = time.monotonic() - started
    if request.task is Task.AVATAR and request.start_image:  # no face in the photo: said before any loading
        from reelgen.core.speech.prepare import check_face

        if note := check_face(request.start_image, getattr(request.options, "face_index", None)):
            progress.emit(ProgressEvent("plan", 0, 0, 0.0, message=f"warning: {note}"))
    if request.task is Task.AVATAR and request.source_video:  # a clip to dub: likewise, before any loading
        from reelgen.core.face.source import video_has_face

        # Only the frames its voice reaches, up to the first face; a text's length is known here, once
        # spoken. Found by the run, a faceless clip was refused after the model loaded (minutes for MuseTalk).
        clip = request.source_video
        face_index = getattr(request.options, "face_index", None)
        video_has_face(clip, face_index, Path(clip).name, request.fps, request.num_frames)

    # 3. Plan memory for this device and budget: once per attempt, here on the worker.
    plan = spec.plan(preset, request, dev, vram_budget_gib)
    progress.emit(ProgressEvent("plan", 0, 0, 0.0, message=f"memory plan: {plan.describe()}"))

    # 4. Load and generate, stepping down the offload ladder once on CUDA OOM.
    reset_peak(dev.device)
    runner, video, plan, attempts = _load_and_generate(
        cache, spec, preset, source, plan, request, progress, timings
    )
    _check_generated(video, request)

    # 5. Enhance: interpolate and upscale, as the request's chain says.
    started = time.monotonic()
    video, stages = run_chain(video, request.enhance, progress, dev.device)
    if request.enhance:
        timings["enhance"] = time.monotonic() - started

    # 6. Check: a black or NaN clip is a failure, not a video; the rest are recorded.
    started = time.monotonic()
    report = quality.assess(video)
    timings["check"] = time.monotonic() - started
    if report.fatal:
        raise GenerationFailed(f"{request.model} made a broken clip: {'; '.join(report.problems)}")

    # 7. Encode atomically with the record embedded, then 8. the sidecar beside it.
    lost = _gif_notes(out_path, video, progress)
    record = {
        "reelgen": __version__,
        "record_format": RECORD_FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "request": request.model_dump(mode="json"),
        "model": {"name": preset.name, "family": preset.family, **source.record()},
        "inputs": input_records(request),
        "loras": runner.lora_records,
        "accel": runner.accel_record,
        "memory_plan": plan.as_dict(),
        "attempts": attempts.tried,
        "stages": ["generate", *(s["name"] for s in stages)],
        "enhance": stages,
        "quality": report.as_dict(),
        "device": {"device": dev.device, "name": dev.name, "total_gib": dev.total_gib},
        **({"parallel": runner.parallel} if runner.parallel else {}),
        "peak_vram_gib": peak_gib(dev.device),
        "versions": library_versions(),
        "output": {
            # Above 100 fps a GIF holds fewer frames than the clip (one a hundredth of a second at most).
            "frames": shown(video.num_frames, video.fps) if is_gif(out_path) else video.num_frames,
            "width": video.width,
            "height": video.height,
            "fps": str(video.fps),
            "audio": video.audio is not None and not is_gif(out_path),
            **({"left_out": lost} if lost else {}),
        },
        # The container gets the timings known before encoding; the sidecar gets encode and total too.
        "timings": timings,
    }
    # A cancel that came after the last step (during the VAE decode, enhancing or the check) was
    # acknowledged to the person who asked ("cancelling at the next step"); writing the file anyway
    # would break the promise that a cancelled run leaves none.
    progress.cancel.check()
    # Ctrl-C during the encode: said "cancelling", so nothing is kept.
    sidecar = write_clip(video, out_path, record, begun, before_rename=progress.cancel.check)
    return RenderResult(out_path, sidecar, record, video)
