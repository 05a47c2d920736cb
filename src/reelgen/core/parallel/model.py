"""Spread a loaded runner over the run's processes: split attention, share guidance, place the decode.

What each part of the pipeline does on N processes:

- text encoder: every process encodes the prompts on its own device, at the same time;
  nothing waits on a broadcast, and the embeddings are bit-identical everywhere.
- denoiser: guidance halves (``cfg``) and diffusers' context parallelism (Ulysses or
  ring) inside each half; every step ends with the full prediction on every process.
- VAE decode: pipelined by layers over the first processes (Wan, ``decode.py``) or
  rank 0 alone (LTX). The other processes stop there and free their devices; rank 0
  then enhances, checks, encodes and records.
"""

from __future__ import annotations

import contextlib
from typing import Any

import torch

from reelgen.core.backends.base import DiffusersBackend, Runner
from reelgen.core.devices import peak_gib
from reelgen.core.errors import InvalidRequest
from reelgen.core.parallel import cfg as cfg_hooks
from reelgen.core.parallel.decode import pipeline
from reelgen.core.parallel.group import GroupCancel, RankGroup
from reelgen.core.parallel.layout import FamilyTraits, Layout, ParallelOptions, check_family, plan_layout
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import ResolvedRequest

#: Memory plans a split run can use: each process keeps its denoiser resident while it runs.
#: Block-streaming offloads move weights under the split's hooks, which diffusers does not support.
PLACEMENTS = ("gpu", "text_offload", "model_offload", "cpu")


class RankFinished(Exception):  # noqa: N818 - a signal, not a failure
    """Raised on ranks other than 0 once their part of the decode is done: their share of the run is over."""


def parallelize(
    runner: Runner, group: RankGroup, request: ResolvedRequest, options: ParallelOptions, cancel: GroupCancel
) -> dict[str, Any]:
    """Hook ``runner``'s modules for this process's share of ``request``; returns the record's ``parallel``."""
    # 1. Only diffusers families the layer knows, on a placement that keeps the denoiser resident.
    traits = check_family(runner.spec.family, runner.spec.label, group.world)
    assert isinstance(runner, DiffusersBackend)
    if runner.plan is not None:
        check_placement(runner.preset.name, runner.plan, group.device)
    pipe = runner.pipe
    transformers = [getattr(pipe, n) for n in traits.transformers if getattr(pipe, n, None) is not None]

    # 2. The layout: guidance halves, then attention inside each half.
    heads = int(transformers[0].config.num_attention_heads)
    tokens = traits.tokens(runner, request)
    layout = plan_layout(group.world, request.guidance, heads, tokens, options, group.on_cuda)
    split = layout.attention
    mesh = group.mesh(layout.cfg, split.ring, split.ulysses)

    # 3. Hook every denoiser: attention split first, guidance outermost.
    backend = None
    for transformer in transformers:
        if split.degree > 1:
            backend = _split_attention(transformer, traits, layout, mesh, group)
        if layout.cfg > 1:
            half = group.rank // split.degree
            cfg_hooks.apply(transformer, traits.cfg_calls, half, layout.cfg, mesh["cfg"].get_group())
    if layout.cfg > 1:
        _no_cfg_batching(runner, transformers)

    # 4. Place the decode; the record lists every process's device.
    record = {
        **layout.as_dict(),
        "backend": group.backend,
        "attention_backend": backend,
        "devices": group.gather(_device_record(group)),
        "text_encoder": "every process, on its own device",
    }
    _decode_on_leader(pipe.vae, traits, group, cancel, record)
    return record


def check_placement(model: str, plan: MemoryPlan, device: str) -> None:
    """Refuse a memory plan that streams the denoiser's blocks: the split's hooks need it resident."""
    if plan.strategy not in PLACEMENTS:
        raise InvalidRequest(
            f"{model} needs {plan.strategy} on {device}; a run over several GPUs keeps "
            f"the denoiser resident on each ({', '.join(PLACEMENTS)}). Use GPUs with more memory, a "
            "smaller size, or --gpus 1",
            param="gpus",
        )


