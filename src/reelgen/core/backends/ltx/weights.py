"""Where LTX weights come from besides a diffusers folder: single checkpoint files, and full-size random builds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelgen.core.backends.ltx.presets import PRESETS
from reelgen.core.backends.plumbing import single_file_transformer
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import Preset

if TYPE_CHECKING:
    import torch

    from reelgen.core.weights import WeightSource


def single_file_parts(source: WeightSource, preset: Preset, dtype: Any) -> dict[str, Any]:
    """The transformer in a single LTX checkpoint file, and its VAE when the file carries one too.

    Original LTX-Video checkpoints hold both; the configs and the other parts
    (T5 encoder, tokenizer, scheduler) come from ``source.base``.
    """
    from diffusers import AutoencoderKLLTXVideo, LTXVideoTransformer3DModel

    parts = {"transformer": single_file_transformer(LTXVideoTransformer3DModel, source, preset, dtype)}
    if _has_vae(source.path):
        try:
            parts["vae"] = AutoencoderKLLTXVideo.from_single_file(
                str(source.path), config=str(source.base), subfolder="vae", dtype=dtype, local_files_only=True
            )
        except (ValueError, KeyError, RuntimeError, OSError) as exc:
            raise InvalidRequest(
                f"weights file {source.path} holds a VAE that does not match {preset.name} ({exc})",
                param="weights",
            ) from None
    return parts


def _has_vae(path: Path) -> bool:
    """Whether an original LTX checkpoint also carries its VAE (keys under ``vae.``)."""
    if path.suffix.lower() != ".safetensors":
        return False
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as f:
        return any(key.startswith("vae.") for key in f.keys())  # noqa: SIM118 - safe_open is not a dict


# ---- full-size random weights, for GPU benchmarks without the real checkpoints ----------------

_TRANSFORMER_2B: dict[str, Any] = dict(
    in_channels=128,
    out_channels=128,
    patch_size=1,
    patch_size_t=1,
    num_attention_heads=32,
    attention_head_dim=64,
    cross_attention_dim=2048,
    num_layers=28,
    activation_fn="gelu-approximate",
    qk_norm="rms_norm_across_heads",
    norm_elementwise_affine=False,
    norm_eps=1e-6,
    caption_channels=4096,
    attention_bias=True,
    attention_out_bias=True,
)
_TRANSFORMER_13B = {
    **_TRANSFORMER_2B,
    "attention_head_dim": 128,
    "cross_attention_dim": 4096,
    "num_layers": 48,
}
#: The 0.9.5 VAE (0.9.7 uses the same shape): 32x spatial, 8x temporal, timestep-aware decoder.
_VAE_095: dict[str, Any] = dict(
    in_channels=3,
    out_channels=3,
    latent_channels=128,
    block_out_channels=(128, 256, 512, 1024, 2048),
    down_block_types=("LTXVideo095DownBlock3D",) * 4,
    decoder_block_out_channels=(256, 512, 1024),
    layers_per_block=(4, 6, 6, 2, 2),
    decoder_layers_per_block=(5, 5, 5, 5),
    spatio_temporal_scaling=(True, True, True, True),
    decoder_spatio_temporal_scaling=(True, True, True),
    decoder_inject_noise=(False, False, False, False),
    downsample_type=("spatial", "temporal", "spatiotemporal", "spatiotemporal"),
    upsample_residual=(True, True, True),
    upsample_factor=(2, 2, 2),
    timestep_conditioning=True,
    patch_size=4,
    patch_size_t=1,
    resnet_norm_eps=1e-6,
    scaling_factor=1.0,
    encoder_causal=True,
    decoder_causal=False,
    spatial_compression_ratio=32,
    temporal_compression_ratio=8,
)
#: google/t5-v1_1-xxl, the encoder every LTX-Video 0.9.x checkpoint ships.
_T5_XXL: dict[str, Any] = dict(
    vocab_size=32128,
    d_model=4096,
    d_kv=64,
    d_ff=10240,
    num_layers=24,
    num_heads=64,
    feed_forward_proj="gated-gelu",
    relative_attention_num_buckets=32,
    relative_attention_max_distance=128,
    layer_norm_epsilon=1e-6,
    dropout_rate=0.0,
    tie_word_embeddings=False,
    pad_token_id=0,
    eos_token_id=1,
)


#: The transformer of each full-size model, by its hidden and feed-forward widths (``Preset.dims``).
FULL_SIZE = {(2048, 8192): _TRANSFORMER_2B, (4096, 16384): _TRANSFORMER_13B}


def full_configs(preset_name: str) -> dict[str, dict[str, Any]]:
    """The real configs of a preset's transformer, VAE and T5-XXL text encoder."""
    found = {p.name: p for p in PRESETS if p.dims in FULL_SIZE}
    if preset_name not in found:
        raise InvalidRequest(
            f"no full-size LTX config for {preset_name!r}; valid: {', '.join(sorted(found))}",
            param="model",
        )
    return {
        "transformer": dict(FULL_SIZE[found[preset_name].dims]),
        "vae": dict(_VAE_095),
        "text_encoder": dict(_T5_XXL),
    }


def build_full_random(preset_name: str, folder: str | Path, device: str = "cuda", seed: int = 0) -> Path:
    """Write a full-size LTX model of ``preset_name`` with random bf16 weights as a diffusers folder.

    Speed does not depend on weight values, but zeros run faster than data, so every weight is
    drawn at random. Parts are made on the meta device and allocated straight on ``device``, so
    a 13B model takes seconds. Load the folder with ``--weights FOLDER``.
    """
    import torch
    from diffusers import (
        AutoencoderKLLTXVideo,
        FlowMatchEulerDiscreteScheduler,
        LTXPipeline,
        LTXVideoTransformer3DModel,
    )
    from transformers import T5Config, T5EncoderModel

    from reelgen.core.backends import tiny

    configs = full_configs(preset_name)
    rng = torch.Generator(device).manual_seed(seed)

    def make(build: Any) -> Any:
        # 1. Shapes only (no memory, no init), then storage on the device, then random values.
        with torch.device("meta"):
            model = build()
        model = model.to(dtype=torch.bfloat16).to_empty(device=device)
        _fill_random(model, rng)
        return model.eval()

    pipe: Any = LTXPipeline(
        transformer=make(lambda: LTXVideoTransformer3DModel(**configs["transformer"])),
        vae=make(lambda: AutoencoderKLLTXVideo(**configs["vae"])),
        text_encoder=make(lambda: T5EncoderModel(T5Config(**configs["text_encoder"]))),
        # 2. A tokenizer that needs no download: all its ids fall inside T5's vocabulary.
        tokenizer=tiny.t5_tokenizer(),
        scheduler=FlowMatchEulerDiscreteScheduler(use_dynamic_shifting=False),
    )
    # 3. Saved like a real checkpoint.
    pipe.save_pretrained(str(folder), safe_serialization=True, max_shard_size="5GB")
    return Path(folder)


def _fill_random(model: Any, rng: torch.Generator) -> None:
    import torch

    with torch.no_grad():
        for name, param in model.named_parameters():
            if param.ndim == 1 and name.endswith("weight"):
                param.fill_(1.0)  # norm scales: keep activations at their trained size
            else:
                param.normal_(0.0, 0.02, generator=rng)
        for name, buf in model.named_buffers():
            buf.fill_(1.0 if "std" in name else 0.0)  # the VAE's latent statistics
