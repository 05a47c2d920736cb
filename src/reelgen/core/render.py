"""render(request): resolve -> load -> generate -> encode -> sidecar, as a recipe of numbered steps."""

from __future__ import annotations

import datetime as dt
import platform
import time
from dataclasses import dataclass
from importlib import metadata as pkg_metadata
from pathlib import Path
from typing import Any

from reelgen import __version__
from reelgen.core import weights
from reelgen.core.backends.base import Backend, Preset
from reelgen.core.cache import ModelCache
from reelgen.core.devices import (
    MemoryPlan,
    device_info,
    empty_cache,
    next_rung,
    peak_gib,
    reset_peak,
)
from reelgen.core.encode import read_metadata, write_json_atomic, write_video
from reelgen.core.errors import GenerationFailed, InvalidRequest, OutOfMemory
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.types import GenerationRequest, Video
from reelgen.core.validate import resolve_request

LIBRARIES = ("torch", "diffusers", "transformers", "accelerate", "av", "numpy", "huggingface_hub")


@dataclass(frozen=True)
class RenderResult:
    """What a render produced: the video file, its sidecar, the record in both, and the frames."""

    path: Path
    sidecar: Path
    metadata: dict[str, Any]
    video: Video


def default_output(model: str, seed: int, folder: str | Path = "outputs") -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(folder) / f"{stamp}-{model}-{seed}.mp4"


def library_versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "reelgen": __version__}
    for name in LIBRARIES:
        try:
            found[name] = pkg_metadata.version(name)
        except pkg_metadata.PackageNotFoundError:
            continue
    return found


def _input_hashes(request: GenerationRequest) -> dict[str, str]:
    named = {k: getattr(request, k) for k in ("start_image", "end_image", "source_video")}
    named |= {f"keyframes[{i}]": k.image for i, k in enumerate(request.keyframes)}
    return {k: weights.sha256_file(Path(v).expanduser()) for k, v in named.items() if v}


def _generate_with_fallback(
    cache: ModelCache,
    backend_cls: type[Backend],
    preset: Preset,
    source: weights.WeightSource,
    plan: MemoryPlan,
    request: GenerationRequest,
    progress: Progress,
    timings: dict[str, float],
) -> tuple[Backend, Video, MemoryPlan, list[dict[str, Any]]]:
    """Load and run; a CUDA out-of-memory error steps one rung down the ladder and retries once."""
    import torch

    attempts: list[dict[str, Any]] = []
    while True:
        started = time.monotonic()
        backend, cached = cache.acquire(backend_cls, preset, source, plan)
        timings["load"] = timings.get("load", 0.0) + (0.0 if cached else time.monotonic() - started)
        started = time.monotonic()
        try:
            video = backend.generate(request, progress)
        except torch.OutOfMemoryError as exc:
            attempts.append({"plan": plan.as_dict(), "outcome": "out_of_memory", "error": str(exc)[:300]})
            cache.drop(preset)
            empty_cache()
            lower = next_rung(plan)
            if lower is None or len(attempts) > 1:
                raise OutOfMemory(
                    f"{preset.name} ran out of memory on {plan.strategy}"
                    + ("" if lower is None else f" and again after stepping down to {plan.strategy}")
                    + "; try a smaller size or fewer frames, or --vram-budget lower"
                ) from exc
            progress.emit(
                ProgressEvent(
                    "generate",
                    0,
                    request.steps or 0,
                    0.0,
                    message=f"CUDA out of memory with {plan.strategy}; retrying with {lower.strategy}",
                )
            )
            plan = lower
            continue
        timings["generate"] = timings.get("generate", 0.0) + time.monotonic() - started
        attempts.append({"plan": plan.as_dict(), "outcome": "ok"})
        return backend, video, plan, attempts


def _check_video(video: Video, request: GenerationRequest) -> None:
    if video.num_frames != request.num_frames or (video.width, video.height) != (
        request.width,
        request.height,
    ):
        raise GenerationFailed(
            f"{request.model} returned {video.num_frames} frames of {video.width}x{video.height}; "
            f"asked for {request.num_frames} of {request.width}x{request.height}"
        )


