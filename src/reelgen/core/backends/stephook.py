"""Per-step progress, previews and cancel from the scheduler, for pipelines whose step callback cannot give them.

HunyuanVideo 1.5's pipelines take no ``callback_on_step_end``; FramePack's
restarts its step index in every section. Both call ``scheduler.step`` once per
denoising step, so counting those calls gives one progress bar over the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from reelgen.core.progress import StageTracker

Preview = Callable[[Any], np.ndarray | None]


@contextmanager
def report_steps(scheduler: Any, tracker: StageTracker, preview: Preview | None = None) -> Iterator[None]:
    """Make every ``scheduler.step`` of one pipeline call report to ``tracker``.

    The wrapper is set as an instance attribute that shadows the class's
    ``step``; leaving the block removes it again (also when the run raises), so
    the scheduler is exactly as it was. ``tracker.advance`` raises ``Cancelled``
    once the token is set, which aborts the pipeline between two steps, before
    any VAE decode. Each call of ``step`` counts as one step, so ``tracker``'s
    total should be the number of scheduler steps the pipeline makes.
    """
    had_own = "step" in vars(scheduler)
    original = scheduler.step
    done = 0

    def step(*args: Any, **kwargs: Any) -> Any:
        nonlocal done
        out = original(*args, **kwargs)
        done += 1
        latents = out[0] if isinstance(out, tuple) else getattr(out, "prev_sample", None)
        make = (lambda: preview(latents)) if preview is not None and latents is not None else None
        tracker.advance(done, make)
        return out

    scheduler.step = step
    try:
        yield
    finally:
        if had_own:
            scheduler.step = original
        else:
            del scheduler.step


def call_counting_steps(pipe: Any, kwargs: dict[str, Any], tracker: StageTracker, preview: Preview) -> Any:
    """Run ``pipe`` once with its scheduler's steps reporting to ``tracker`` (a ``DiffusersBackend.call``)."""
    with report_steps(pipe.scheduler, tracker, preview):
        return pipe(**kwargs)
