"""What a worker streams back for one job: progress reports, then one result, cancellation or error.

Plain frozen dataclasses, so Ray pickles them and the dispatcher matches on
their type; nothing here imports torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProgressReport:
    """A step of a stage; ``preview`` is a small PNG (base64) of the clip being formed, or None."""

    stage: str
    step: int
    total: int
    eta_s: float | None = None
    message: str = ""
    preview: str | None = None


@dataclass(frozen=True)
class RunResult:
    """The run finished: output files by variant (``video``, ``thumbnail``, ``metadata``) as bytes.

    Files travel by value, so the worker needs no disk shared with the API.
    ``frames`` is how many frames the video holds, which the API checks by decoding it.
    """

    files: dict[str, bytes]
    frames: int | None = None
    peak_vram_gib: float | None = None
    device: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RunCancelled:
    """The run stopped at a cancel request; nothing was written."""

    message: str = "cancelled by request"


@dataclass(frozen=True)
class RunError:
    """The run failed: ``code`` is a stable name (``out_of_memory``, ``invalid_request`` ...)."""

    code: str
    message: str


WorkerEvent = ProgressReport | RunResult | RunCancelled | RunError
#: The events that end a run.
FinalEvent = RunResult | RunCancelled | RunError
