"""Jobs as the wire shows them: OpenAI's video object with reelgen's fields (bodies to requests: ``wire``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.api.schemas import (
    KeyframeAt,
    LoraChoice,
    VideoError,
    VideoMetrics,
    VideoObject,
    VideoParameters,
    VideoUrls,
)
from reelgen.jobs.kinds import ENHANCE
from reelgen.jobs.records import Job

GIB = 1024**3


def _seconds_text(job: Job) -> str:
    seconds = job.seconds
    if seconds is None and job.num_frames and job.fps:
        seconds = job.num_frames / job.fps
    if seconds is None:
        return "0"
    # To the millisecond: "{:g}" kept six digits, so a clip of 3600.125 s read "3600.12".
    return f"{seconds:.3f}".rstrip("0").rstrip(".")


def _metrics(job: Job) -> VideoMetrics:
    m = job.metrics or {}
    peak = m.get("peak_vram_gib")
    queued = m.get("queue_s")
    if queued is None and job.started_at:  # running: the wait is over, though the run has not ended
        queued = round(max(0.0, job.started_at - job.created_at), 3)
    return VideoMetrics(
        queue_seconds=queued,
        run_seconds=m.get("run_s"),
        gpu_seconds=m.get("gpu_s"),
        peak_vram_bytes=int(peak * GIB) if isinstance(peak, int | float) else None,
        cost_usd=m.get("cost"),
    )


def _lora_name(path: str, lora_dir: Path | None) -> str:
    """A LoRA as a create body names it: its path inside the LoRA folder, else (a file given by path
    to the CLI, or a folder since moved) its file name, so no server path is shown."""
    file = Path(path)
    if lora_dir is not None:
        root = lora_dir.expanduser().resolve()
        if file.is_relative_to(root):
            return file.relative_to(root).as_posix()
    return file.name


def _pins_and_loras(p: dict[str, Any], lora_dir: Path | None) -> dict[str, Any]:
    """The end image (whether there was one), keyframes without their images, LoRAs by name."""
    keys = [k for k in p.get("keyframes") or [] if isinstance(k, dict)]
    loras = [lora for lora in p.get("loras") or [] if isinstance(lora, dict) and lora.get("path")]
    return {
        "end_image": bool(p.get("end_image")),
        "keyframes": [KeyframeAt(frame=k.get("frame", 0), strength=k.get("strength", 1.0)) for k in keys],
        # Constructed, not validated: a strength the CLI allowed is shown as it was, even past the wire's.
        "loras": [
            LoraChoice.model_construct(
                name=_lora_name(str(lora["path"]), lora_dir), strength=lora.get("strength", 1.0)
            )
            for lora in loras
        ],
    }


def _parameters(job: Job, lora_dir: Path | None = None) -> VideoParameters | None:
    """The render's resolved settings, read from its stored request (other kinds have none)."""
    p = job.payload
    if job.kind not in ("render", "avatar") or not isinstance(p, dict):
        return None
    two_experts, sound = _model_takes(job.model)
    return VideoParameters(
        task=p.get("task"),
        negative_prompt=p.get("negative_prompt"),
        num_inference_steps=p.get("steps"),
        guidance_scale=p.get("guidance"),
        guidance_scale_2=p.get("guidance_2") if two_experts else None,
        # Only a restyle of a source clip uses it: shown on every text-to-video video, sent back with
        # the rest of the parameters it made a 400 ("source_strength needs a source_video"); an extend
        # or a dub carries the default that no runner reads, and the API refuses one sent with either.
        source_strength=p.get("source_strength") if _restyles(p) else None,
        audio=p.get("audio") if sound else None,
        options=p.get("options") or {},
        input_reference=bool(p.get("start_image")),
        source_video=bool(p.get("source_video")),
        size=f"{p['width']}x{p['height']}" if p.get("width") and p.get("height") else None,
        num_frames=p.get("num_frames"),
        fps=p.get("fps"),
        **_enhancement(p.get("enhance") or []),
        **_pins_and_loras(p, lora_dir),
    )


