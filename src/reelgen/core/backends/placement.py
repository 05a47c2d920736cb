"""Placing a diffusers pipeline's parts on the device by its memory plan: resident, offloaded or streamed."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from reelgen.core.spec.memory import MemoryPlan

if TYPE_CHECKING:
    import torch


def apply_plan(pipe: Any, plan: MemoryPlan) -> None:
    """Place a diffusers pipeline's parts according to ``plan``."""
    import torch

    device = torch.device(plan.device)
    text = text_encoder_names(pipe)
    if plan.strategy in ("gpu", "cpu"):
        pipe.to(device)
    elif plan.strategy == "text_offload":
        for name, module in pipe.components.items():
            if isinstance(module, torch.nn.Module) and name not in text:
                module.to(device)
        stream_layers(pipe, text, device)
    elif plan.strategy == "model_offload":
        pipe.enable_model_cpu_offload(device=device)
    elif plan.strategy == "group_offload":
        # The denoiser streams block by block. VAEs decode through ``vae.decoder`` rather than
        # ``vae.forward``, so block-level hooks never bring their top-level layers over ("weight
        # type CPU" errors): the VAE, small next to the transformer, stays on the device (LTX-2's
        # audio VAE decodes the same way). Text encoders have no block list at their top level
        # (T5's sits in ``encoder.block``), so block-level hooks would move them whole: they stream
        # layer by layer instead. Parts are set up one by one so none is ever on the device whole.
        for name, module in pipe.components.items():
            if not isinstance(module, torch.nn.Module) or name in text:
                continue
            if name in ("vae", "audio_vae"):
                module.to(device)
            else:
                stream_blocks(module, device)
        stream_layers(pipe, text, device)
    elif plan.strategy == "sequential_offload":
        pipe.enable_sequential_cpu_offload(device=device)
    if plan.attention_slicing and hasattr(pipe, "enable_attention_slicing"):
        pipe.enable_attention_slicing()
    vae: Any = getattr(pipe, "vae", None)
    # Some VAEs (e.g. SVD's temporal decoder) declare these switches but cannot honour them.
    with contextlib.suppress(NotImplementedError):
        if plan.vae_tiling and hasattr(vae, "enable_tiling"):
            vae.enable_tiling()
    with contextlib.suppress(NotImplementedError):
        if plan.vae_slicing and hasattr(vae, "enable_slicing"):
            vae.enable_slicing()


def text_encoder_names(pipe: Any) -> list[str]:
    """The pipeline's text encoders (``text_encoder``, ``text_encoder_2`` ...) that are loaded."""
    return [n for n, m in pipe.components.items() if n.startswith("text_encoder") and m is not None]


def stream_blocks(module: Any, device: torch.device) -> None:
    """Keep ``module`` in host memory and copy each of its top-level blocks to ``device`` as it runs."""
    import torch
    from diffusers.hooks import apply_group_offloading

    kwargs: dict[str, Any] = dict(
        onload_device=device,
        offload_device=torch.device("cpu"),
        offload_type="block_level",
        num_blocks_per_group=1,
        use_stream=device.type == "cuda",
        # Without it diffusers waits for the GPU after every block before dropping the block's
        # weights, so the host can never queue the next block ahead and the GPU idles at each
        # seam. With it the allocator holds the memory until the GPU is done with it instead.
        record_stream=device.type == "cuda",
    )
    # diffusers models check that they support it; other modules (an image encoder) take it as is.
    if hasattr(module, "enable_group_offload"):
        module.enable_group_offload(**kwargs)
    else:
        apply_group_offloading(module, **kwargs)


def stream_layers(pipe: Any, names: list[str], device: torch.device) -> None:
    """Keep ``names`` in host memory and copy each layer to ``device`` just before it runs.

    On a GPU the copies run on their own CUDA stream from pinned memory, the next
    layer's overlapping the current one's work, so a text encoder far larger than
    the card runs at near its resident speed.
    """
    import torch
    from diffusers.hooks import apply_group_offloading

    for name in names:
        apply_group_offloading(
            getattr(pipe, name),
            onload_device=device,
            offload_device=torch.device("cpu"),
            offload_type="leaf_level",
            use_stream=device.type == "cuda",
            record_stream=device.type == "cuda",  # no host wait after each layer (see stream_blocks)
        )
