"""Latent previews during denoising: on the loop (CPU) or beside it (GPU), in step order either way."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import torch

from reelgen.core.backends.plumbing import step_callback
from reelgen.core.progress import Progress, ProgressEvent


def _loop(
    steps: int, every: int, preview: Any, *, deferred: bool, pause_s: float = 0.0
) -> list[ProgressEvent]:
    """Run a pipeline's step callbacks over ``steps`` steps; the events a job would see."""
    events: list[ProgressEvent] = []
    tracker = Progress(on_event=events.append, preview_every=every).stage("denoise", steps)
    on_step_end = step_callback(tracker, preview, deferred=deferred)
    latents = torch.zeros(1, 4, 2, 8, 8)
    for i in range(steps):
        latents += 1  # in place, as some schedulers do
        on_step_end(None, i, None, {"latents": latents})
        time.sleep(pause_s)
    return events


def _picture(latents: Any) -> np.ndarray:
    """A 1x1 'preview' whose value is the step the latents were at."""
    return np.full((1, 1, 1, 3), int(latents.flatten()[0]), dtype=np.uint8)


def test_on_the_loop_a_preview_comes_with_the_steps_that_want_it() -> None:
    events = _loop(7, 3, _picture, deferred=False)
    shown = {e.step: int(e.preview[0, 0, 0, 0]) for e in events if e.preview is not None}
    assert shown == {3: 3, 6: 6, 7: 7}


def test_deferred_previews_show_the_step_they_were_asked_at_on_a_later_event() -> None:
    events = _loop(10, 2, _picture, deferred=True, pause_s=0.02)
    steps = [e.step for e in events]
    assert steps == sorted(steps), "events stay in step order"
    shown = [(e.step, int(e.preview[0, 0, 0, 0])) for e in events if e.preview is not None]
    assert shown, "previews arrive during the run"
    for step, latent_step in shown:
        # The picture is of the latents as they were when asked for, not as they are now:
        # the loop changes them in place afterwards.
        assert latent_step % 2 == 0 and latent_step < step


def test_a_slow_preview_never_holds_up_the_loop() -> None:
    release = threading.Event()

    def slow(latents: Any) -> np.ndarray:
        release.wait(10)
        return _picture(latents)

    started = time.monotonic()
    events = _loop(12, 2, slow, deferred=True)
    took = time.monotonic() - started
    release.set()
    assert took < 5, f"the loop waited for a preview ({took:.1f} s)"
    assert [e.step for e in events][-1] == 12
    assert all(e.preview is None for e in events)


def test_a_failing_preview_costs_the_picture_not_the_run() -> None:
    def broken(latents: Any) -> np.ndarray:
        raise RuntimeError("no projection for these latents")

    events = _loop(6, 1, broken, deferred=True, pause_s=0.02)
    assert [e.step for e in events][-1] == 6
    assert all(e.preview is None for e in events)