def _restyles(payload: dict[str, Any]) -> bool:
    """Whether the stored request remade its source clip (video-to-video), the one task that reads
    ``source_strength``."""
    return bool(payload.get("source_video")) and payload.get("task") in ("v2v", None)


def _model_takes(model: str) -> tuple[bool, bool]:
    """Whether ``model`` has a second guidance scale (two experts) and makes sound; both for a model
    the registry no longer knows, so nothing it was made with goes unsaid."""
    from reelgen.core.spec import registry
    from reelgen.core.spec.request import Task

    found = registry.presets().get(model)
    if found is None:
        return True, True
    preset = found[1]
    return preset.guidance_2 is not None, Task.AUDIO in preset.tasks


def _enhancement(steps: list[Any]) -> dict[str, Any]:
    """The create fields an enhancement chain came from: a factor or rate and its interpolator, a
    scale and its upscaler (by the name a body takes; a checkpoint file given to the CLI is not named)."""
    out: dict[str, Any] = {}
    for step in steps:
        if not isinstance(step, dict):
            continue
        options = step.get("options") or {}
        # A step holds every option, unset ones as None: a factor's step has target_fps None ("None").
        if options.get("scale") is not None:
            out["upscale"] = options["scale"]
            out["upscaler"] = _upscaler_name(step.get("name"), options.get("model"))
            continue
        if options.get("factor") is not None:
            out["interpolate"] = options["factor"]
        if options.get("target_fps") is not None:
            out["target_fps"] = str(options["target_fps"])
        out["interpolator"] = step.get("name")
    return out


def _upscaler_name(method: Any, model: Any) -> str | None:
    """The ``upscaler`` a body would send for this step: a named model, else the method; None for a
    checkpoint file, which cannot be named over HTTP."""
    from reelgen.core.enhance.upscale.models import NAMED

    if model is None:
        return str(method) if method else None
    return str(model) if model in NAMED else None


def video_object(
    job: Job, base: str, queue_position: int | None, retention_days: float, lora_dir: Path | None = None
) -> VideoObject:
    """A job as OpenAI's video object plus reelgen's fields; ``base`` is the server's URL root and
    ``lora_dir`` the LoRA folder its LoRAs are named inside."""
    own = f"{base}/v1/videos/{job.id}"
    done = job.status.value == "completed"
    expires = None
    if done and job.completed_at is not None and retention_days > 0:
        expires = int(job.completed_at + retention_days * 86400)
    error = job.error
    return VideoObject(
        id=job.id,
        model=job.model,
        status=job.status.value,
        progress=max(0, min(100, job.progress)),
        created_at=int(job.created_at),
        started_at=int(job.started_at) if job.started_at else None,
        completed_at=int(job.completed_at) if job.completed_at else None,
        expires_at=expires,
        error=VideoError(**error) if error else None,
        prompt=job.prompt,
        # The job record keeps one source for both; an enhancement named it as remixed_from_video_id,
        # which OpenAI's clients (and the page) read as a remix with a new prompt.
        remixed_from_video_id=job.remixed_from if job.kind != ENHANCE else None,
        enhanced_from_video_id=job.remixed_from if job.kind == ENHANCE else None,
        seconds=_seconds_text(job),
        size=job.size or "",
        width=job.width,
        height=job.height,
        seed=job.seed,
        num_frames=job.num_frames,
        fps=job.fps,
        priority=job.priority,
        queue_position=queue_position,
        attempts=job.attempts,
        urls=VideoUrls(
            self=own,
            content=f"{own}/content" if done and not job.data_removed else None,
            thumbnail=f"{own}/content?variant=thumbnail" if done and not job.data_removed else None,
            events=f"{own}/events",
            cancel=f"{own}/cancel",
        ),
        metrics=_metrics(job),
        metadata={str(k): str(v) for k, v in job.metadata.items()} or None,
        parameters=_parameters(job, lora_dir),
    )
