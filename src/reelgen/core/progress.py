"""Progress events with ETA and optional previews, and the cancel check run at every step."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from reelgen.core.errors import Cancelled


@dataclass(frozen=True)
class ProgressEvent:
    """One report from a running render.

    ``preview`` holds a few small uint8 frames (T, h, w, 3) of the clip being
    formed, made by a cheap latent-to-RGB projection, or None.
    """

    stage: str
    step: int
    total: int
    elapsed_s: float
    eta_s: float | None = None
    message: str = ""
    preview: np.ndarray | None = None

    @property
    def fraction(self) -> float:
        return self.step / self.total if self.total else 0.0


class CancelToken:
    """A flag another thread (Ctrl-C handler, job service) sets to stop a run."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = "cancelled"

    def cancel(self, reason: str = "cancelled") -> None:
        self.reason = reason
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise Cancelled if the run should stop; called between steps."""
        if self._event.is_set():
            # A reason that names its cause ("cancelled with Ctrl-C", "stopped by SIGTERM") is said as it is:
            # "cancelled with Ctrl-C by request" said it twice.
            said = "cancelled by request" if self.reason == "cancelled" else self.reason
            raise Cancelled(f"run {said}; no file was written")


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass
class Progress:
    """What a render reports to and listens to: an event sink, a cancel token, preview cadence."""

    on_event: ProgressCallback | None = None
    cancel: CancelToken = field(default_factory=CancelToken)
    preview_every: int = 0  # 0 turns previews off

    def stage(self, name: str, total: int) -> StageTracker:
        return StageTracker(self, name, total)

    def emit(self, event: ProgressEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)

    def wants_preview(self, step: int, total: int) -> bool:
        every = self.preview_every
        return every > 0 and (step % every == 0 or step == total)


class StageTracker:
    """Counts steps of one stage (e.g. denoise) and turns them into events with an ETA."""

    def __init__(self, progress: Progress, name: str, total: int) -> None:
        self.progress = progress
        self.name = name
        self.total = total
        self.started = time.monotonic()
        self.step_count = 0
        self.progress.cancel.check()
        self.progress.emit(ProgressEvent(name, 0, total, 0.0))

    def advance(
        self,
        step: int | None = None,
        preview: Callable[[], np.ndarray | None] | None = None,
        *,
        ready: np.ndarray | None = None,
    ) -> None:
        """Record that ``step`` steps are done; checks cancel first so no more work happens.

        ``preview`` is called on the steps that want a preview; ``ready`` is a preview
        made earlier (off the loop) that goes out with this step's event instead.
        """
        self.progress.cancel.check()
        self.step_count = self.step_count + 1 if step is None else step
        elapsed = time.monotonic() - self.started
        done = self.step_count
        eta = elapsed / done * (self.total - done) if done else None
        image = ready
        if image is None and preview is not None and self.progress.wants_preview(done, self.total):
            image = preview()
        self.progress.emit(ProgressEvent(self.name, done, self.total, elapsed, eta, preview=image))
