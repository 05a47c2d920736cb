"""Wan pipelines built without downloads: tiny seeded ones for tests, full-size random ones for benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.backends.wan import configs
from reelgen.core.backends.wan import presets as wp
from reelgen.core.backends.wan.vace import VACE
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import Preset

# ---- tiny models ---------------------------------------------------------------------------------


def tiny_transformer(in_channels: int = 16, image_dim: int | None = None, seed: int = 0) -> Any:
    """A two-block WanTransformer3DModel (36 input channels and a CLIP branch for I2V)."""
    import torch
    from diffusers import WanTransformer3DModel

    from reelgen.core.backends.tiny import TEXT_DIM

    torch.manual_seed(seed)
    model: Any = WanTransformer3DModel(
        patch_size=(1, 2, 2),
        num_attention_heads=2,
        attention_head_dim=12,
        in_channels=in_channels,
        out_channels=16,
        text_dim=TEXT_DIM,
        freq_dim=256,
        ffn_dim=32,
        num_layers=2,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        rope_max_seq_len=32,
        image_dim=image_dim,
    )
    return model.eval()


def tiny_vace_transformer(seed: int = 0) -> Any:
    """A two-block WanVACETransformer3DModel with one VACE block (beside layer 0)."""
    import torch
    from diffusers import WanVACETransformer3DModel

    from reelgen.core.backends.tiny import TEXT_DIM

    torch.manual_seed(seed)
    model: Any = WanVACETransformer3DModel(
        patch_size=(1, 2, 2),
        num_attention_heads=2,
        attention_head_dim=12,
        in_channels=16,
        out_channels=16,
        text_dim=TEXT_DIM,
        freq_dim=256,
        ffn_dim=32,
        num_layers=2,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        rope_max_seq_len=32,
        vace_layers=[0],
        vace_in_channels=96,
    )
    return model.eval()


def tiny_vae() -> Any:
    """A Wan VAE with the real 8x spatial / 4x temporal compression and 3 base channels."""
    import torch
    from diffusers import AutoencoderKLWan

    torch.manual_seed(0)
    vae: Any = AutoencoderKLWan(
        base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True]
    )
    return vae.eval()


def _tiny_image_encoder() -> tuple[Any, Any]:
    import torch
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModel

    torch.manual_seed(0)
    vision = CLIPVisionConfig(
        hidden_size=4,
        projection_dim=4,
        num_hidden_layers=2,
        num_attention_heads=2,
        image_size=32,
        intermediate_size=16,
        patch_size=1,
    )
    return CLIPVisionModel(vision).eval(), CLIPImageProcessor(crop_size=32, size=32)


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """Write ``preset``'s tiny Wan pipeline (real classes, seeded weights) to ``folder``."""
    from diffusers import UniPCMultistepScheduler, WanImageToVideoPipeline, WanPipeline, WanVACEPipeline

    from reelgen.core.backends import tiny

    tokenizer = tiny.t5_tokenizer()
    parts: dict[str, Any] = dict(
        tokenizer=tokenizer,
        text_encoder=tiny.t5_encoder(len(tokenizer), umt5=True),
        vae=tiny_vae(),
        scheduler=UniPCMultistepScheduler(**configs.SCHEDULER),
    )
    if preset.variant in wp.IMAGE_VARIANTS:
        image_encoder, image_processor = _tiny_image_encoder()
        pipe: Any = WanImageToVideoPipeline(
            **parts,
            transformer=tiny_transformer(in_channels=36, image_dim=4),
            image_encoder=image_encoder,
            image_processor=image_processor,
        )
    elif preset.variant == VACE:
        pipe = WanVACEPipeline(**parts, transformer=tiny_vace_transformer())
    elif preset.variant in wp.TWO_EXPERT_VARIANTS:
        # Different seeds, so a run that skips one expert gives a different video.
        pipe = WanPipeline(
            **parts,
            transformer=tiny_transformer(seed=0),
            transformer_2=tiny_transformer(seed=1),
            boundary_ratio=preset.options["boundary_ratio"],
        )
    else:
        pipe = WanPipeline(**parts, transformer=tiny_transformer())
    tiny.save_pipeline(pipe, folder)


# ---- full-size random build for the GPU benchmark ------------------------------------------------


def full_random_parts(device: str = "meta") -> dict[str, Any]:
    """Wan 2.1 T2V 1.3B's real modules; on ``meta`` shapes only, else random weights on ``device``."""
    from accelerate import init_empty_weights
    from diffusers import AutoencoderKLWan, WanTransformer3DModel
    from transformers import UMT5Config, UMT5EncoderModel

    # Parameters start on meta (no allocation, no slow init); buffers (RoPE tables) are computed for real.
    with init_empty_weights(include_buffers=False):
        parts: dict[str, Any] = {
            "transformer": WanTransformer3DModel(**configs.TRANSFORMER_1_3B),
            "text_encoder": UMT5EncoderModel(UMT5Config(**configs.UMT5_XXL)),
            "vae": AutoencoderKLWan(),  # the defaults are Wan 2.1's VAE
        }
    parts["text_encoder"].tie_weights()  # one token embedding, as the checkpoint stores it
    if device != "meta":
        for module in parts.values():
            fill_random(module, device)
    return parts


def fill_random(module: Any, device: str) -> None:
    """Allocate ``module`` on ``device`` and fill it with small random non-zero weights."""
    import torch

    buffers = {name: b.detach().clone() for name, b in module.named_buffers()}
    module.to_empty(device=device)
    with torch.no_grad():
        for name, b in module.named_buffers():
            b.copy_(buffers[name])
        gen = torch.Generator(device=device).manual_seed(0)
        for name, p in module.named_parameters():
            if p.ndim >= 2:  # fan-in scaled, so activations stay finite through 30 blocks
                p.normal_(0.0, p[0].numel() ** -0.5, generator=gen)
            elif name.endswith("weight"):  # norm scales around 1
                p.normal_(1.0, 0.02, generator=gen)
            else:
                p.normal_(0.0, 0.02, generator=gen)
    module.eval()


def build_full_random(preset_name: str, folder: Path | str, device: str = "cuda") -> Path:
    """Save the FULL Wan 2.1 T2V 1.3B architecture with random weights as a diffusers folder.

    Speed does not depend on weight values (but zeros would be faster than
    data), so this benchmarks real shapes with no download. Transformer and
    text encoder are bf16, the VAE float32 as the backend loads it. The
    tokenizer is the tiny in-memory one; its ids fit any vocabulary.
    """
    import torch
    from diffusers import UniPCMultistepScheduler, WanPipeline

    from reelgen.core.backends import tiny

    if preset_name != "wan-1.3b":
        raise InvalidRequest(
            f"build_full_random builds wan-1.3b (Wan 2.1 T2V 1.3B), not {preset_name!r}", param="model"
        )
    parts = full_random_parts(device)
    parts["transformer"].to(torch.bfloat16)
    parts["text_encoder"].to(torch.bfloat16)
    pipe = WanPipeline(
        tokenizer=tiny.t5_tokenizer(), scheduler=UniPCMultistepScheduler(**configs.SCHEDULER), **parts
    )
    folder = Path(folder)
    tiny.save_pipeline(pipe, folder)
    return folder
