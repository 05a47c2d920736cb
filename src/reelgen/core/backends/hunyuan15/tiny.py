"""Tiny HunyuanVideo 1.5 builds: real classes, small configs, seeded weights, byte-level tokenizers.

The published Qwen2.5 tokenizer cannot be downloaded here, so Qwen2's tokenizer
class over a byte alphabet with no merges stands in, with its chat markers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.backends import tiny
from reelgen.core.backends.hunyuan.tiny import siglip
from reelgen.core.backends.hunyuan15 import presets as h15
from reelgen.core.backends.tiny import TEXT_DIM
from reelgen.core.spec.family import Preset
from reelgen.core.spec.request import Task


def _transformer(image: bool) -> Any:
    import torch
    from diffusers import HunyuanVideo15Transformer3DModel

    torch.manual_seed(0)
    return HunyuanVideo15Transformer3DModel(
        in_channels=9,  # latents, image condition, mask
        out_channels=4,
        num_attention_heads=2,
        attention_head_dim=8,
        num_layers=1,
        num_refiner_layers=1,
        mlp_ratio=2.0,
        text_embed_dim=TEXT_DIM,
        text_embed_2_dim=TEXT_DIM,
        image_embed_dim=16,
        rope_axes_dim=(2, 2, 4),
        target_size=h15.TINY_TARGET_SIZE,
        task_type="i2v" if image else "t2v",
    )


def _vae() -> Any:
    """16x spatial like the real VAE (one block per halving), so sizes follow the real rules."""
    import torch
    from diffusers import AutoencoderKLHunyuanVideo15

    torch.manual_seed(0)
    return AutoencoderKLHunyuanVideo15(
        latent_channels=4,
        block_out_channels=(8, 8, 8, 8, 8),
        layers_per_block=1,
        spatial_compression_ratio=16,
        temporal_compression_ratio=4,
        downsample_match_channel=False,
        upsample_match_channel=False,
    )


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """HunyuanVideo15Pipeline, or HunyuanVideo15ImageToVideoPipeline (with SigLIP) for an i2v preset."""
    from diffusers import (
        FlowMatchEulerDiscreteScheduler,
        HunyuanVideo15ImageToVideoPipeline,
        HunyuanVideo15Pipeline,
    )
    from diffusers.guiders import ClassifierFreeGuidance
    from transformers import ByT5Tokenizer

    image = Task.I2V in preset.tasks
    tokenizer = _qwen_tokenizer()
    byt5 = ByT5Tokenizer()  # byte-level: needs no vocabulary file
    parts: dict[str, Any] = dict(
        transformer=_transformer(image),
        vae=_vae(),
        scheduler=FlowMatchEulerDiscreteScheduler(shift=7.0),
        tokenizer=tokenizer,
        text_encoder=_qwen(tokenizer),
        tokenizer_2=byt5,
        text_encoder_2=tiny.t5_encoder(len(byt5)),
        guider=ClassifierFreeGuidance(guidance_scale=preset.guidance),
    )
    pipe = (
        HunyuanVideo15ImageToVideoPipeline(**parts, **siglip()) if image else HunyuanVideo15Pipeline(**parts)
    )
    tiny.save_pipeline(pipe, folder)


#: A chat template in Qwen's format for string contents (what the pipelines send).
_CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def _qwen_tokenizer() -> Any:
    """Qwen2's tokenizer class over a byte alphabet with no merges, with its chat markers."""
    from tokenizers import AddedToken, pre_tokenizers
    from transformers import Qwen2Tokenizer

    vocab = {"<|endoftext|>": 0, "<|im_start|>": 1, "<|im_end|>": 2}
    for ch in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[ch] = len(vocab)
    tokenizer = Qwen2Tokenizer(vocab=vocab, merges=[], chat_template=_CHAT_TEMPLATE)
    markers = [AddedToken(t, special=True) for t in ("<|im_start|>", "<|im_end|>")]
    tokenizer.add_tokens(markers, special_tokens=True)
    return tokenizer


def _qwen(tokenizer: Any) -> Any:
    import torch
    from transformers import Qwen2_5_VLTextConfig, Qwen2_5_VLTextModel

    torch.manual_seed(0)
    # Three layers (hidden states two before the last are read); M-RoPE sections fill head_dim / 2.
    config = Qwen2_5_VLTextConfig(
        vocab_size=len(tokenizer),
        hidden_size=TEXT_DIM,
        intermediate_size=37,
        num_hidden_layers=3,
        num_attention_heads=2,
        num_key_value_heads=2,
        bos_token_id=None,
        eos_token_id=2,
        rope_parameters={"rope_type": "default", "rope_theta": 1e6, "mrope_section": [2, 2, 4]},
    )
    return Qwen2_5_VLTextModel(config).eval()


def system_prompt_tokens(pipe: Any) -> int:
    """How many tokens the chat template puts before the user's prompt, counted by ``pipe``'s tokenizer.

    The published crop index (108) counts Qwen2.5-VL tokens; the byte-level
    tokenizer splits the same system prompt into more tokens.
    """
    marker = "\x00"
    messages = [{"role": "system", "content": pipe.system_message}, {"role": "user", "content": marker}]
    text = pipe.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    return len(pipe.tokenizer(text.split(marker)[0], add_special_tokens=False).input_ids)