def render(
    request: GenerationRequest,
    output: str | Path | None = None,
    *,
    progress: Progress | None = None,
    vram_budget_gib: float | None = None,
    device: str | None = None,
    cache: ModelCache | None = None,
) -> RenderResult:
    """Make the video ``request`` describes and write it (plus a JSON sidecar) to ``output``.

    Nothing is written unless generation finishes: a cancel, an error or an
    out-of-memory failure leaves no file behind.
    """
    progress = progress or Progress()
    cache = cache or ModelCache()
    timings: dict[str, float] = {}
    begun = time.monotonic()

    # 1. Resolve the model and fill every unset field from its preset.
    backend_cls, preset, request = resolve_request(request)
    assert request.seed is not None
    out_path = Path(output) if output is not None else default_output(preset.name, request.seed)
    if out_path.suffix.lower() not in (".mp4", ".mov", ".webm"):
        raise InvalidRequest(f"output {out_path} must end in .mp4, .mov or .webm", param="output")

    # 2. Find the weights (a tiny model is built once, then read like a real one).
    started = time.monotonic()
    source = weights.locate(backend_cls, preset, request.weights)
    timings["locate"] = time.monotonic() - started

    # 3. Plan memory for this device and budget.
    dev = device_info(device)
    plan = backend_cls(preset).plan_for(request, dev, vram_budget_gib)
    progress.emit(ProgressEvent("plan", 0, 0, 0.0, message=f"memory plan: {plan.describe()}"))

    # 4. Load and generate, stepping down the offload ladder once on CUDA OOM.
    reset_peak(dev.device)
    backend, video, plan, attempts = _generate_with_fallback(
        cache, backend_cls, preset, source, plan, request, progress, timings
    )
    _check_video(video, request)

    # 5. Encode atomically with the record embedded, then the sidecar beside it.
    record = {
        "reelgen": __version__,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "request": request.model_dump(mode="json"),
        "model": {"name": preset.name, "family": preset.family, **source.record()},
        "inputs": _input_hashes(request),
        "loras": backend.lora_records,
        "memory_plan": plan.as_dict(),
        "attempts": attempts,
        "device": {"device": dev.device, "name": dev.name, "total_gib": dev.total_gib},
        "peak_vram_gib": peak_gib(dev.device),
        "versions": library_versions(),
        "output": {
            "frames": video.num_frames,
            "width": video.width,
            "height": video.height,
            "fps": str(video.fps),
            "audio": video.audio is not None,
        },
    }
    # The container gets the timings known before encoding; the sidecar gets encode and total too.
    record["timings"] = timings
    started = time.monotonic()
    write_video(video, out_path, record)
    timings["encode"] = time.monotonic() - started
    timings["total"] = time.monotonic() - begun
    sidecar = write_json_atomic(out_path.with_suffix(".json"), record)
    return RenderResult(out_path, sidecar, record, video)


def load_record(path: str | Path) -> dict[str, Any]:
    """The reelgen record of a video (from its container) or of a sidecar ``.json``."""
    import json

    path = Path(path)
    if not path.is_file():
        raise InvalidRequest(f"{path} does not exist", param="path")
    if path.suffix.lower() == ".json":
        try:
            record = json.loads(path.read_text())
        except ValueError:
            raise InvalidRequest(f"{path} is not a reelgen sidecar (invalid JSON)", param="path") from None
        if not isinstance(record, dict) or "request" not in record:
            raise InvalidRequest(f"{path} is not a reelgen sidecar (no request)", param="path")
        return record
    return read_metadata(path)


def replay(path: str | Path, output: str | Path | None = None, **kwargs: Any) -> RenderResult:
    """Render again from the request recorded in a video or sidecar: same seed, same frames."""
    record = load_record(path)
    request = GenerationRequest.model_validate(record["request"])
    return render(request, output, **kwargs)
