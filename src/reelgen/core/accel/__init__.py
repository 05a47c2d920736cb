"""The one place that decides how a transformer runs: attention kernel, compile, CFG batching, VAE, lossy modes.

``prepare(pipe, plan, config)`` applies the fast path to a loaded, placed
pipeline and returns an ``Accel`` whose ``record`` goes into every video's
metadata and whose ``running(pipe)`` wraps each pipeline call. The default is
lossless within bf16 rounding; lossy modes run only when named in
``REELGEN_ACCEL`` and are labelled in the record. Nothing here fails a render
for want of speed: a kernel or compiler that cannot run falls back, and the
record says why.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reelgen.core.accel.config import LOSSY_MODES, AccelConfig, from_env, parse
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.memory import MemoryPlan

__all__ = ["LOSSY_MODES", "Accel", "AccelConfig", "from_env", "parse", "prepare", "transformers_of"]

log = logging.getLogger(__name__)

#: Plans whose blocks hold all their weights on the GPU while they run. Under group offload each
#: block's weights arrive in its pre-forward hook, which diffusers keeps out of the graph
#: (``torch.compiler.disable``); sequential offload moves weights layer by layer inside a block.
_COMPILE_PLANS = ("gpu", "text_offload", "model_offload", "group_offload")
#: Plans that move weights layer by layer on every call; batching CFG there would double the
#: activation peak the plan was sized for without saving a transfer.
_NO_CFG_BATCH_PLANS = ("sequential_offload", "cpu")


@dataclass
class Accel:
    """What ``prepare`` did to a pipeline, and the per-call settings that go with it."""

    config: AccelConfig
    record: dict[str, Any] = field(default_factory=dict)
    cfg_hooks: list[Any] = field(default_factory=list)
    cudnn_attention: bool = False

    @property
    def frames_on_device(self) -> bool:
        """Decoded frames stay on the GPU until they are uint8 (lossless: the same float32 arithmetic).

        Stock diffusers copies float32 frames to the host and reelgen then converted
        them there: 2-3 s of CPU for 121 frames at 768x512, longer than the whole
        8-step denoise on an H200.
        """
        return self.config.enabled and self.config.vae and bool(self.record.get("fast_path"))

    @contextlib.contextmanager
    def running(self, pipe: Any) -> Iterator[None]:
        """Settings for one pipeline call: SDPA kernel order, conv autotuning, CFG pairing."""
        if not self.config.enabled or not self.record.get("fast_path"):
            yield
            return
        from reelgen.core.accel import cfg, vae

        with contextlib.ExitStack() as stack:
            if self.cudnn_attention:
                stack.enter_context(_cudnn_first())
            if self.config.vae:
                stack.enter_context(vae.tuned_convolutions())
            if self.cfg_hooks and cfg.two_call_cfg(pipe):
                stack.enter_context(cfg.pairing(pipe, self.cfg_hooks))
            yield


def transformers_of(pipe: Any) -> list[Any]:
    """The pipeline's denoisers (``transformer``, ``transformer_2``), the modules the fast path changes."""
    found = []
    for name, module in getattr(pipe, "components", {}).items():
        if name.startswith("transformer") and hasattr(module, "set_attention_backend"):
            found.append(module)
    return found


def prepare(pipe: Any, plan: MemoryPlan, config: AccelConfig | None = None) -> Accel:
    """Apply the fast path (and any lossy modes asked for) to ``pipe``, placed by ``plan``."""
    config = config or from_env()
    models = transformers_of(pipe)
    _undo(pipe, models)
    if not config.enabled:
        return Accel(config, {"fast_path": False, "reason": "off: stock diffusers (REELGEN_ACCEL=off)"})
    if plan.device == "cpu" or not plan.device.startswith("cuda"):
        return Accel(config, {"fast_path": False, "reason": "CPU run: the fast path is for CUDA GPUs"})
    if not models:
        return Accel(config, {"fast_path": False, "reason": "no diffusers transformer in this pipeline"})
    accel = Accel(config, {"fast_path": True, "lossless": not config.lossy, "config": config.describe()})
    for model in models:
        model._reelgen_accel = True  # marks what _undo has to put back
    _attention(accel, models, plan)
    _lossy(accel, models, before_compile=True)
    _compile(accel, models, plan)
    _lossy(accel, models, before_compile=False)
    _cfg_batch(accel, pipe, models, plan)
    accel.record["vae"] = (
        "cuDNN autotuned convolutions; frames made uint8 on the GPU" if config.vae else "default"
    )
    log.info("fast path: %s", accel.record)
    return accel


def _undo(pipe: Any, models: list[Any]) -> None:
    """Put back what an earlier ``prepare`` changed (not FP8: quantized weights stay quantized)."""
    touched = [m for m in models if getattr(m, "_reelgen_accel", False)]
    if not touched:
        return
    from reelgen.core.accel import attention, cfg, lossy
    from reelgen.core.accel import compile as regional

    attention.reset(touched)
    cfg.uninstall(touched)
    for model in touched:
        lossy.drop_step_cache(model)  # its hooks hold the compiled forwards: off before uncompiling
        regional.uncompile_blocks(model)
        model._reelgen_accel = False


