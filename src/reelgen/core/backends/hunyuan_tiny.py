"""Tiny builds of the HunyuanVideo families (HunyuanVideo, HunyuanVideo 1.5, FramePack).

Real diffusers/transformers classes with small configs, seeded random weights
and tokenizers made in memory, saved as diffusers folders. The published
tokenizers (LLaMA-3, Qwen2.5) cannot be downloaded here, so byte-level BPE
tokenizers with no merges stand in: one token per byte, never unknown, with the
special tokens the prompt templates use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.backends import tiny
from reelgen.core.backends.tiny import TEXT_DIM

#: ``target_size`` of the tiny HunyuanVideo 1.5 transformer: i2v buckets of about 64x64 px.
TARGET_SIZE_15 = 64


# ---- HunyuanVideo and FramePack ---------------------------------------------------------------------


def build_hunyuan(folder: Path, image: bool) -> None:
    """HunyuanVideoPipeline, or HunyuanVideoImageToVideoPipeline (LLaVA encoder) when ``image``."""
    from diffusers import HunyuanVideoImageToVideoPipeline, HunyuanVideoPipeline
    from transformers import CLIPImageProcessor

    tokenizer = llama_tokenizer()
    parts = {**_hunyuan_base(tokenizer)}
    if image:
        processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
        pipe: Any = HunyuanVideoImageToVideoPipeline(
            **parts,
            text_encoder=_llava(tokenizer),
            transformer=_hunyuan_transformer(image_condition_type="token_replace"),
            image_processor=processor,
        )
    else:
        pipe = HunyuanVideoPipeline(
            **parts, text_encoder=_llama(tokenizer), transformer=_hunyuan_transformer()
        )
    tiny.save_pipeline(pipe, folder)


def build_framepack(folder: Path) -> None:
    """HunyuanVideoFramepackPipeline: the tiny HunyuanVideo base, FramePack's transformer, a SigLIP."""
    from diffusers import HunyuanVideoFramepackPipeline

    tokenizer = llama_tokenizer()
    pipe = HunyuanVideoFramepackPipeline(
        **_hunyuan_base(tokenizer),
        text_encoder=_llama(tokenizer),
        transformer=framepack_transformer(),
        **siglip(),
    )
    tiny.save_pipeline(pipe, folder)


def _hunyuan_base(tokenizer: Any) -> dict[str, Any]:
    """The parts HunyuanVideo, its I2V and FramePack share: VAE, sampler, CLIP text encoder."""
    from diffusers import FlowMatchEulerDiscreteScheduler

    clip_tokenizer = tiny.clip_tokenizer()
    return dict(
        tokenizer=tokenizer,
        vae=_hunyuan_vae(),
        scheduler=FlowMatchEulerDiscreteScheduler(shift=7.0),
        tokenizer_2=clip_tokenizer,
        text_encoder_2=tiny.clip_text_encoder(len(clip_tokenizer)),
    )


#: Special tokens of LLaMA-3 that HunyuanVideo's prompt templates use, plus LLaVA's image token.
_LLAMA_SPECIAL = (
    "<|begin_of_text|>",
    "<|end_of_text|>",
    "<|start_header_id|>",
    "<|end_header_id|>",
    "<|eot_id|>",
    "<image>",
    "<pad>",
)


def llama_tokenizer() -> Any:
    """Byte-level BPE that knows LLaMA-3's header tokens and starts with ``<|begin_of_text|>`` as it does."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(_LLAMA_SPECIAL)}
    for ch in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[ch] = len(vocab)
    backend = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    backend.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in _LLAMA_SPECIAL])
    backend.post_processor = processors.TemplateProcessing(
        single="<|begin_of_text|> $A",
        pair="<|begin_of_text|> $A $B",
        special_tokens=[("<|begin_of_text|>", 0)],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=backend, bos_token="<|begin_of_text|>", eos_token="<|eot_id|>", pad_token="<pad>"
    )


def _llama_config(tokenizer: Any) -> Any:
    from transformers import LlamaConfig

    # Three layers: the pipelines read the hidden states two layers before the last.
    return LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=TEXT_DIM,
        intermediate_size=37,
        num_hidden_layers=3,
        num_attention_heads=4,
        num_key_value_heads=4,
        bos_token_id=0,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )


def _llama(tokenizer: Any) -> Any:
    import torch
    from transformers import LlamaModel

    torch.manual_seed(0)
    return LlamaModel(_llama_config(tokenizer)).eval()


def _llava(tokenizer: Any) -> Any:
    """LLaVA over the tiny LLaMA: 32 px images in 8 px patches give 16 image tokens for ``<image>``."""
    import torch
    from transformers import CLIPVisionConfig, LlavaConfig, LlavaForConditionalGeneration

    torch.manual_seed(0)
    vision = CLIPVisionConfig(
        hidden_size=16,
        intermediate_size=37,
        projection_dim=32,
        num_attention_heads=4,
        num_hidden_layers=2,
        image_size=32,
        patch_size=8,
    )
    config = LlavaConfig(
        vision_config=vision,
        text_config=_llama_config(tokenizer),
        image_token_index=tokenizer.convert_tokens_to_ids("<image>"),
    )
    # The I2V pipeline pads the expanded image tokens with the encoder config's pad id.
    config.pad_token_id = tokenizer.pad_token_id
    return LlavaForConditionalGeneration(config).eval()


def _hunyuan_vae() -> Any:
    """HunyuanVideo's causal 3D VAE: 8x spatial and 4x temporal compression, 4 latent channels."""
    import torch
    from diffusers import AutoencoderKLHunyuanVideo

    torch.manual_seed(0)
    return AutoencoderKLHunyuanVideo(
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        down_block_types=("HunyuanVideoDownBlock3D",) * 4,
        up_block_types=("HunyuanVideoUpBlock3D",) * 4,
        block_out_channels=(8, 8, 8, 8),
        layers_per_block=1,
        norm_num_groups=4,
        scaling_factor=0.476986,
        spatial_compression_ratio=8,
        temporal_compression_ratio=4,
        mid_block_add_attention=True,
    )


