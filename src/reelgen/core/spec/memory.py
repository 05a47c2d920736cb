"""Memory plans: which rung of the offload ladder a model's parts fit on, decided from data alone."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

GIB = 1024**3

Strategy = Literal["gpu", "text_offload", "model_offload", "group_offload", "sequential_offload", "cpu"]

#: The offload ladder, from fastest (everything resident) to leanest. ``text_offload`` keeps the
#: denoiser and VAE resident and streams the text encoders layer by layer from pinned host memory
#: (they run once per video, the denoiser once per step); ``group_offload`` streams the denoiser
#: block by block as well.
LADDER: tuple[Strategy, ...] = ("gpu", "text_offload", "model_offload", "group_offload", "sequential_offload")

#: Parts that group offload streams block by block (the denoiser).
BLOCK_PARTS = ("transformer", "unet")
#: Parts streamed layer by layer under ``text_offload`` and ``group_offload``.
TEXT_PARTS = ("text_encoder",)


def has_text_encoder(parts_gib: dict[str, float]) -> bool:
    """Whether ``text_offload`` has anything to stream (without a text encoder it is ``gpu``)."""
    return any(k.startswith(TEXT_PARTS) for k in parts_gib)


#: Of a part streamed layer by layer, the share resident at once: the running layer and the one
#: being copied in behind it (a T5/UMT5 XXL layer is about 2% of the model).
STREAMED_SHARE = 0.05

#: Bytes per weight of the dtypes presets are sized in.
DTYPE_BYTES = {"float32": 4, "bfloat16": 2, "float16": 2}


def weights_gib(parts_gib: dict[str, float], sized_in: str, held_in: str) -> float:
    """The parts' total size held in ``held_in``, from sizes given in ``sized_in`` (a preset's dtype)."""
    return sum(parts_gib.values()) * DTYPE_BYTES.get(held_in, 2) / DTYPE_BYTES.get(sized_in, 2)


#: Share of the budget we plan to fill; the rest absorbs allocator fragmentation and CUDA context.
HEADROOM = 0.9


@dataclass(frozen=True)
class DeviceInfo:
    """What the machine offers for generation."""

    device: str  # "cuda:0" or "cpu"
    name: str
    total_gib: float | None
    free_gib: float | None
    #: CUDA GPUs the machine has: a run on the CPU was asked for where there are some.
    gpus: int = 0


@dataclass(frozen=True)
class MemoryPlan:
    """How a model's parts are placed for one run, and why."""

    strategy: Strategy
    device: str
    dtype: str
    budget_gib: float | None
    need_gib: float
    vae_tiling: bool = False
    vae_slicing: bool = False
    attention_slicing: bool = False
    #: Whether the denoiser may run CFG's two passes as one batch-2 forward: the plan sized the
    #: activation peak for it. False where only the passes one at a time fit the budget.
    cfg_batch: bool = True
    recipe: str = ""  # a family's named recipe, e.g. "low-vram"
    reason: str = ""
    #: GiB the run's activations may take on this rung: the usable budget less the weights resident
    #: at the peak. A family that can size its VAE tiles spends it on tiles as large as fit.
    room_gib: float | None = None

    def describe(self) -> str:
        flags = (
            ("VAE tiling", self.vae_tiling),
            ("VAE slicing", self.vae_slicing),
            ("attention slicing", self.attention_slicing),
        )
        extras = [n for n, on in flags if on]
        if not self.cfg_batch:
            extras.append("CFG passes one at a time")
        if self.recipe:
            extras.insert(0, f"{self.recipe} recipe")
        tail = f" + {', '.join(extras)}" if extras else ""
        budget = f" of {self.budget_gib:.1f} GiB" if self.budget_gib is not None else ""
        return f"{self.strategy}{tail} on {self.device} ({self.dtype}; needs ~{self.need_gib:.1f} GiB{budget}): {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def cpu_because(device: DeviceInfo) -> str:
    """Why a run is on the CPU: asked for beside a GPU, or no GPU to run on ("no CUDA GPU" misled
    a person who had chosen the CPU on a machine with one)."""
    if device.gpus:
        return (
            f"the CPU was asked for (this machine has {device.gpus} CUDA GPU{'s' if device.gpus > 1 else ''})"
        )
    return "no CUDA GPU"


def working_set_gib(width: int, height: int, frames: int, *peaks_gib: float) -> float:
    """A run's activation peak: the larger of its stages' peaks (denoiser, VAE decode ...), plus the
    decoded clip held in float32 with its post-processed copy, plus half a GiB of runtime."""
    clip = frames * width * height * 3 * 4 * 2 / GIB
    return round(0.5 + max(peaks_gib, default=0.0) + clip, 2)


