"""Per-stage clocks for one pipeline call: text encoding, each denoising step, VAE decode, without host syncs.

CUDA events are recorded at each boundary (the pipeline's ``encode_prompt``
returning, every step callback, ``vae.decode`` entering and leaving) and read
once the call is over, so timing adds no synchronisation to the loop it
measures. Peak memory per stage comes from the allocator's own counters,
reset at each boundary. The transformer's first call is kept (inputs and
output) so its FLOPs can be counted and its output compared between runs.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reelgen.core.progress import ProgressEvent

GIB = 1024**3


@dataclass
class StageClock:
    """Boundary events and peaks of one pipeline call on ``device`` (a CUDA device, or the CPU)."""

    device: str
    marks: list[tuple[str, Any]] = field(default_factory=list)
    peaks: dict[str, float] = field(default_factory=dict)
    transformer_calls: int = 0
    first_call: tuple[tuple[Any, ...], dict[str, Any]] | None = None
    first_output: Any = None
    frames: Any = None
    decode_call: tuple[tuple[Any, ...], dict[str, Any]] | None = None
    text_call: tuple[tuple[Any, ...], dict[str, Any]] | None = None
    text_calls: int = 0

    @property
    def cuda(self) -> bool:
        return self.device.startswith("cuda")

    def mark(self, name: str, peak_stage: str | None = None) -> None:
        """Note the time at a boundary; ``peak_stage`` names the stage that just ended (its peak is read)."""
        import torch

        if self.cuda:
            event = torch.cuda.Event(enable_timing=True)
            event.record()
            self.marks.append((name, event))
            if peak_stage is not None:
                peak = torch.cuda.max_memory_allocated(self.device) / GIB
                self.peaks[peak_stage] = max(self.peaks.get(peak_stage, 0.0), peak)
            torch.cuda.reset_peak_memory_stats(self.device)
        else:
            self.marks.append((name, time.perf_counter()))

    def on_event(self, event: ProgressEvent) -> None:
        if event.stage == "denoise" and event.step > 0:
            self.mark(f"step{event.step}", peak_stage="denoise")

    def stage_seconds(self) -> dict[str, Any]:
        """Seconds per stage once the call is over (waits for the GPU once, here)."""
        import torch

        if self.cuda:
            torch.cuda.synchronize(self.device)

        def between(a: Any, b: Any) -> float:
            return a.elapsed_time(b) / 1e3 if self.cuda else b - a

        at = dict(self.marks)
        steps = [at[n] for n, _ in self.marks if n.startswith("step")]
        out: dict[str, Any] = {}
        if "start" in at and "text_end" in at:
            out["text_encode_s"] = between(at["start"], at["text_end"])
        first = at.get("text_end", at.get("start"))
        if steps and first is not None:
            out["steps_s"] = [between(a, b) for a, b in zip([first, *steps[:-1]], steps, strict=True)]
            out["denoise_s"] = between(first, steps[-1])
        if "decode_start" in at and "decode_end" in at:
            out["vae_decode_s"] = between(at["decode_start"], at["decode_end"])
        if "decode_end" in at and "frames_end" in at:
            out["postprocess_s"] = between(at["decode_end"], at["frames_end"])
        return out


def _keep(value: Any) -> Any:
    """A detached copy of call arguments, so later in-place updates do not change what was recorded."""
    import torch

    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, tuple | list):
        return type(value)(_keep(v) for v in value)
    if isinstance(value, dict):
        return {k: _keep(v) for k, v in value.items()}
    return value


@contextlib.contextmanager
def watching(clock: StageClock, pipe: Any, transformer: Any) -> Iterator[StageClock]:
    """Instrument ``pipe`` for one call: boundaries on encode, decode and frames; the first transformer call."""
    encode, decode = pipe.encode_prompt, pipe.vae.decode
    postprocess = pipe.video_processor.postprocess_video
    text_encoder = getattr(pipe, "text_encoder", None)

    def encode_prompt(*args: Any, **kwargs: Any) -> Any:
        result = encode(*args, **kwargs)
        clock.mark("text_end", peak_stage="text_encode")
        return result

    def vae_decode(*args: Any, **kwargs: Any) -> Any:
        clock.mark("decode_start", peak_stage="denoise")
        if clock.decode_call is None:
            clock.decode_call = (_keep(args), _keep(kwargs))
        result = decode(*args, **kwargs)
        clock.mark("decode_end", peak_stage="vae_decode")
        return result

    def postprocess_video(*args: Any, **kwargs: Any) -> Any:
        frames = postprocess(*args, **kwargs)
        # output_type "pt" is (B, F, C, H, W); keep (B, F, H, W, C) like "np", so variants compare.
        clock.frames = frames.permute(0, 1, 3, 4, 2) if hasattr(frames, "permute") else frames
        clock.mark("frames_end")
        return frames

    def before(module: Any, args: Any, kwargs: Any) -> None:
        clock.transformer_calls += 1
        if clock.first_call is None:
            clock.first_call = (_keep(args), _keep(kwargs))

    def after(module: Any, args: Any, kwargs: Any, output: Any) -> None:
        if clock.first_output is None:
            clock.first_output = _keep(output[0] if isinstance(output, tuple) else output.sample)

    def text_before(module: Any, args: Any, kwargs: Any) -> None:
        clock.text_calls += 1
        if clock.text_call is None:
            clock.text_call = (_keep(args), _keep(kwargs))

    hooks = [
        transformer.register_forward_pre_hook(before, with_kwargs=True),
        transformer.register_forward_hook(after, with_kwargs=True),
    ]
    if text_encoder is not None:
        hooks.append(text_encoder.register_forward_pre_hook(text_before, with_kwargs=True))
    pipe.encode_prompt, pipe.vae.decode = encode_prompt, vae_decode
    pipe.video_processor.postprocess_video = postprocess_video
    clock.mark("start")
    try:
        yield clock
    finally:
        for hook in hooks:
            hook.remove()
        del pipe.encode_prompt, pipe.vae.decode, pipe.video_processor.postprocess_video
