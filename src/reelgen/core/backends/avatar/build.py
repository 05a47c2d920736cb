"""The lip-sync models' parts from configs: reelgen's own shipped model, the tiny test build, and saving a folder.

A lip-sync folder is ``vae/`` and ``unet/`` (diffusers ``save_pretrained``
layout), an optional ``audio_encoder/`` (a transformers Whisper encoder), and
``lipsync.json`` (crop geometry, which Whisper features, latent scale).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.backends.avatar.lipsync import AudioSpec, LipSyncConfig
from reelgen.core.face.align import CropGeometry

#: reelgen-lipsync: 128-pixel crops, a 4x VAE (32x32x4 latents, as MuseTalk's), Whisper tiny.en features.
BUILTIN_GEOMETRY = CropGeometry(size=128)
BUILTIN_CONFIG = LipSyncConfig(geometry=BUILTIN_GEOMETRY, audio=AudioSpec(), scaling_factor=1.0)


def builtin_vae() -> Any:
    """An AutoencoderKL with 4x downsampling and 4 latent channels (about 2.5M parameters)."""
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 3,
        up_block_types=("UpDecoderBlock2D",) * 3,
        block_out_channels=(32, 64, 128),
        layers_per_block=1,
        latent_channels=4,
        norm_num_groups=16,
        sample_size=BUILTIN_GEOMETRY.size,
    )


def builtin_unet(audio_dim: int = 384) -> Any:
    """A three-level UNet2DConditionModel (4.7M parameters): 8 channels in (masked + reference latents), 4 out.

    Cross-attention to the audio window sits at 16x16 and 8x8, where the mouth is a
    few latents across; the frame's own audio also enters through a projection
    class embedding (added to the timestep embedding, so every ResNet block sees
    it), which a CPU-sized training run picks up far sooner than cross-attention.
    """
    from diffusers import UNet2DConditionModel

    return UNet2DConditionModel(
        sample_size=BUILTIN_GEOMETRY.size // 4,
        in_channels=8,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
        block_out_channels=(32, 64, 128),
        layers_per_block=1,
        cross_attention_dim=audio_dim,
        attention_head_dim=8,
        norm_num_groups=16,
        class_embed_type="projection",
        projection_class_embeddings_input_dim=audio_dim,
    )


def save_folder(folder: Path, vae: Any, unet: Any, config: LipSyncConfig, encoder: Any = None) -> None:
    """Write a lip-sync folder, each part in the dtype it has."""
    folder.mkdir(parents=True, exist_ok=True)
    vae.save_pretrained(folder / "vae")
    unet.save_pretrained(folder / "unet")
    if encoder is not None:
        encoder.save_pretrained(folder / "audio_encoder")
    config.write(folder)


# ---- the tiny build: same classes, small configs, seeded random weights ---------------------------

TINY_AUDIO_DIM = 16


def tiny_parts(seed: int = 0) -> tuple[Any, Any, Any]:
    """A tiny VAE (8x, as SD's), UNet and Whisper encoder (one layer, 16 wide) with seeded weights.

    The VAE downsamples 8x like the SD VAE MuseTalk uses, so its mid-block attention sees
    32x32 latents of a 256 px face, not 128x128 (16k tokens: ten seconds a call on a CPU).
    """
    import torch
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import WhisperConfig
    from transformers.models.whisper.modeling_whisper import WhisperEncoder

    torch.manual_seed(seed)
    vae: Any = AutoencoderKL(
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        block_out_channels=(8, 8, 16, 16),
        layers_per_block=1,
        latent_channels=4,
        norm_num_groups=4,
        sample_size=32,
    )
    torch.manual_seed(seed)
    unet: Any = UNet2DConditionModel(
        sample_size=16,
        in_channels=8,
        out_channels=4,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        block_out_channels=(16, 32),
        layers_per_block=1,
        cross_attention_dim=TINY_AUDIO_DIM,
        attention_head_dim=4,
        norm_num_groups=8,
    )
    torch.manual_seed(seed)
    whisper = WhisperConfig(
        d_model=TINY_AUDIO_DIM,
        encoder_layers=1,
        encoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_layers=1,
        decoder_attention_heads=2,
        decoder_ffn_dim=32,
        num_mel_bins=80,
        max_source_positions=1500,
        vocab_size=64,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=1,
    )
    whisper.architectures = ["WhisperEncoder"]
    encoder = WhisperEncoder(whisper).eval()
    vae.eval()
    unet.eval()
    return vae, unet, encoder


def build_tiny(preset: Any, folder: Path) -> None:
    """The tiny MuseTalk-style build: 32-pixel crops, every Whisper layer, its own tiny audio encoder."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # reelgen draws its own progress; transformers' bars are noise here
    vae, unet, encoder = tiny_parts()
    config = LipSyncConfig(
        geometry=CropGeometry(size=32, scale=1.35, drop=0.78),
        audio=AudioSpec(repo=None, folder="audio_encoder", layers="all", ct2_fallback=False),
        scaling_factor=0.18215,
    )
    save_folder(folder, vae, unet, config, encoder)


# ---- MuseTalk's published shapes (random weights: benchmarks only) -------------------------------

#: MuseTalk's UNet config (``musetalkV15/musetalk.json`` in TMElyralab/MuseTalk): SD1.x shapes, 8 in, 384 audio.
MUSETALK_UNET: dict[str, Any] = {
    "sample_size": 64,
    "in_channels": 8,
    "out_channels": 4,
    "down_block_types": ["CrossAttnDownBlock2D"] * 3 + ["DownBlock2D"],
    "up_block_types": ["UpBlock2D"] + ["CrossAttnUpBlock2D"] * 3,
    "block_out_channels": [320, 640, 1280, 1280],
    "layers_per_block": 2,
    "cross_attention_dim": 384,
    "attention_head_dim": 8,
    "norm_num_groups": 32,
    "flip_sin_to_cos": True,
    "freq_shift": 0,
}
#: stabilityai/sd-vae-ft-mse, the VAE MuseTalk encodes 256-pixel crops with.
SD_VAE: dict[str, Any] = {
    "down_block_types": ["DownEncoderBlock2D"] * 4,
    "up_block_types": ["UpDecoderBlock2D"] * 4,
    "block_out_channels": [128, 256, 512, 512],
    "layers_per_block": 2,
    "latent_channels": 4,
    "norm_num_groups": 32,
    "sample_size": 256,
}
MUSETALK_CONFIG = LipSyncConfig(
    geometry=CropGeometry(size=256, scale=1.35, drop=0.78),
    audio=AudioSpec(repo="openai/whisper-tiny", layers="all", ct2_fallback=False),
    scaling_factor=0.18215,
)


def musetalk_random(seed: int = 0) -> tuple[Any, Any, Any]:
    """Full-size MuseTalk parts with seeded random weights (never zeros: they run faster than data)."""
    import torch
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import WhisperConfig
    from transformers.models.whisper.modeling_whisper import WhisperEncoder

    torch.manual_seed(seed)
    vae: Any = AutoencoderKL(**SD_VAE)
    unet: Any = UNet2DConditionModel(**MUSETALK_UNET)
    encoder = WhisperEncoder(
        WhisperConfig(d_model=384, encoder_layers=4, encoder_attention_heads=6, encoder_ffn_dim=1536)
    )
    vae.eval()
    unet.eval()
    return vae, unet, encoder.eval()