def plan_memory(
    parts_gib: dict[str, float],
    working_gib: float,
    device: DeviceInfo,
    *,
    budget_gib: float | None = None,
    dtype: str = "bfloat16",
    tiled_working_gib: float | None = None,
    split_working_gib: tuple[float, float] | None = None,
    rungs: tuple[Strategy, ...] = LADDER,
) -> MemoryPlan:
    """Pick the fastest rung of the offload ladder whose peak fits the budget.

    ``parts_gib`` are the resident sizes of the model's parts (transformer,
    text encoder, VAE ...); ``working_gib`` is the activation peak of the run
    (attention, VAE decode). The budget is ``budget_gib`` or the free VRAM.
    ``tiled_working_gib`` is the peak with VAE tiling on, where the family
    knows it (its decoder's tile size); otherwise tiling is taken to cut 40 %.
    Both count CFG's two passes batched, as the fast path runs them. A family whose
    pipeline calls its denoiser once per pass gives ``split_working_gib`` (untiled,
    tiled): the peaks with the passes one at a time. A rung that fits only that way
    is planned with ``cfg_batch`` off, before stepping further down the ladder.
    ``rungs`` narrows the ladder (the benchmark sizes one rung it was asked for);
    when none fits, the plan is the last of them, sized as leanly as it can be.
    """
    total = sum(parts_gib.values())
    if device.device == "cpu":
        # A VRAM budget has nothing to plan on the CPU; shown as "needs ~0.5 GiB of 0.1 GiB", it read
        # as a plan over budget that ran anyway.
        unused = (
            f"; a VRAM budget ({budget_gib:g} GiB) plans GPU memory, so it is not used"
            if budget_gib is not None
            else ""
        )
        return MemoryPlan(
            "cpu",
            "cpu",
            "float32",
            None,
            weights_gib(parts_gib, dtype, "float32") + working_gib,
            reason=f"{cpu_because(device)}; running on the CPU in float32{unused}",
        )
    budget = budget_gib if budget_gib is not None else (device.free_gib or 0.0)
    usable = budget * HEADROOM
    largest = max(parts_gib.values(), default=0.0)
    blocks = [v for k, v in parts_gib.items() if k.startswith(BLOCK_PARTS)]
    text = [v for k, v in parts_gib.items() if k.startswith(TEXT_PARTS)]
    # Everything else (VAE, image encoder) goes onto the GPU whole when it runs.
    whole = [v for k, v in parts_gib.items() if not k.startswith(BLOCK_PARTS + TEXT_PARTS)]
    streamed_text = STREAMED_SHARE * max(text, default=0.0)
    # VAE decode of long clips is the activation peak that tiling cuts most. Every rung tiles once
    # this is on, ``gpu`` too, so every rung is sized with the tiled peak (sizing ``gpu`` untiled
    # planned Wan 14B at 1280x720x81 on an H200 at 71.5 GiB; it peaked at 50.5).
    tiling = working_gib > 0.25 * usable
    # Per rung: the weights resident at the peak, and the share of the activation peak on top.
    # Tiling shrinks activations only: counting it against the weights too chose group offload
    # for LTX 2B in 6 GiB, whose tiled decode then ran out of memory on an H200 capped at 6 GiB.
    resident = {
        "gpu": (total, 1.0),
        "text_offload": (total - sum(text) + streamed_text, 1.0),
        "model_offload": (largest, 1.0),
        # About two block groups of the denoiser stay resident, next to the largest whole part.
        "group_offload": (max([*whole, streamed_text], default=0.0) + 0.15 * max(blocks, default=0.0), 1.0),
        "sequential_offload": (0.05 * largest, 0.5),
    }

    batched = (working_gib, tiled_working_gib if tiled_working_gib is not None else 0.6 * working_gib)

    def need(rung: str, tiled: bool, working: tuple[float, float] = batched) -> float:
        weights, share = resident[rung]
        return weights + share * working[1 if tiled else 0]

    def room(rung: str) -> float:
        return round(max(0.0, usable - resident[rung][0]), 2)

    for rung in rungs:
        if rung == "text_offload" and not has_text_encoder(parts_gib):
            continue  # nothing to stream: the same as "gpu"
        peak = need(rung, tiling)
        if peak <= usable:
            reason = f"{rung} fits: peak ~{peak:.1f} GiB within {usable:.1f} GiB usable"
            return MemoryPlan(
                rung,
                device.device,
                dtype,
                budget,
                peak,
                vae_tiling=tiling,
                vae_slicing=tiling,
                reason=reason,
                room_gib=room(rung),
            )
        if split_working_gib is not None and (split := need(rung, tiling, split_working_gib)) <= usable:
            reason = (
                f"{rung} fits with CFG's passes one at a time: peak ~{split:.1f} GiB within "
                f"{usable:.1f} GiB usable (batched ~{peak:.1f})"
            )
            return MemoryPlan(
                rung,
                device.device,
                dtype,
                budget,
                split,
                vae_tiling=tiling,
                vae_slicing=tiling,
                cfg_batch=False,
                reason=reason,
                room_gib=room(rung),
            )
    lean = split_working_gib or batched
    return MemoryPlan(
        rungs[-1],
        device.device,
        dtype,
        budget,
        need(rungs[-1], True, lean),
        vae_tiling=True,
        vae_slicing=True,
        cfg_batch=split_working_gib is None,
        reason=f"nothing fits {usable:.1f} GiB usable; trying the leanest rung anyway",
        room_gib=room(rungs[-1]),
    )


def next_rung(plan: MemoryPlan, parts_gib: dict[str, float] | None = None) -> MemoryPlan | None:
    """The plan one step down the ladder, with VAE tiling on; None at the bottom or on CPU.

    Given the model's ``parts_gib``, a model without text encoders skips ``text_offload``
    (it would place everything as ``gpu`` does).
    """
    if plan.strategy == "cpu" or plan.strategy == LADDER[-1]:
        return None
    lower = LADDER[LADDER.index(plan.strategy) + 1]
    if lower == "text_offload" and parts_gib is not None and not has_text_encoder(parts_gib):
        lower = LADDER[LADDER.index(lower) + 1]
    return replace(
        plan,
        strategy=lower,
        vae_tiling=True,
        vae_slicing=True,
        reason=f"stepped down from {plan.strategy} after CUDA out of memory",
        room_gib=None,  # the estimate just failed: families fall back to their smallest tiles
    )
