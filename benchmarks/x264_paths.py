"""CPU benchmark: x264's default code against the AVX2 path reelgen keeps it to on AVX-512 CPUs (``encode.x264_params``).

Encodes the same frames with reelgen's encoder settings both ways, several times each, and prints
JSON: the best time of each, the file sizes, and whether each way gave the same bits every run.
``--stage`` also times reelgen's whole MP4 stage (``encode.write_video``: YUV conversion on its
threads, x264, the file renamed into place) both ways on the two contents of the issue-17 encode
probe (smooth waves, as real clips; random noise, as random-weight models make).
Usage (the numbers in docs/benchmarks.md):

    PYTHONPATH=src python3 benchmarks/x264_paths.py --frames 121 --size 768x512 --runs 3 [--stage]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import av
import numpy as np

from reelgen.core import encode as reelgen_encode
from reelgen.core.encode import X264_PRESET, x264_params
from reelgen.core.types import Video, to_fraction

AVX2 = {"x264-params": "asm=AVX2,SSE2Fast,Cache64"}


def encode(frames: list[np.ndarray], extra: dict[str, str]) -> tuple[float, bytes]:
    """Seconds to encode ``frames`` as reelgen's write_frames sets up x264, and the MP4's bytes."""
    height, width = frames[0].shape[:2]
    buffer = io.BytesIO()
    began = time.perf_counter()
    with av.open(buffer, "w", format="mp4") as container:
        stream: Any = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "18", "preset": X264_PRESET, **extra}
        stream.thread_type = "AUTO"
        for frame in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return time.perf_counter() - began, buffer.getvalue()


def stage_contents(frames: int, width: int, height: int) -> dict[str, np.ndarray]:
    """The encode probe's two clips: smooth moving waves and random noise."""
    t = np.arange(frames)[:, None, None]
    y, x = np.mgrid[0:height, 0:width]
    wave = ((np.sin(x / 40 + t / 6) + np.cos(y / 30 - t / 9)) * 60 + 128).astype(np.uint8)
    smooth = np.ascontiguousarray(np.stack([wave, 255 - wave, wave // 2], axis=-1))
    noise = np.random.default_rng(0).integers(0, 256, (frames, height, width, 3), dtype=np.uint8)
    return {"smooth": smooth, "noise": noise}


def time_stage(frames: np.ndarray, extra: dict[str, str], runs: int) -> dict[str, Any]:
    """Best seconds of ``write_video`` over ``runs`` with x264 given ``extra``, and the file's size."""
    chosen = reelgen_encode.x264_params
    reelgen_encode.x264_params = lambda: dict(extra)  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as folder:
            path, times = Path(folder) / "stage.mp4", []
            for _ in range(runs):
                began = time.perf_counter()
                reelgen_encode.write_video(Video(frames, to_fraction(25.0)), path)
                times.append(time.perf_counter() - began)
            return {"best_s": round(min(times), 4), "bytes": path.stat().st_size}
    finally:
        reelgen_encode.x264_params = chosen  # type: ignore[assignment]


def cpu_name() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        return next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=121)
    parser.add_argument("--size", default="768x512", help="WIDTHxHEIGHT")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stage", action="store_true", help="also time reelgen's MP4 stage both ways")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    rng = np.random.default_rng(0)
    # A textured picture panning: the encoder has motion to search, as in a generated clip.
    base = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    frames = [np.roll(base, 4 * i, axis=1) for i in range(args.frames)]
    out: dict[str, Any] = {
        "frames": args.frames,
        "size": args.size,
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "chosen_here": x264_params(),
    }
    for label, extra in (("default", {}), ("avx2", AVX2)):
        runs = [encode(frames, extra) for _ in range(args.runs)]
        out[label] = {
            "best_s": round(min(t for t, _ in runs), 4),
            "bytes": len(runs[0][1]),
            "same_bits_every_run": len({hashlib.sha256(b).hexdigest() for _, b in runs}) == 1,
        }
    if args.stage:
        contents = stage_contents(args.frames, width, height)
        out["stage"] = {
            content: {
                label: time_stage(clip, extra, args.runs)
                for label, extra in (("default", {}), ("avx2", AVX2))
            }
            for content, clip in contents.items()
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
