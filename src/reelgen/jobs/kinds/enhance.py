"""The ``enhance`` kind: interpolate and upscale an existing video on a worker, audio carried over unchanged.

The payload names the source file (shipped to the worker by value, like a
render's inputs), the source's shape as decoded at the edge, and the chain
resolved there against that shape, so the job's row shows the clip it will
make before it runs. The worker runs ``reelgen.core.enhance.files.enhance_file``;
the API side decodes the result and checks it is the clip that was promised.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.enhance.base import Shape
from reelgen.core.enhance.registry import chain_shape, resolve_chain
from reelgen.core.errors import GenerationFailed, InvalidRequest
from reelgen.core.spec.request import INPUT_FILE, EnhanceStep
from reelgen.jobs.artifacts import black_frames_in, png_bytes, sent_name, verify_video
from reelgen.jobs.events import RunResult
from reelgen.jobs.kinds.base import WorkerContext, WorkerKind
from reelgen.jobs.records import Facts, Job

if TYPE_CHECKING:
    from reelgen.core.cache import ModelCache

#: GPU memory (GiB) each learned stage needs at most, at its default tile and batch: an estimate
#: for placement only. Flow and Lanczos run on the CPU and need none.
STAGE_GIB = {"rife": 2.0, "esrgan": 3.0}


class EnhancePayload(BaseModel):
    """A video file to enhance, its shape as decoded, and the resolved chain to run on it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(json_schema_extra=INPUT_FILE, description="The video to enhance (a server-made path)")
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    frames: int = Field(gt=0, description="Frames in the source, counted by decoding it")
    fps: str = Field(description="The source's exact rate, e.g. '24000/1001'")
    steps: tuple[EnhanceStep, ...] = Field(min_length=1)
    source_job: str | None = Field(default=None, description="The job whose video this enhances")
    source_name: str = Field(
        default="", description="The name the source was sent under, as the job's warnings say it"
    )
    source_model: str = ""
    prompt: str = ""
    seed: int | None = None
    rotation: int = Field(
        default=0,
        ge=0,
        lt=360,
        multiple_of=90,
        description="Degrees a player turns the stored frames by (a phone's portrait clip: 90)",
    )

    @property
    def source_shape(self) -> Shape:
        return Shape(self.width, self.height, self.frames, Fraction(self.fps))

    def output_shape(self) -> Shape:
        """The clip the chain makes as stored in the file: its size, frame count and exact rate."""
        return chain_shape(self.steps, self.source_shape)

    def shown_shape(self) -> Shape:
        """``output_shape`` as a player shows it: a clip stored sideways is turned upright (its sides swap)."""
        out = self.output_shape()
        return Shape(out.height, out.width, out.frames, out.fps) if self.rotation % 180 else out


def decoded_shape(path: Path, param: str = "file") -> Shape:
    """Size, frame count and exact rate of the video at ``path``, counted by decoding every frame.

    The frames are counted as ``reelgen.core.media.read_video`` delivers them (a
    variable-rate file resampled to a constant rate), so the shape matches what
    the worker will decode. A file with no decodable frame is an
    ``InvalidRequest`` naming ``param``.
    """
    from reelgen.core.media import decode_frames, video_timing

    def size(frame: Any) -> tuple[int, int]:
        return frame.width, frame.height

    timing = video_timing(path, param, shown="the file")
    frames, (width, height) = 0, (0, 0)
    for sides in decode_frames(path, timing, size, param, "the file"):
        # The first frame's size: the worker enhances every frame at it (a clip that changes size part
        # way was promised at its last frame's, and the finished job failed as "generation_failed").
        frames, (width, height) = frames + 1, (sides if frames == 0 else (width, height))
    if frames == 0:
        raise InvalidRequest(
            f"{param}: the video has no frames; send a clip with at least one decodable frame", param=param
        )
    return Shape(width, height, frames, timing.fps)


def enhance_payload(
    source: Path,
    steps: Sequence[EnhanceStep],
    *,
    param: str = "file",
    source_job: Job | None = None,
) -> EnhancePayload:
    """The payload for enhancing ``source`` with ``steps``: its shape decoded, the chain checked against it.

    ``source_job`` (a finished render or enhance job) lends the payload its
    prompt, model and seed, and is recorded as the job this one enhances.
    """
    from reelgen.core.enhance.mux import read_extras

    shape = decoded_shape(source, param)
    chain = resolve_chain(steps, shape.width, shape.height, shape.frames, shape.fps)
    if not chain:
        raise InvalidRequest("nothing to do: ask for interpolate, target_fps or upscale", param="interpolate")
    return EnhancePayload(
        source=str(source),
        width=shape.width,
        height=shape.height,
        frames=shape.frames,
        fps=str(shape.fps),
        steps=chain,
        source_job=None if source_job is None else source_job.id,
        # The worker reads a copy named input-0.mp4, and its warnings named that copy.
        source_name=Path(sent_name(param, str(source))).name,
        source_model=_generated_by(source_job),
        prompt=source_job.prompt if source_job is not None else "",
        seed=source_job.seed if source_job is not None else None,
        # The job's size is the shown one: the MP4 keeps the frames as stored and the turn players apply.
        rotation=read_extras(source).rotation,
    )


