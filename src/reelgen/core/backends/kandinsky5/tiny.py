"""Tiny Kandinsky 5 pipelines built without downloads: the real classes at small sizes, seeded weights."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reelgen.core.backends import tiny
from reelgen.core.spec.family import Preset
from reelgen.core.spec.request import Task

_PARTS = ("transformer", "vae", "text_encoder", "tokenizer", "text_encoder_2", "tokenizer_2", "scheduler")


def prompt_template() -> str:
    """The chat template the pipelines wrap every prompt in (a system prompt, then the user's)."""
    from diffusers import Kandinsky5T2VPipeline

    empty: Any = Kandinsky5T2VPipeline(**dict.fromkeys(_PARTS))
    return str(empty.prompt_template)


def qwen_tokenizer(template: str) -> Any:
    """Qwen2's byte-level BPE tokenizer with one merge chain per word of ``template``.

    The pipelines drop the first 128 tokens (the system prompt, as Qwen counts it)
    and keep at most 512 more; one token per byte would push the user's prompt out
    of that window. Each chain grows a word from its leading space ("Ġ"), so chains
    never compete: the system prompt becomes 174 tokens and the prompt stays in.
    """
    from tokenizers import AddedToken, pre_tokenizers
    from transformers import Qwen2Tokenizer

    to_bytes = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    vocab = {"<|endoftext|>": 0}
    for char in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[char] = len(vocab)
    merges: list[tuple[str, str]] = []
    for word in sorted(set(re.findall(r"[A-Za-z]+", template))):
        piece = to_bytes.pre_tokenize_str(" " + word)[0][0]
        for end in range(2, len(piece) + 1):
            if piece[:end] not in vocab:
                vocab[piece[:end]] = len(vocab)
                merges.append((piece[: end - 1], piece[end - 1]))
    # The BPE model takes (left, right) pairs, not the "left right" strings the annotation names.
    tokenizer = Qwen2Tokenizer(vocab=vocab, merges=merges)  # type: ignore[arg-type]
    markers = [AddedToken(t, special=True) for t in ("<|im_start|>", "<|im_end|>")]
    tokenizer.add_tokens(markers, special_tokens=True)
    return tokenizer


def qwen_encoder(vocab_size: int) -> Any:
    """Qwen2.5-VL, the class the checkpoints ship: two text layers of width TEXT_DIM, a one-block vision tower."""
    import torch
    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration

    text = dict(
        vocab_size=vocab_size,
        hidden_size=tiny.TEXT_DIM,
        intermediate_size=37,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        bos_token_id=None,
        eos_token_id=None,
        pad_token_id=0,
        # M-RoPE sections fill head_dim / 2 = 8.
        rope_parameters={"rope_type": "default", "rope_theta": 1e6, "mrope_section": [2, 3, 3]},
    )
    vision = dict(
        depth=1, hidden_size=16, intermediate_size=16, num_heads=2, out_hidden_size=tiny.TEXT_DIM,
        fullatt_block_indexes=[0],
    )  # fmt: skip
    torch.manual_seed(0)
    return Qwen2_5_VLForConditionalGeneration(Qwen2_5_VLConfig(text_config=text, vision_config=vision)).eval()


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """Write ``preset``'s tiny pipeline (the I2V class when it animates images) to ``folder``."""
    import torch
    from diffusers import (
        AutoencoderKLHunyuanVideo,
        FlowMatchEulerDiscreteScheduler,
        Kandinsky5I2VPipeline,
        Kandinsky5T2VPipeline,
        Kandinsky5Transformer3DModel,
    )

    image = Task.I2V in preset.tasks
    torch.manual_seed(0)
    # Real layout (16 latent channels, 2x2 patches, visual condition channels), 2 heads of 16.
    transformer: Any = Kandinsky5Transformer3DModel(
        in_visual_dim=16, out_visual_dim=16, time_dim=32, patch_size=(1, 2, 2), model_dim=32, ff_dim=64,
        num_text_blocks=1, num_visual_blocks=2, axes_dims=(4, 6, 6), visual_cond=True,
        in_text_dim=tiny.TEXT_DIM, in_text_dim2=tiny.TEXT_DIM,
    )  # fmt: skip
    # Modulations start at zero (adaLN-zero), which would leave blocks, and so prompts and LoRAs, no effect.
    with torch.no_grad():
        for name, param in transformer.named_parameters():
            if "modulation" in name:
                param.normal_(0.0, 0.1)
    torch.manual_seed(0)
    # HunyuanVideo's VAE with its real 8x spatial and 4x temporal compression, 8 channels wide.
    vae: Any = AutoencoderKLHunyuanVideo(
        latent_channels=16, block_out_channels=(8, 8, 8, 8), layers_per_block=1, norm_num_groups=4
    )
    tokenizer, tokenizer_2 = qwen_tokenizer(prompt_template()), tiny.clip_tokenizer()
    cls = Kandinsky5I2VPipeline if image else Kandinsky5T2VPipeline
    pipe = cls(
        transformer=transformer.eval(),
        vae=vae.eval(),
        text_encoder=qwen_encoder(len(tokenizer)),
        tokenizer=tokenizer,
        text_encoder_2=tiny.clip_text_encoder(len(tokenizer_2)),
        tokenizer_2=tokenizer_2,
        # ``scheduler_scale`` of the reference Lite SFT configs (k5_lite_{t2v_10s,i2v_5s}_sft_sd.yaml).
        scheduler=FlowMatchEulerDiscreteScheduler(shift=10.0),
    )
    tiny.save_pipeline(pipe, folder)
