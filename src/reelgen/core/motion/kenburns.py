"""The model-free Ken Burns render: a still image filmed along a camera path, encoded and recorded like any clip."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reelgen import __version__
from reelgen.core import quality
from reelgen.core.encode import write_clip
from reelgen.core.errors import InvalidRequest, OutOfMemory
from reelgen.core.gif import is_gif, shown, timing_note
from reelgen.core.media import load_image
from reelgen.core.motion.check import check_path
from reelgen.core.motion.path import CameraPath, Rect
from reelgen.core.output_notes import before_writing
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.record import RECORD_FORMAT, library_versions
from reelgen.core.render import RenderResult, check_output
from reelgen.core.spec.request import INPUT_FILE, slow_rate
from reelgen.core.types import Video, to_fraction

#: The model name a batch item or shoot-out uses for this render.
KEN_BURNS = "ken-burns"
#: Crops are resampled with Lanczos: sharp when the crop is magnified, alias-free when it is shrunk.
RESAMPLE = Image.Resampling.LANCZOS


class KenBurnsRequest(BaseModel):
    """Everything that decides a Ken Burns clip; ``image`` is an absolute path."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    image: str = Field(json_schema_extra=INPUT_FILE)
    path: CameraPath
    width: int = Field(gt=0, le=16_384)
    height: int = Field(gt=0, le=16_384)
    num_frames: int = Field(gt=0, le=100_000)
    fps: float = Field(gt=0, le=240)
    _slow_rate = field_validator("fps")(slow_rate)  # a frame per 100 s at the slowest

    @model_validator(mode="after")
    def _even_sides(self) -> KenBurnsRequest:
        """Refuse odd sides: the encoder would pad them to even, and the clip would not be the size asked."""
        for name, side in (("width", self.width), ("height", self.height)):
            if side % 2:
                raise InvalidRequest(
                    f"{name} {side} is odd; an MP4 or WebM (4:2:0 colour) has even sides: "
                    f"use {side - 1} or {side + 1}",
                    param=name,
                )
        return self

    def input_files(self) -> list[tuple[str, str]]:
        return [("image", self.image)]


def check_memory(request: KenBurnsRequest) -> None:
    """Refuse a clip whose frames, all held in RAM until encoded, do not fit in the memory available.

    Unchecked, numpy refused it as an internal error, or (a little under the
    machine's memory) the kernel killed the process part-way, with nothing said.
    """
    from reelgen.core.devices import host_available_gib
    from reelgen.core.spec.memory import GIB

    need = request.num_frames * request.width * request.height * 3 / GIB
    available = host_available_gib()
    if available is not None and need > available:
        raise OutOfMemory(
            f"a Ken Burns clip of {request.num_frames} frames at {request.width}x{request.height} holds "
            f"{need:.1f} GiB of frames in memory until it is encoded, and {available:.1f} GiB are "
            "available; make it shorter (num_frames, seconds) or smaller (width, height)"
        )


def _black_image(request: KenBurnsRequest, black: list[int]) -> InvalidRequest:
    """Black frames of a Ken Burns clip are the picture's, not a model's NaN: say so, and what to do."""
    listed = ", ".join(str(i) for i in black[:8]) + (" ..." if len(black) > 8 else "")
    return InvalidRequest(
        f"image: {request.image} is black (no pixel above {quality.BLACK_LEVEL} of 255) where the camera "
        f"looks in {len(black)} of {request.num_frames} frames (frames {listed}), and black frames are "
        "never delivered; give a picture with something to see there, or move the crops",
        param="image",
    )


def crop(image: Image.Image, rect: Rect, width: int, height: int) -> np.ndarray:
    """The part of ``image`` under ``rect``, resampled to ``width`` x ``height`` (sub-pixel exact).

    The box is held to the image: ``check_path`` lets a crop reach a millionth of a pixel past an edge
    (floating point), and Pillow refused that box ("box offset can't be negative"), failing the clip
    as an internal error.
    """
    left, top, right, bottom = rect.box()
    box = (max(left, 0.0), max(top, 0.0), min(right, image.width), min(bottom, image.height))
    return np.asarray(image.resize((width, height), RESAMPLE, box=box), dtype=np.uint8)


