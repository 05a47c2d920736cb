"""CPU benchmark: x264's default code against the AVX2 path reelgen keeps it to on AVX-512 CPUs (``encode.x264_params``).

Encodes the same frames with reelgen's encoder settings both ways, several times each, and prints
JSON: the best time of each, the file sizes, and whether each way gave the same bits every run.
Usage (the numbers in docs/benchmarks.md):

    PYTHONPATH=src python3 benchmarks/x264_paths.py --frames 121 --size 768x512 --runs 3
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import time
from typing import Any

import av
import numpy as np

from reelgen.core.encode import X264_PRESET, x264_params

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=121)
    parser.add_argument("--size", default="768x512", help="WIDTHxHEIGHT")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    rng = np.random.default_rng(0)
    # A textured picture panning: the encoder has motion to search, as in a generated clip.
    base = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    frames = [np.roll(base, 4 * i, axis=1) for i in range(args.frames)]
    out: dict[str, Any] = {"frames": args.frames, "size": args.size, "chosen_here": x264_params()}
    for label, extra in (("default", {}), ("avx2", AVX2)):
        runs = [encode(frames, extra) for _ in range(args.runs)]
        out[label] = {
            "best_s": round(min(t for t, _ in runs), 4),
            "bytes": len(runs[0][1]),
            "same_bits_every_run": len({hashlib.sha256(b).hexdigest() for _, b in runs}) == 1,
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
