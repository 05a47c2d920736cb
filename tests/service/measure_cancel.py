"""Cancel latency inside a long denoising step, with and without the checks between blocks. Prints JSON.

    python -m tests.service.measure_cancel [--size 384] [--frames 33] [--trials 5]

``wan-tiny`` at a large size makes each step take seconds on the CPU (its
attention grows with the square of the tokens). Each trial starts a run, waits
for step 1 to begin, cancels at a random moment inside the step and times how
long ``generate`` takes to raise ``Cancelled``. The same is done with the block
hooks turned off, which is how a cancel waited for the step's end before.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import threading
import time
from typing import Any

from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.errors import Cancelled
from reelgen.core.progress import Progress, ProgressEvent
from tests.core.helpers import loaded, run


def trial(runner: Any, size: int, frames: int, step_s: float) -> float:
    """Seconds from the cancel to ``Cancelled``, the cancel falling somewhere inside step 1."""
    started = threading.Event()

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "denoise" and event.step == 1:
            started.set()

    progress = Progress(on_event=on_event)
    outcome: dict[str, float] = {}

    def render() -> None:
        with contextlib.suppress(Cancelled):
            run(runner, progress, prompt="a fox", steps=4, width=size, height=size, num_frames=frames)
        outcome["ended"] = time.perf_counter()

    thread = threading.Thread(target=render)
    thread.start()
    started.wait()
    time.sleep(random.uniform(0.1, 0.9) * step_s)  # a cancel that arrives mid-step, at any point
    progress.cancel.cancel("cancelled")
    sent = time.perf_counter()
    thread.join()
    return outcome["ended"] - sent


def step_seconds(runner: Any, size: int, frames: int) -> float:
    times: list[float] = []

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "denoise":
            times.append(time.perf_counter())

    run(
        runner,
        Progress(on_event=on_event),
        prompt="a fox",
        steps=3,
        width=size,
        height=size,
        num_frames=frames,
    )
    return statistics.median(b - a for a, b in zip(times[1:], times[2:], strict=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=384)
    parser.add_argument("--frames", type=int, default=33)
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    runner = loaded("wan-tiny")
    step_s = step_seconds(runner, args.size, args.frames)
    with_hooks = [trial(runner, args.size, args.frames, step_s) for _ in range(args.trials)]
    hooks = DiffusersBackend.cancel_between_blocks
    DiffusersBackend.cancel_between_blocks = lambda self, pipe, progress: contextlib.nullcontext()  # type: ignore[assignment,method-assign]
    try:
        without = [trial(runner, args.size, args.frames, step_s) for _ in range(args.trials)]  # hooks inert
    finally:
        DiffusersBackend.cancel_between_blocks = hooks  # type: ignore[method-assign]
    print(
        json.dumps(
            {
                "size": args.size,
                "frames": args.frames,
                "step_s": round(step_s, 2),
                "cancel_s_between_blocks": {
                    "median": round(statistics.median(with_hooks), 3),
                    "max": round(max(with_hooks), 3),
                },
                "cancel_s_step_end_only": {
                    "median": round(statistics.median(without), 3),
                    "max": round(max(without), 3),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