def ken_burns_frames(
    image: Image.Image, path: CameraPath, width: int, height: int, num_frames: int, progress: Progress
) -> np.ndarray:
    """Every frame of the move, first frame the start crop and last frame the end crop."""
    tracker = progress.stage("ken_burns", num_frames)
    frames = np.empty((num_frames, height, width, 3), dtype=np.uint8)
    for i, rect in enumerate(path.rects(num_frames)):
        frames[i] = crop(image, rect, width, height)
        tracker.advance(i + 1)
    return frames


def _record(
    request: KenBurnsRequest, report: quality.QualityReport, video: Video, out_path: Path
) -> dict[str, Any]:
    from reelgen.core.weights import sha256_file

    return {
        "reelgen": __version__,
        "record_format": RECORD_FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "kind": "ken_burns",
        "ken_burns": request.model_dump(mode="json"),
        "model": {"name": KEN_BURNS, "family": None},
        "inputs": {"image": {"path": request.image, "sha256": sha256_file(Path(request.image))}},
        "stages": ["ken_burns"],
        "quality": report.as_dict(),
        "device": {"device": "cpu", "name": "CPU", "total_gib": None},
        "peak_vram_gib": None,
        "versions": library_versions(),
        "output": {
            # Above 100 fps a GIF holds fewer frames than the clip (one a hundredth of a second at most).
            "frames": shown(video.num_frames, video.fps) if is_gif(out_path) else video.num_frames,
            "width": video.width,
            "height": video.height,
            "fps": str(video.fps),
            "audio": False,
        },
    }


def render_ken_burns(
    request: KenBurnsRequest, output: str | Path, *, progress: Progress | None = None
) -> RenderResult:
    """Film ``request.image`` along ``request.path`` and write the clip plus its ``.json`` sidecar.

    The path is checked against the image first (``MotionError`` if it cannot
    render well), and the frames against the memory available (``OutOfMemory``).
    Like ``render``, nothing is written unless every step finishes.
    """
    progress = progress or Progress()
    out_path = Path(output)
    check_output(out_path)
    begun = time.monotonic()

    # 1. The frames' memory, the image, and the path checked against it and the output.
    check_memory(request)
    image = load_image(request.image, "image")
    size = (request.width, request.height)
    check_path(request.path, image.size, size, request.num_frames)
    smaller = "give a smaller width and height or fewer num_frames"
    for said in before_writing(out_path, request.num_frames, size, to_fraction(request.fps), smaller):
        progress.emit(ProgressEvent("plan", 0, 0, 0.0, message=said))  # as a model's render says them

    # 2. Film it, then 3. check it as any clip is checked.
    frames = ken_burns_frames(image, request.path, *size, request.num_frames, progress)
    video = Video(frames, to_fraction(request.fps))
    report = quality.assess(video)
    if report.fatal:  # no model, so no NaN: only black frames, from a black picture
        raise _black_image(request, report.metrics["black_frames"])
    timings = {"generate": time.monotonic() - begun}

    # 4. Encode with the record embedded, then the sidecar with the encode time too. A GIF above 50 fps
    # plays slower in browsers (and above 100 fps drops frames): said as ``render`` says it, not kept quiet.
    note = timing_note(video.fps) if is_gif(out_path) else None
    if note:
        progress.emit(ProgressEvent("encode", 0, 0, 0.0, message=f"warning: {note}"))
    record = {**_record(request, report, video, out_path), "timings": timings}
    # A cancel during the last frame was told "cancelling at the next step": writing the file anyway
    # would break that, as in ``render``.
    progress.cancel.check()
    # Together or not at all, as a model's clip: a full disk writing the record left the new video
    # beside the record of the one it replaced; a Ctrl-C during the encode keeps nothing either.
    sidecar = write_clip(video, out_path, record, begun, before_rename=progress.cancel.check)
    return RenderResult(out_path, sidecar, record, video)