def _generated_by(source_job: Job | None) -> str:
    """The model that generated ``source_job``'s video; "" for an uploaded clip, enhanced any number of times.

    An enhanced upload's row names its methods (``rife``) in ``model``: carried on, an upscale of it
    said ``rife``, a method that did not run in it.
    """
    if source_job is None:
        return ""
    if source_job.kind == EnhanceKind.name:
        return str(source_job.payload.get("source_model") or "")
    return source_job.model


class EnhanceKind(WorkerKind[EnhancePayload]):
    """Runs a resolved enhancement chain on one video; its row shows the clip it makes."""

    name = "enhance"
    payload_model = EnhancePayload

    def facts(self, payload: EnhancePayload) -> Facts:
        out = payload.shown_shape()
        return Facts(
            # An uploaded clip has no model; the row names the methods that make it instead.
            model=payload.source_model or "+".join(step.name for step in payload.steps),
            prompt=payload.prompt,
            seed=payload.seed,
            width=out.width,
            height=out.height,
            num_frames=out.frames,
            fps=float(out.fps),
        )

    def input_files(self, payload: EnhancePayload) -> list[tuple[str, str]]:
        return [("source", payload.source)]

    def with_input_files(self, payload: EnhancePayload, paths: dict[str, str]) -> EnhancePayload:
        return payload.model_copy(update={"source": paths["source"]}) if "source" in paths else payload

    def least_gib(self, payload: EnhancePayload, total_gib: float) -> float | None:
        return max((STAGE_GIB.get(step.name, 0.0) for step in payload.steps), default=0.0)

    def run(self, payload: EnhancePayload, context: WorkerContext) -> RunResult:
        from reelgen.core.devices import device_info
        from reelgen.core.enhance.files import enhance_file

        device = device_info().device
        if device != "cpu":
            _make_room(context.cache, self.least_gib(payload, 0.0) or 0.0)
        out = enhance_file(
            payload.source,
            context.folder / "video.mp4",
            payload.steps,
            progress=context.progress,
            device=device,
            name=payload.source_name or None,
        )
        record: dict[str, Any] = out.metadata
        return RunResult(
            files={
                "video": out.path.read_bytes(),
                "metadata": out.sidecar.read_bytes(),
                "thumbnail": png_bytes(out.thumbnail),
            },
            frames=out.frames,
            device=device,
            timings=dict(record.get("timings") or {}),
        )

    def check(self, job: Job, files: dict[str, Path], result: RunResult) -> dict[str, Any]:
        """Decode the MP4 as a player would: the size (shown upright) and frame count the job promised,
        no black frames."""
        from reelgen.core.enhance.mux import read_extras

        payload = self.parse(job.payload)
        promised, shown = payload.output_shape(), payload.shown_shape()
        info = verify_video(
            files["video"], promised.frames, lambda black: _unexplained(black, payload, promised)
        )
        if read_extras(files["video"]).rotation % 180:
            info["width"], info["height"] = info["height"], info["width"]
        if (info["width"], info["height"]) != (shown.width, shown.height):
            raise GenerationFailed(
                f"the enhanced video shows {info['width']}x{info['height']}; "
                f"the job promised {shown.width}x{shown.height}"
            )
        return info


def _unexplained(black: list[int], payload: EnhancePayload, out: Shape) -> list[int]:
    """The output's black frames that no black frame of the source explains.

    An enhanced fade from black is black where its source was; a frame made black by
    NaN from an upscaler or interpolator is not. Output frame j shows the source at
    position j * source fps / output fps; it is explained when a source frame on
    either side of that position is black.
    """
    try:
        source_black = set(black_frames_in(Path(payload.source)))
    except InvalidRequest:
        return black  # the source no longer decodes: nothing can be explained
    ratio = payload.source_shape.fps / out.fps
    return [
        j
        for j in black
        if math.floor(j * ratio) not in source_black and math.ceil(j * ratio) not in source_black
    ]


def _make_room(cache: ModelCache, need_gib: float) -> None:
    """Unload idle models, least recently used first, until ``need_gib`` of VRAM is free."""
    from reelgen.core.devices import device_info
    from reelgen.core.spec import registry

    for entry in sorted(cache.loaded(), key=lambda e: -e["idle_s"]):
        if (device_info().free_gib or 0.0) >= need_gib:
            return
        cache.drop(registry.resolve(entry["model"])[1])
