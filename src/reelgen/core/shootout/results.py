"""One trial's numbers: time per stage, peak VRAM, cost and quality metrics, read from its render record."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.shootout.plan import Trial

#: Timings a render records, in the order they happen (``total`` is all of them and the checks).
STAGES = ("locate", "load", "generate", "enhance", "encode")


class TrialResult(BaseModel):
    """How one model did on one prompt. A failed trial keeps its error and scores 0."""

    model_config = ConfigDict(extra="forbid")

    key: str
    model: str
    prompt_id: str
    prompt: str
    #: The start image this trial got: the prompt's own, else the ``--images`` file its turn gave it.
    image: str | None = None
    status: Literal["done", "failed"]
    error: dict[str, Any] | None = None
    task: str | None = None
    clip: str | None = None
    width: int | None = None
    height: int | None = None
    frames: int | None = None
    fps: float | None = None
    seed: int | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    peak_vram_gib: float | None = None
    device: str | None = None
    #: Price of the clip's own time: finding and loading the model are paid once per model, shown apart.
    cost: float | None = None
    quality: dict[str, Any] | None = None
    problems: list[str] = Field(default_factory=list)
    score: float = 0.0
    parts: dict[str, float] = Field(default_factory=dict)

    @property
    def video_seconds(self) -> float | None:
        return self.frames / self.fps if self.frames and self.fps else None


def trial_result(trial: Trial, record: dict[str, Any], clip: str, price_per_gpu_hour: float) -> TrialResult:
    """The numbers of a finished trial, from the record ``render`` wrote beside its clip."""
    timings = {k: round(float(v), 4) for k, v in (record.get("timings") or {}).items()}
    own = timings.get("total", 0.0) - timings.get("load", 0.0) - timings.get("locate", 0.0)
    request, quality = record.get("request") or {}, record.get("quality") or {}
    out = record.get("output") or {}
    device = (record.get("device") or {}).get("device")
    # Only time on a GPU is priced, as in batch summaries: a CPU run rents no GPU hour.
    on_gpu = str(device or "").startswith("cuda")
    return TrialResult(
        key=trial.key,
        model=trial.model,
        prompt_id=trial.prompt_id,
        prompt=trial.prompt,
        image=trial.image,
        status="done",
        task=request.get("task"),
        clip=clip,
        width=out.get("width"),
        height=out.get("height"),
        frames=out.get("frames"),
        fps=float(request.get("fps") or 0) or None,
        seed=request.get("seed"),
        timings=timings,
        peak_vram_gib=record.get("peak_vram_gib"),
        device=device,
        cost=round(own / 3600 * price_per_gpu_hour, 6) if on_gpu else 0.0,
        quality=quality.get("metrics"),
        problems=list(quality.get("problems") or []),
    )


def failed_result(trial: Trial, error: dict[str, Any]) -> TrialResult:
    """A trial that made no clip, with why."""
    task = trial.request.task.value if trial.request is not None else None
    return TrialResult(
        key=trial.key,
        model=trial.model,
        prompt_id=trial.prompt_id,
        prompt=trial.prompt,
        image=trial.image,
        status="failed",
        error=error,
        task=task,
    )
