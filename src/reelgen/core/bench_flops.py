"""FLOPs of a benchmarked render's stages, counted exactly, and the rates they give against the bf16 roof."""

from __future__ import annotations

from typing import Any

from reelgen.core.bench_stages import StageClock


def stage_flops(runner: Any, clock: StageClock, steps: int) -> dict[str, Any]:
    """Exact FLOPs of one denoising step, the VAE decode and the text encoding (None where not countable)."""
    from reelgen.core.accel import transformers_of
    from reelgen.core.bench_models import count_flops

    pipe = runner.pipe
    out: dict[str, Any] = {}

    def counted(
        key: str, module: Any, call: Any, method: str = "forward", times: float = 1.0, real: bool = False
    ) -> None:
        if module is None or call is None:
            out[key] = None
            return
        try:
            out[key] = count_flops(module, call[0], call[1], method, real=real) * times
        except Exception as exc:  # a module that cannot run on meta tensors is reported, not fatal
            out[key] = None
            out[f"{key}_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"

    calls_per_step = clock.transformer_calls / steps if steps else 0.0
    counted("denoise_step", transformers_of(pipe)[0], clock.first_call, times=calls_per_step)
    counted("vae_decode", getattr(pipe, "vae", None), clock.decode_call, method="decode")
    # T5 reads tensor values (relative position buckets), so it is counted on its own weights.
    counted(
        "text_encode", getattr(pipe, "text_encoder", None), clock.text_call, times=clock.text_calls, real=True
    )
    out["transformer_calls_per_step"] = calls_per_step
    return out


def score(result: dict[str, Any], flops: dict[str, Any], roof: float | None) -> None:
    """Achieved TFLOP/s and fraction of the bf16 roof for each stage that has both a time and a count.

    Under a step cache most steps skip the blocks: their median is no forward's
    time, so ``step_median_s`` is None, ``step_mean_s`` is the mean over all steps
    (what a step costs on average) and the denoising step gets no rate.
    """
    from reelgen.core.accel.config import STEP_CACHES

    cached = set(result.get("accel", {}).get("lossy", {})) & set(STEP_CACHES)
    steps = result.get("steps_s") or []
    if cached and steps:
        result["step_median_s"] = None
        result["step_mean_s"] = sum(steps) / len(steps)
    stages = {
        "denoise_step": result.get("step_median_s"),
        "vae_decode": result.get("vae_decode_s"),
        "text_encode": result.get("text_encode_s"),
    }
    rates: dict[str, Any] = {}
    for stage, seconds in stages.items():
        work = flops.get(stage)
        if work and seconds:
            tflops = work / seconds / 1e12
            rates[stage] = {"tflops": tflops, "roof_fraction": tflops / roof if roof else None}
    result["rates"] = rates