def _split_attention(
    transformer: Any, traits: FamilyTraits, layout: Layout, mesh: Any, group: RankGroup
) -> str:
    """diffusers' context parallelism on ``transformer``; returns the attention backend it runs on."""
    from diffusers import ContextParallelConfig

    if getattr(transformer, "_cp_plan", None) is None:
        raise InvalidRequest(
            f"{type(transformer).__name__} cannot be split over GPUs (diffusers has no plan for it); "
            "share only the guidance passes (an even --gpus up to 2) or use --gpus 1",
            param="gpus",
        )
    split = layout.attention
    config = ContextParallelConfig(
        ulysses_degree=split.ulysses,
        ring_degree=split.ring,
        ulysses_anything=split.uneven and split.ring == 1,
        ring_anything=split.uneven and split.ulysses == 1 and split.ring > 1,
        mesh=mesh,
    )
    backend = _split_kernel(transformer, ring=split.ring > 1)
    plan = _video_only_plan(transformer) if traits.local_cross_attention else None
    with _cpu_device_count(group):
        transformer.enable_parallelism(config=config, cp_plan=plan)
    # Only whole layers a LoRA can wrap: no wildcards in these plans, and "" is the transformer.
    keys = [key for key in (plan or transformer._cp_plan) if key and "*" not in key]
    transformer.register_forward_pre_hook(lambda module, _: follow_lora_wrappers(module, keys))
    if traits.local_cross_attention:
        _keep_cross_attention_local(transformer, default_kernel=split.ring > 1)
    return backend


def follow_lora_wrappers(transformer: Any, keys: list[str]) -> None:
    """Move the split's output gathers from a layer a LoRA has wrapped since onto its wrapper.

    LoRAs load after the split (each request brings its own), and peft puts a wrapper in
    the layer's place that adds its term to the layer's output. The gather on Wan's and
    LTX's ``proj_out`` stayed on the wrapped layer, so a LoRA on it (Wan LoRAs often carry
    ``head.head``) added the term of a process's share of the tokens to all of them: "The
    size of tensor a (48) must match the size of tensor b (24)" at the first step.
    """
    from diffusers.hooks import HookRegistry
    from diffusers.hooks.context_parallel import _CONTEXT_PARALLEL_OUTPUT_HOOK_TEMPLATE as GATHER

    for key in keys:
        wrapper = transformer.get_submodule(key)
        registry = getattr(getattr(wrapper, "base_layer", None), "_diffusers_hook", None)
        hook = registry.get_hook(GATHER.format(key)) if registry is not None else None
        if registry is None or hook is None:  # not wrapped, or moved on an earlier call
            continue
        registry.remove_hook(GATHER.format(key), recurse=False)
        HookRegistry.check_if_exists_or_initialize(wrapper).register_hook(
            type(hook)(hook.metadata, hook.parallel_config), GATHER.format(key)
        )


#: diffusers kernels that return the log-sum-exp ring attention merges its blocks with.
RING_KERNELS = frozenset(
    {"flash", "flash_hub", "_flash_3_hub", "_native_cudnn", "_native_flash", "sage", "sage_hub"}
)


def _split_kernel(transformer: Any, ring: bool) -> str:
    """The attention kernel the split runs on: the model's own where diffusers can split it.

    Otherwise torch SDPA (``native``) for Ulysses, ``_native_flash`` for ring; a kernel
    without a context-parallel path in diffusers (the fast path's FA4 backend among them)
    would make ``enable_parallelism`` refuse, so the split takes precedence.
    """
    from diffusers.models.attention_dispatch import _AttentionBackendRegistry

    processors = [
        m.processor
        for m in transformer.modules()
        if hasattr(getattr(m, "processor", None), "_attention_backend")
    ]
    current = next((p._attention_backend for p in processors if p._attention_backend is not None), None)
    name = str(getattr(current, "value", current or _AttentionBackendRegistry.get_active_backend()[0].value))
    if ring and name not in RING_KERNELS:
        want = "_native_flash"
    elif not ring and name not in _AttentionBackendRegistry._supports_context_parallel:
        want = "native"
    else:
        return name
    transformer.set_attention_backend(want)
    return f"{want} (not {name}: no context-parallel path for it in diffusers)" if name != "native" else want