def _attention(accel: Accel, models: list[Any], plan: MemoryPlan) -> None:
    from reelgen.core.accel import attention

    head_dims = {int(d) for m in models if (d := m.config.get("attention_head_dim"))}
    if any(
        getattr(getattr(mod, "processor", None), "_parallel_config", None)
        for m in models
        for mod in m.modules()
    ):
        # Context parallelism needs a backend diffusers knows how to split; leave attention as it is.
        if "fp8-attention" in accel.config.lossy:
            raise InvalidRequest(
                "lossy mode fp8-attention does not combine with context parallelism (reelgen's FP8 kernel "
                "cannot be split across GPUs); drop one of them",
                param="REELGEN_ACCEL",
            )
        accel.record |= {"attention": "unchanged", "attention_reason": "context parallelism is on"}
        return
    if not head_dims:
        choice = attention.AttentionChoice("sdpa", "the transformer's config names no attention_head_dim")
    else:
        choice = attention.choose(accel.config.attention, plan.device, head_dims)
    fp8 = "fp8-attention" in accel.config.lossy
    if fp8:
        _check_fp8_attention(plan.device, head_dims)
    attention.apply(models, choice, fp8=fp8)
    accel.cudnn_attention = _cudnn_available()
    kernel = choice.kernel if choice.kernel == "fa4" else ("sdpa-cudnn" if accel.cudnn_attention else "sdpa")
    accel.record |= {"attention": kernel, "attention_reason": choice.reason}
    if fp8:
        # The lossless kernel above still runs text cross-attention; self-attention goes to FP8.
        done = {"kernel": "cudnn-fp8 (self-attention)", "what": LOSSY_MODES["fp8-attention"]}
        accel.record["lossy"] = accel.record.get("lossy", {}) | {"fp8-attention": done}


def _check_fp8_attention(device: str, head_dims: set[int]) -> None:
    """Refuse ``fp8-attention`` where cuDNN's FP8 kernel cannot run or is not worth it, saying why."""
    from reelgen.core.accel import fp8_attention

    ok, reason = fp8_attention.status(device, tuple(sorted(head_dims)))
    if not ok:
        raise InvalidRequest(
            f"lossy mode fp8-attention cannot run here: {reason}; drop it from REELGEN_ACCEL",
            param="REELGEN_ACCEL",
        )


def _lossy(accel: Accel, models: list[Any], *, before_compile: bool) -> None:
    """FP8 swaps weights, so it goes before compiling; step caches hook the compiled blocks, after."""
    from reelgen.core.accel import lossy

    done: dict[str, Any] = {}
    for mode in accel.config.lossy:
        if mode == "fp8-attention" or (mode == "fp8") != before_compile:
            continue  # fp8-attention is a routing of the attention backend (``_attention``)
        if mode == "fp8":
            done[mode] = {"layers": sum(lossy.fp8_linears(m) for m in models), "what": LOSSY_MODES[mode]}
        else:
            settings = [lossy.step_cache(m, mode) for m in models]
            done[mode] = {"settings": settings[0], "what": LOSSY_MODES[mode]}
    if done:
        accel.record["lossy"] = accel.record.get("lossy", {}) | done


def _compile(accel: Accel, models: list[Any], plan: MemoryPlan) -> None:
    from reelgen.core.accel import compile as regional

    if not accel.config.compile:
        accel.record["compiled"], accel.record["compile_reason"] = [], "off (REELGEN_ACCEL=no-compile)"
        return
    if plan.strategy not in _COMPILE_PLANS:
        accel.record["compiled"] = []
        accel.record["compile_reason"] = (
            f"not with {plan.strategy}: offload hooks move weights inside the blocks"
        )
        return
    import torch

    from reelgen.core.accel.lossy import fp8_compile_options

    torch._dynamo.config.suppress_errors = True  # a block that cannot compile runs eagerly instead
    fp8 = "fp8" in accel.config.lossy
    names = sorted(
        {n for m in models for n in regional.compile_blocks(m, fp8_compile_options(m) if fp8 else None)}
    )
    accel.record["compiled"] = names
    accel.record["compile_reason"] = (
        f"regional: {', '.join(names)} compiled once, static shapes, cache {regional.cache_dir()}"
        if names
        else "the transformer declares no repeated blocks"
    )


def _cfg_batch(accel: Accel, pipe: Any, models: list[Any], plan: MemoryPlan) -> None:
    from reelgen.core.accel import cfg

    if not accel.config.cfg_batch or plan.strategy in _NO_CFG_BATCH_PLANS:
        accel.record["cfg_batched"] = False
        return
    if not plan.cfg_batch:
        accel.record["cfg_batched"] = "off: the memory plan fits only one CFG pass at a time"
        return
    if cfg.two_call_cfg(pipe):
        accel.cfg_hooks = cfg.install(models)
        accel.record["cfg_batched"] = True
    else:
        accel.record["cfg_batched"] = "by the pipeline"


def _cudnn_available() -> bool:
    import torch

    return bool(torch.backends.cuda.cudnn_sdp_enabled()) and torch.backends.cudnn.is_available()


@contextlib.contextmanager
def _cudnn_first() -> Iterator[None]:
    """SDPA tries cuDNN's attention first (faster on Hopper), then flash, efficient and math."""
    from torch.nn.attention import SDPBackend, sdpa_kernel

    order = [
        SDPBackend.CUDNN_ATTENTION,
        SDPBackend.FLASH_ATTENTION,
        SDPBackend.EFFICIENT_ATTENTION,
        SDPBackend.MATH,
    ]
    with sdpa_kernel(order, set_priority=True):
        yield
