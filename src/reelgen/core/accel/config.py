"""What the fast path may do, as data: parsed from ``REELGEN_ACCEL`` or built by code (bench, tests)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Literal

from reelgen.core.errors import InvalidRequest

Attention = Literal["auto", "fa4", "sdpa"]

#: Opt-in modes that change the output beyond bf16 rounding, with what each trades away.
LOSSY_MODES: dict[str, str] = {
    "fp8": (
        "FP8 (e4m3, per-row scales) linear layers in the transformer blocks through torchao; "
        "feed-forwards with a tanh GELU cast their hidden rows to FP8 in one fused Triton kernel"
    ),
    "fp8-attention": "self-attention in FP8 (e4m3, one scale each for queries, keys and values; keys and "
    "values centred over the tokens first) through cuDNN's fused kernel; for 128-wide heads (Wan)",
    "first-block-cache": "skip the remaining blocks when the first block's residual barely changed "
    "(diffusers FirstBlockCache, threshold 0.05)",
    "taylorseer": "skip the blocks between full steps and extrapolate the transformer's output by "
    "Taylor expansion (diffusers TaylorSeer lite: full steps are the first three, then every fifth)",
}

#: The lossy modes that skip the transformer's work on some steps.
STEP_CACHES = ("first-block-cache", "taylorseer")

#: Switches that turn one part of the lossless fast path off.
_OFF_SWITCHES = ("no-compile", "no-cfg-batch", "no-vae")

ENV = "REELGEN_ACCEL"


@dataclass(frozen=True)
class AccelConfig:
    """The fast path's switches. The default is lossless within bf16 rounding; ``lossy`` opts in to more.

    ``enabled`` False runs the pipeline exactly as stock diffusers would (the benchmark's baseline).
    """

    enabled: bool = True
    attention: Attention = "auto"
    compile: bool = True
    cfg_batch: bool = True
    vae: bool = True
    lossy: tuple[str, ...] = field(default=())

    @classmethod
    def stock(cls) -> AccelConfig:
        """Nothing changed: what diffusers does on its own."""
        return cls(enabled=False, attention="sdpa", compile=False, cfg_batch=False, vae=False)

    def with_lossy(self, *modes: str) -> AccelConfig:
        return replace(self, lossy=_check_lossy(modes, "lossy"))

    def describe(self) -> str:
        if not self.enabled:
            return "off (stock diffusers)"
        parts = [f"attention {self.attention}"]
        parts += [name for name, on in (("compile", self.compile), ("cfg-batch", self.cfg_batch)) if on]
        parts += [f"lossy:{m}" for m in self.lossy]
        return ", ".join(parts)


def parse(text: str, param: str = ENV) -> AccelConfig:
    """``off``, or a comma list of ``fa4``/``sdpa``, ``no-compile``, ``no-cfg-batch``, ``no-vae`` and lossy modes.

    An empty string is the default lossless fast path.
    """
    tokens = [t.strip().lower() for t in text.split(",") if t.strip()]
    if tokens == ["off"]:
        return AccelConfig.stock()
    config = AccelConfig()
    lossy: list[str] = []
    for token in tokens:
        if token in ("fa4", "sdpa", "auto"):
            config = replace(config, attention=token)  # type: ignore[arg-type]
        elif token == "no-compile":
            config = replace(config, compile=False)
        elif token == "no-cfg-batch":
            config = replace(config, cfg_batch=False)
        elif token == "no-vae":
            config = replace(config, vae=False)
        elif token in LOSSY_MODES:
            lossy.append(token)
        else:
            valid = ["off", "auto", "fa4", "sdpa", *_OFF_SWITCHES, *LOSSY_MODES]
            raise InvalidRequest(
                f"{param}: unknown switch {token!r}; valid: {', '.join(valid)} (comma-separated; "
                "'off' alone runs stock diffusers)",
                param=param,
            )
    return replace(config, lossy=_check_lossy(tuple(lossy), param))


def _check_lossy(modes: tuple[str, ...], param: str) -> tuple[str, ...]:
    unknown = [m for m in modes if m not in LOSSY_MODES]
    if unknown:
        raise InvalidRequest(
            f"{param}: unknown lossy mode {unknown[0]!r}; valid: {', '.join(LOSSY_MODES)}", param=param
        )
    caches = [m for m in modes if m in STEP_CACHES]
    if len(caches) > 1:
        raise InvalidRequest(
            f"{param}: pick one step cache, not {' and '.join(caches)}: both skip the same blocks",
            param=param,
        )
    return tuple(dict.fromkeys(modes))


def from_env() -> AccelConfig:
    """The process's fast-path switches from ``REELGEN_ACCEL`` (unset: the lossless default)."""
    return parse(os.environ.get(ENV, ""))
