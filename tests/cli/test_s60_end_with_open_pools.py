"""A `reelgen` command that fails while a thread pool is still open ends, as Python's exit would end it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import numpy as np

REELGEN = [
    sys.executable,
    "-c",
    "import sys; sys.argv[0] = 'reelgen'; from reelgen.cli import entry; entry()",
]


def test_an_idle_pool_left_open_does_not_keep_the_process() -> None:
    script = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from reelgen.core.process_end import run_then_end\n"
        "def command():\n"
        "    pool = ThreadPoolExecutor(1)\n"
        "    pool.submit(print, 'worked', flush=True).result()\n"
        "    raise SystemExit(2)  # failed with the pool still open\n"
        "run_then_end(command)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "worked\n")


def test_enhance_refusing_a_scale_after_decoding_began_ends_with_its_error(tmp_path: Path) -> None:
    clip = tmp_path / "v.mp4"
    with av.open(str(clip), "w") as out:
        stream = out.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(6):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 40 * i, np.uint8), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    # The scale is checked once the clip is open and its frames are being read ahead.
    done = subprocess.run(
        [*REELGEN, "enhance", str(clip), "--upscale", "9"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error:") and "9" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.mp4"]
