"""Seconds from `reelgen serve` to /readyz 200 and to a first finished video (ltx-tiny, 9 frames, 2 steps).

Run from the repository root, once as is and once with ``REELGEN_PREFORK=0`` to compare the workers'
template against fresh interpreters: ``.venv/bin/python benchmarks/serve_first_video.py [--port N]``.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REELGEN = str(Path(sys.executable).with_name("reelgen"))
CLIP = {"prompt": "a hen", "model": "ltx-tiny", "num_frames": 9, "num_inference_steps": 2}


def get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except (urllib.error.URLError, OSError) as exc:
        return getattr(exc, "code", 0), {}


def main(port: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="reelgen-first-video-"))
    base = f"http://127.0.0.1:{port}"
    began = time.monotonic()
    server = subprocess.Popen(
        [REELGEN, "serve", "--port", str(port), "--data-dir", str(home / "data")],
        env={**os.environ, "REELGEN_HOME": str(home / "home")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while get(base + "/readyz")[0] != 200:
            time.sleep(0.05)
        ready = time.monotonic() - began
        ask = urllib.request.Request(
            base + "/v1/videos", data=json.dumps(CLIP).encode(), headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(ask, timeout=30) as answer:
            video_id = json.loads(answer.read())["id"]
        while (status := get(f"{base}/v1/videos/{video_id}")[1].get("status")) not in (
            "completed",
            "failed",
            "cancelled",
        ):
            time.sleep(0.05)
        done = time.monotonic() - began
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(60)
    prefork = os.environ.get("REELGEN_PREFORK", "") not in ("0", "off", "no", "false")
    print(
        json.dumps(
            {
                "prefork": prefork,
                "ready_s": round(ready, 2),
                "first_video_s": round(done, 2),
                "status": status,
            }
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18441, help="a free port on 127.0.0.1 (default 18441)")
    main(parser.parse_args().port)
