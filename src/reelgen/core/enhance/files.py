"""Enhance any video file: decode, run a chain, encode atomically with the source's audio packets copied unchanged."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgen import __version__
from reelgen.core.encode import (
    CONTAINERS,
    METADATA_KEY,
    check_record_free,
    check_writable,
    write_json_atomic,
    write_video,
)
from reelgen.core.enhance.base import Shape
from reelgen.core.enhance.chain import run_chain
from reelgen.core.enhance.registry import encoded, resolve_chain
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import read_video
from reelgen.core.progress import Progress
from reelgen.core.spec.request import EnhanceStep
from reelgen.core.types import Video


@dataclass(frozen=True)
class EnhanceResult:
    path: Path
    sidecar: Path
    metadata: dict[str, Any]
    video: Video


def enhance_file(
    source: str | Path,
    output: str | Path,
    steps: Sequence[EnhanceStep],
    *,
    progress: Progress | None = None,
    device: str = "cpu",
) -> EnhanceResult:
    """Run ``steps`` on the video at ``source`` and write the result (and a JSON sidecar) to ``output``.

    The frame rate stays exact and the audio is the source's own packets, copied
    (re-encoded only when the output container cannot hold its codec). Nothing
    is written unless every stage finishes.
    """
    progress = progress or Progress()
    source, output = Path(source), Path(output)
    begun = time.monotonic()
    # 1. The clip, read after checking where it goes; the chain checked against it before any work.
    video = _read(source, output)
    chain = resolve_chain(steps, video.width, video.height, video.num_frames, video.fps)
    if not chain:
        raise InvalidRequest(
            "nothing to do: ask for --interpolate, --target-fps or --upscale", param="enhance"
        )

    # 2. Run the chain.
    started = time.monotonic()
    result, stages = run_chain(video, chain, progress, device)
    record = _record(source, video, result, stages)
    record["timings"]["enhance"] = time.monotonic() - started

    # 3. Encode with the record embedded and the source's audio copied, then the sidecar.
    started = time.monotonic()
    record["audio"] = _write(result, source, output, record)
    record["timings"]["encode"] = time.monotonic() - started
    record["timings"]["total"] = time.monotonic() - begun
    sidecar = write_json_atomic(output.with_suffix(".json"), record)
    return EnhanceResult(output, sidecar, record, result)


def _read(source: Path, output: Path) -> Video:
    """The source clip, once the output's container and name are known to be good."""
    check_writable(output)
    if output.suffix.lower() not in CONTAINERS:
        raise InvalidRequest(
            f"output {output.name}: unknown container {output.suffix or '(none)'}; valid: {', '.join(CONTAINERS)}",
            param="output",
        )
    if output.resolve() == source.resolve():
        raise InvalidRequest(f"output {output} is the input; give another file name", param="output")
    # The record goes to OUTPUT.json: never over a person's own JSON (check_record_free says why).
    check_record_free(output)
    if source.is_dir():
        raise InvalidRequest(f"input: {source} is a folder; give a video file", param="input")
    if not source.is_file():
        raise InvalidRequest(f"input: file {source} does not exist", param="input")
    try:
        return read_video(source, param="input")
    except InvalidRequest as exc:
        raise InvalidRequest(
            f"{exc.message}; reelgen enhance reads any video FFmpeg decodes (MP4, MOV, MKV, WebM, AVI ...) "
            "with at least one frame",
            param="input",
        ) from None


def _record(source: Path, video: Video, result: Video, stages: list[dict[str, Any]]) -> dict[str, Any]:
    from reelgen.core.enhance.weights import sha256

    def shape(v: Video) -> dict[str, Any]:
        # The size in the file, which the encoder makes even (65x47 is written as 66x48).
        size = encoded(Shape(v.width, v.height, v.num_frames, v.fps))
        return {"frames": v.num_frames, "width": size.width, "height": size.height, "fps": str(v.fps)}

    return {
        "reelgen": __version__,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "source": {"path": str(source.resolve()), "sha256": sha256(source)},
        "stages": [s["name"] for s in stages],
        "enhance": stages,
        "input": shape(video),
        "output": shape(result),
        "timings": {},
    }


def _write(video: Video, source: Path, output: Path, record: dict[str, Any]) -> str | None:
    """Encode ``video``; returns how its audio got there: 'copied', 're-encoded' or None (no audio)."""
    if video.audio is None:
        write_video(video, output, record)
        return None
    # write_video makes a missing output folder; the temporary files below go there first, so make it here.
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, silent = tempfile.mkstemp(
        prefix=f".{output.stem}-video-", suffix=output.suffix, dir=output.parent or "."
    )
    os.close(fd)
    try:
        record["audio"] = "copied"
        write_video(Video(video.frames, video.fps, None, video.extra), silent, record)
        if _remux(Path(silent), source, output, record):
            return "copied"
    finally:
        Path(silent).unlink(missing_ok=True)
    record["audio"] = "re-encoded"
    write_video(video, output, record)
    return "re-encoded"


def _remux(silent: Path, source: Path, output: Path, record: dict[str, Any]) -> bool:
    """Put the encoded video and the source's audio packets into ``output``; False if the container refuses."""
    import json

    import av

    fd, part = tempfile.mkstemp(prefix=f".{output.stem}-", suffix=output.suffix, dir=output.parent or ".")
    os.close(fd)
    _, _, _, options = CONTAINERS[output.suffix.lower()]
    try:
        with (
            av.open(str(silent)) as vin,
            av.open(str(source)) as ain,
            av.open(part, "w", options=options) as out,
        ):
            out.metadata[METADATA_KEY] = json.dumps(record, sort_keys=True, default=str)
            vstream = out.add_stream_from_template(vin.streams.video[0])
            astream = out.add_stream_from_template(ain.streams.audio[0])
            for packet in vin.demux(vin.streams.video[0]):
                if packet.dts is not None:
                    packet.stream = vstream
                    out.mux(packet)
            for sound in ain.demux(ain.streams.audio[0]):
                if sound.dts is not None:
                    sound.stream = astream
                    out.mux(sound)
        os.replace(part, output)
        return True
    except (av.error.FFmpegError, ValueError):
        return False
    finally:
        Path(part).unlink(missing_ok=True)
