"""The ``render`` kind: one clip from a ``ResolvedRequest``, made on a worker by ``reelgen.core.render``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelgen.core.enhance.base import Shape
from reelgen.core.errors import ReelgenError
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.types import to_fraction
from reelgen.jobs.artifacts import png_bytes, verify_video
from reelgen.jobs.events import RunResult
from reelgen.jobs.kinds.base import WorkerContext, WorkerKind
from reelgen.jobs.records import Facts, Job

if TYPE_CHECKING:
    from reelgen.core.cache import ModelCache
    from reelgen.core.render import RenderResult


class RenderKind(WorkerKind[ResolvedRequest]):
    """The payload is the request resolved once at the edge; nothing here resolves it again."""

    name = "render"
    payload_model = ResolvedRequest

    def facts(self, payload: ResolvedRequest) -> Facts:
        """The clip the job delivers: after its enhancement chain (interpolate, upscale), if any."""
        out = output_shape(payload)
        return Facts(
            model=payload.model,
            prompt=payload.prompt,
            seed=payload.seed,
            width=out.width,
            height=out.height,
            num_frames=out.frames,
            fps=float(out.fps) if payload.enhance else payload.fps,
        )

    def input_files(self, payload: ResolvedRequest) -> list[tuple[str, str]]:
        return payload.input_files()

    def with_input_files(self, payload: ResolvedRequest, paths: dict[str, str]) -> ResolvedRequest:
        return payload.with_input_files(paths)

    def model(self, payload: ResolvedRequest) -> str | None:
        return payload.model

    def least_gib(self, payload: ResolvedRequest, total_gib: float) -> float | None:
        from reelgen.core.spec import registry

        try:
            spec, preset = registry.resolve(payload.model)
        except ReelgenError:
            return None  # a model only the workers know; they check it themselves
        return spec.least_gib(preset, payload, total_gib)

    def run(self, payload: ResolvedRequest, context: WorkerContext) -> RunResult:
        from reelgen.core.render import render

        make_room(context.cache, payload)
        out = render(payload, context.folder / "video.mp4", progress=context.progress, cache=context.cache)
        return run_result(out)

    def check(self, job: Job, files: dict[str, Path], result: RunResult) -> dict[str, Any]:
        """Decode the MP4 as a player would: the frames the worker made, none of them black."""
        return verify_video(files["video"], result.frames)


def run_result(out: RenderResult) -> RunResult:
    """A finished render as the worker hands it back: the MP4, its record and a thumbnail, by value."""
    record: dict[str, Any] = out.metadata
    return RunResult(
        files={
            "video": out.path.read_bytes(),
            "metadata": out.sidecar.read_bytes(),
            "thumbnail": png_bytes(out.video.frames[out.video.num_frames // 2]),
        },
        frames=out.video.num_frames,
        peak_vram_gib=record.get("peak_vram_gib"),
        device=(record.get("device") or {}).get("device"),
        timings=dict(record.get("timings") or {}),
    )


def output_shape(request: ResolvedRequest) -> Shape:
    """The generated clip's shape carried through the request's enhancement chain."""
    from reelgen.core.enhance.registry import chain_shape

    shape = Shape(request.width, request.height, request.num_frames, to_fraction(request.fps))
    try:
        return chain_shape(request.enhance, shape)
    except (KeyError, ReelgenError):  # a stage only the workers have installed; they check it
        return shape


def make_room(cache: ModelCache, request: ResolvedRequest) -> None:
    """Unload idle models, least recently used first, until the new one's estimate fits free VRAM.

    The estimate is ``FamilySpec.least_gib`` (the leanest placement on this card);
    the plan itself is made once, by ``render``, for the memory that is then free.
    """
    from reelgen.core.devices import device_info
    from reelgen.core.spec import registry

    loaded = [e["model"] for e in cache.loaded()]
    dev = device_info()
    if request.model in loaded or dev.total_gib is None or not loaded:
        return
    spec, preset = registry.resolve(request.model)
    need = spec.least_gib(preset, request, dev.total_gib)
    for name in loaded:
        if (device_info().free_gib or 0.0) >= need:
            break
        cache.drop(registry.resolve(name)[1])
