"""The summary table `reelgen bench` prints under its JSON report: one fixed-width row per variant."""

from __future__ import annotations

from typing import Any


def summary_table(report: dict[str, Any]) -> str:
    """The report as a fixed-width table: one row per variant."""
    head = (
        f"{'variant':<18} {'e2e s':>8} {'text s':>7} {'s/step':>8} {'denoise s':>9} {'VAE s':>7} "
        f"{'MP4 s':>6} {'peak GiB':>8} {'step TF/s':>9} {'roof':>5} {'out err':>8} {'fwd err':>8}"
    )
    title = f"{report['model']} {report['size']} steps={report['steps']} guidance={report['guidance']}"
    if report.get("not_measured"):  # the dashes read as figures gone missing
        title += f"; {_UNMEASURED}"
    rows = [title]
    # On a CPU every variant ran stock diffusers, so a row named fp8 or taylorseer faster than stock
    # read as a speed-up; it is the order the runs came in (caches warming), nothing more.
    if any(
        str(r.get("accel", {}).get("reason", "")).startswith("CPU run") for r in report["variants"].values()
    ):
        rows.append(
            "on a CPU every variant runs stock diffusers (the fast path and its variants are for CUDA "
            "GPUs): the rows differ only by noise and by the order they ran in (the first pays "
            "one-time costs)"
        )
    rows.append(head)
    for name, r in report["variants"].items():
        step = r.get("rates", {}).get("denoise_step", {})
        rows.append(
            f"{name:<18} {_f(r.get('e2e_s'), 8, 2)} {_f(r.get('text_encode_s'), 7, 3)} "
            f"{_f(r.get('step_median_s') or r.get('step_mean_s'), 8, 4)} {_f(r.get('denoise_s'), 9, 2)} {_f(r.get('vae_decode_s'), 7, 3)} "
            f"{_f(r.get('mp4_encode_s'), 6, 2)} {_f(r.get('peak_vram_gib'), 8, 2)} {_rate(step.get('tflops'), 9)} "
            f"{_f(step.get('roof_fraction'), 5, 2)} {_f(r.get('output_rel_err'), 8, 1, 'e')} {_f(r.get('first_forward_rel_err'), 8, 1, 'e')}"
        )
    if any("step_mean_s" in r for r in report["variants"].values()):
        rows.append("s/step of a step-cached variant: the mean over all steps, skipped ones included")
    if report.get("error_reference"):
        rows.append(f"errors: relative to {report['error_reference']}")
    return "\n".join(rows)


_UNMEASURED = "no CUDA GPU: peak GiB (GPU memory) and roof (a bf16 GEMM on one) not measured, shown as -"


def _f(value: float | None, width: int, digits: int, style: str = "f") -> str:
    return f"{value:>{width}.{digits}{style}}" if value is not None else f"{'-':>{width}}"


def _rate(tflops: float | None, width: int) -> str:
    """TFLOP/s whole on a GPU (hundreds), to three figures below 1: a CPU's 0.03 is not 0."""
    if tflops is None or tflops >= 1:
        return _f(tflops, width, 0)
    return f"{tflops:>{width}.3g}"