#: 2 heads of 10 (RoPE axes 2+4+4), one double and one single block, 2x2 patches like the real model.
_TRANSFORMER: dict[str, Any] = dict(
    in_channels=4,
    out_channels=4,
    num_attention_heads=2,
    attention_head_dim=10,
    num_layers=1,
    num_single_layers=1,
    num_refiner_layers=1,
    patch_size=2,
    patch_size_t=1,
    guidance_embeds=True,
    text_embed_dim=TEXT_DIM,
    pooled_projection_dim=TEXT_DIM,
    rope_axes_dim=(2, 4, 4),
)


def _hunyuan_transformer(image_condition_type: str | None = None) -> Any:
    import torch
    from diffusers import HunyuanVideoTransformer3DModel

    torch.manual_seed(0)
    return HunyuanVideoTransformer3DModel(**_TRANSFORMER, image_condition_type=image_condition_type)


def framepack_transformer() -> Any:
    """The tiny HunyuanVideo transformer plus FramePack's history embedder and image projection."""
    import torch
    from diffusers import HunyuanVideoFramepackTransformer3DModel

    torch.manual_seed(0)
    return HunyuanVideoFramepackTransformer3DModel(
        **_TRANSFORMER,
        image_condition_type=None,
        has_image_proj=True,
        image_proj_dim=16,
        has_clean_x_embedder=True,
    )


def siglip() -> dict[str, Any]:
    """A SigLIP image encoder 16 wide (32 px images in 8 px patches) and its processor."""
    import torch
    from transformers import SiglipImageProcessor, SiglipVisionConfig, SiglipVisionModel

    torch.manual_seed(0)
    config = SiglipVisionConfig(
        hidden_size=16,
        intermediate_size=37,
        num_hidden_layers=2,
        num_attention_heads=4,
        image_size=32,
        patch_size=8,
    )
    return {
        "image_encoder": SiglipVisionModel(config).eval(),
        "feature_extractor": SiglipImageProcessor(size={"height": 32, "width": 32}),
    }


def prompt_template(pipe: Any, image: bool = False) -> dict[str, Any]:
    """The pipeline's prompt template with crop indices counted by this pipeline's tokenizer.

    The published indices (``crop_start`` 95, image tokens at 5..581) count LLaMA-3
    tokens; the byte-level tokenizer splits the same template into more tokens, so
    the system prompt is cropped at the index counted here instead.
    """
    from diffusers.pipelines.hunyuan_video import pipeline_hunyuan_video as t2v
    from diffusers.pipelines.hunyuan_video import pipeline_hunyuan_video_image2video as i2v

    template: dict[str, Any] = dict(i2v.DEFAULT_PROMPT_TEMPLATE if image else t2v.DEFAULT_PROMPT_TEMPLATE)
    prefix = pipe.tokenizer(template["template"].split("{}")[0]).input_ids
    template["crop_start"] = len(prefix)
    if image:
        config = pipe.text_encoder.config
        vision = config.vision_config
        start = prefix.index(config.image_token_index)
        length = (vision.image_size // vision.patch_size) ** 2  # patch tokens; CLS is dropped
        template.update(image_emb_start=start, image_emb_end=start + length, image_emb_len=length)
    return template


# ---- HunyuanVideo 1.5 ---------------------------------------------------------------------------------


def build_hunyuan15(folder: Path, image: bool, guidance: float) -> None:
    """HunyuanVideo15Pipeline, or HunyuanVideo15ImageToVideoPipeline (with SigLIP) when ``image``."""
    import torch
    from diffusers import (
        AutoencoderKLHunyuanVideo15,
        FlowMatchEulerDiscreteScheduler,
        HunyuanVideo15ImageToVideoPipeline,
        HunyuanVideo15Pipeline,
        HunyuanVideo15Transformer3DModel,
    )
    from diffusers.guiders import ClassifierFreeGuidance
    from transformers import ByT5Tokenizer

    torch.manual_seed(0)
    transformer = HunyuanVideo15Transformer3DModel(
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
        target_size=TARGET_SIZE_15,
        task_type="i2v" if image else "t2v",
    )
    torch.manual_seed(0)
    # 16x spatial like the real VAE (one block per halving), so sizes follow the real rules.
    vae = AutoencoderKLHunyuanVideo15(
        latent_channels=4,
        block_out_channels=(8, 8, 8, 8, 8),
        layers_per_block=1,
        spatial_compression_ratio=16,
        temporal_compression_ratio=4,
        downsample_match_channel=False,
        upsample_match_channel=False,
    )
    tokenizer = _qwen_tokenizer()
    byt5 = ByT5Tokenizer()  # byte-level: needs no vocabulary file
    parts: dict[str, Any] = dict(
        transformer=transformer,
        vae=vae,
        scheduler=FlowMatchEulerDiscreteScheduler(shift=7.0),
        tokenizer=tokenizer,
        text_encoder=_qwen(tokenizer),
        tokenizer_2=byt5,
        text_encoder_2=tiny.t5_encoder(len(byt5)),
        guider=ClassifierFreeGuidance(guidance_scale=guidance),
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