def _video_only_plan(transformer: Any) -> dict[str, Any]:
    """The transformer's split plan without its text inputs: video tokens (and per-token timesteps) only."""
    from diffusers.models._modeling_parallel import ContextParallelInput

    plan = dict(transformer._cp_plan)
    plan[""] = {
        "hidden_states": ContextParallelInput(split_dim=1, expected_dims=3, split_output=False),
        # Image-to-video pipelines give each token its own timestep (B, N); a plain (B,) one stays whole.
        "timestep": ContextParallelInput(split_dim=1, expected_dims=2, split_output=False),
    }
    return plan


def _no_cfg_batching(runner: DiffusersBackend, transformers: list[Any]) -> None:
    """The fast path's batch-of-two guidance would run both passes on half 0: guidance is split instead."""
    accel = getattr(runner, "accel", None)
    if accel is None or not getattr(accel, "cfg_hooks", None):
        return
    from reelgen.core.accel import cfg as accel_cfg

    accel_cfg.uninstall(transformers)
    accel.cfg_hooks = []
    accel.record["cfg_batched"] = "off: the two guidance passes run on different GPUs"


def _keep_cross_attention_local(transformer: Any, default_kernel: bool) -> None:
    """Cross-attention of each process's video tokens against the whole text, with the whole mask.

    With ``default_kernel`` it goes back to the default kernel: the ring kernel set for
    self-attention (``_native_flash``) takes no mask, and the text attention is never split.
    """
    for block in transformer.transformer_blocks:
        attn = block.attn2
        if attn.processor is block.attn1.processor:
            attn.set_processor(type(attn.processor)())
        attn.processor._parallel_config = None
        if default_kernel:
            attn.processor._attention_backend = None


@contextlib.contextmanager
def _cpu_device_count(group: RankGroup) -> Any:
    """On the CPU, report one device while diffusers picks the process's device.

    diffusers 0.42 computes ``rank % torch.accelerator.device_count()``, which is a division
    by zero on a machine without an accelerator; the mesh passed in is what it really uses.
    """
    if group.on_cuda:
        yield
        return
    real = torch.accelerator.device_count
    torch.accelerator.device_count = lambda: 1
    try:
        yield
    finally:
        torch.accelerator.device_count = real


def _device_record(group: RankGroup) -> dict[str, Any]:
    record: dict[str, Any] = {"rank": group.rank, "device": group.device, "name": "CPU"}
    if group.on_cuda:
        index = torch.cuda.current_device()
        props = torch.cuda.get_device_properties(index)
        record |= {"name": props.name, "uuid": str(props.uuid), "total_gib": props.total_memory / 1024**3}
    return record


def _decode_on_leader(
    vae: Any, traits: FamilyTraits, group: RankGroup, cancel: GroupCancel, record: dict[str, Any]
) -> None:
    """Wrap ``vae.decode``: the last point every process reaches together.

    There each process adds its peak memory to the record and the cancel checks stop
    voting. Wan's decode is pipelined by layers over the first processes (``decode``);
    otherwise rank 0 decodes alone. Processes with no more to do raise ``RankFinished``.
    """
    # Every stage must take the same path through the VAE (tiled or not), whatever its own plan said.
    vae.use_tiling, vae.use_slicing = group.gather(
        (getattr(vae, "use_tiling", False), getattr(vae, "use_slicing", False))
    )[0]
    stages, decode = pipeline(vae, group) if traits.pipelined_decode else (1, None)
    record["vae_decode"] = "rank 0" if stages == 1 else f"pipelined by layers over ranks 0-{stages - 1}"
    real = vae.decode

    def decode_on_leader(*args: Any, **kwargs: Any) -> Any:
        peaks = group.gather(peak_gib(group.device))
        for device, peak in zip(record["devices"], peaks, strict=True):
            device["peak_vram_gib"] = peak
        cancel.together = False
        if decode is not None:
            out = decode(real, args, kwargs)
        elif group.leader:
            out = real(*args, **kwargs)
        if not group.leader:
            raise RankFinished
        return out

    vae.decode = decode_on_leader
