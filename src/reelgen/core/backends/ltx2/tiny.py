"""The tiny LTX-2 build: the real classes at toy size with seeded random weights, no downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.backends.tiny import TEXT_DIM, save_pipeline
from reelgen.core.spec.family import Preset


# fmt: off
def _tiny_gemma() -> tuple[Any, Any]:
    """A two-layer Gemma 3 of width TEXT_DIM and a byte-fallback tokenizer: any text, no vocab file."""
    import torch
    from transformers import (
        Gemma3Config,
        Gemma3ForConditionalGeneration,
        Gemma3TextConfig,
        GemmaTokenizer,
        SiglipVisionConfig,
    )

    vocab = {"<pad>": 0, "<eos>": 1, "<bos>": 2, "<unk>": 3, "<mask>": 4}
    vocab |= {f"<0x{b:02X}>": 5 + b for b in range(256)}
    text = Gemma3TextConfig(
        vocab_size=len(vocab), hidden_size=TEXT_DIM, intermediate_size=37, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=1, head_dim=16, sliding_window=16,
        pad_token_id=0, eos_token_id=1, bos_token_id=2,
    )
    # Prompts never reach the vision tower, but the class has one; keep it minute.
    vision = SiglipVisionConfig(
        hidden_size=16, intermediate_size=16, num_hidden_layers=1, num_attention_heads=2, image_size=16, patch_size=4,
    )
    torch.manual_seed(0)
    model = Gemma3ForConditionalGeneration(Gemma3Config(text_config=text, vision_config=vision, mm_tokens_per_image=4))
    return model.eval(), GemmaTokenizer(vocab=vocab, merges=[])


def _tiny_ltx2_parts(text_layers: int) -> dict[str, Any]:
    """Transformer, connectors, VAEs and vocoder with LTX-2's real strides: 32x space, 8x time, 160 samples a mel."""
    import torch
    from diffusers import AutoencoderKLLTX2Audio, AutoencoderKLLTX2Video, LTX2VideoTransformer3DModel
    from diffusers.pipelines.ltx2 import LTX2TextConnectors
    from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder

    torch.manual_seed(0)
    transformer = LTX2VideoTransformer3DModel(
        in_channels=4, out_channels=4, patch_size=1, patch_size_t=1, num_attention_heads=2, attention_head_dim=8,
        cross_attention_dim=16, audio_in_channels=4, audio_out_channels=4, audio_num_attention_heads=2,
        audio_attention_head_dim=4, audio_cross_attention_dim=8, num_layers=2, qk_norm="rms_norm_across_heads",
        caption_channels=TEXT_DIM, rope_double_precision=False, rope_type="split",
    )
    torch.manual_seed(0)
    # heads x head_dim of both connectors must equal the text encoder's width (else an rms_norm shape error).
    connectors = LTX2TextConnectors(
        caption_channels=TEXT_DIM, text_proj_in_factor=text_layers, video_connector_num_attention_heads=4,
        video_connector_attention_head_dim=TEXT_DIM // 4, video_connector_num_layers=1,
        video_connector_num_learnable_registers=None, audio_connector_num_attention_heads=4,
        audio_connector_attention_head_dim=TEXT_DIM // 4, audio_connector_num_layers=1,
        audio_connector_num_learnable_registers=None, connector_rope_base_seq_len=32, rope_theta=10000.0,
        rope_double_precision=False, causal_temporal_positioning=False, rope_type="split",
    )
    torch.manual_seed(0)
    vae = AutoencoderKLLTX2Video(
        in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(8, 8, 8),
        decoder_block_out_channels=(8, 8, 8), layers_per_block=(1, 1, 1, 1), decoder_layers_per_block=(1, 1, 1, 1),
        spatio_temporal_scaling=(True, True, True), decoder_spatio_temporal_scaling=(True, True, True),
        decoder_inject_noise=(False,) * 4, downsample_type=("spatiotemporal",) * 3,
        upsample_type=("spatiotemporal",) * 3, upsample_residual=(False,) * 3, upsample_factor=(1,) * 3,
        timestep_conditioning=False, patch_size=4, patch_size_t=1, encoder_causal=True, decoder_causal=False,
    )
    torch.manual_seed(0)
    audio_vae = AutoencoderKLLTX2Audio(
        base_channels=4, output_channels=2, ch_mult=(1,), num_res_blocks=1, attn_resolutions=None, in_channels=2,
        resolution=32, latent_channels=2, norm_type="pixel", causality_axis="height", dropout=0.0,
        mid_block_add_attention=False, sample_rate=16000, mel_hop_length=160, is_causal=True, mel_bins=8,
    )
    torch.manual_seed(0)
    # Upsampling by 8*5*4 = 160 = the mel hop, so the sound lasts as long as the clip.
    vocoder = LTX2Vocoder(
        in_channels=2 * 8, hidden_channels=32, out_channels=2, upsample_kernel_sizes=[16, 10, 8],
        upsample_factors=[8, 5, 4], resnet_kernel_sizes=[3], resnet_dilations=[[1, 3, 5]],
        leaky_relu_negative_slope=0.1, output_sampling_rate=16000,
    )
    return {"transformer": transformer, "connectors": connectors, "vae": vae, "audio_vae": audio_vae, "vocoder": vocoder}
# fmt: on


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """Save a tiny LTX2Pipeline (video, audio VAE, vocoder, Gemma 3) as a diffusers folder."""
    from diffusers import FlowMatchEulerDiscreteScheduler, LTX2Pipeline

    text_encoder, tokenizer = _tiny_gemma()
    pipe = LTX2Pipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        **_tiny_ltx2_parts(text_encoder.config.text_config.num_hidden_layers + 1),
    )
    save_pipeline(pipe, folder)
