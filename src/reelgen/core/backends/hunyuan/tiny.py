"""Tiny HunyuanVideo builds, and the tiny parts FramePack and HunyuanVideo 1.5 reuse (LLaMA, VAE, SigLIP).

Real diffusers/transformers classes with small configs, seeded random weights
and tokenizers made in memory, saved as diffusers folders. The published
tokenizers (LLaMA-3) cannot be downloaded here, so a byte-level BPE tokenizer
with no merges stands in: one token per byte, never unknown, with the special
tokens the prompt templates use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.backends import tiny
from reelgen.core.backends.hunyuan import presets as hp
from reelgen.core.backends.tiny import TEXT_DIM
from reelgen.core.spec.family import Preset


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """HunyuanVideoPipeline, or HunyuanVideoImageToVideoPipeline (LLaVA encoder) for an i2v preset."""
    from diffusers import HunyuanVideoImageToVideoPipeline, HunyuanVideoPipeline
    from transformers import CLIPImageProcessor

    tokenizer = llama_tokenizer()
    parts = hunyuan_base(tokenizer)
    if preset.variant == hp.I2V:
        processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
        pipe: Any = HunyuanVideoImageToVideoPipeline(
            **parts,
            text_encoder=_llava(tokenizer),
            transformer=_transformer(image_condition_type="token_replace"),
            image_processor=processor,
        )
    else:
        pipe = HunyuanVideoPipeline(**parts, text_encoder=llama(tokenizer), transformer=_transformer())
    tiny.save_pipeline(pipe, folder)


def hunyuan_base(tokenizer: Any) -> dict[str, Any]:
    """The parts HunyuanVideo, its I2V and FramePack share: VAE, sampler, CLIP text encoder."""
    from diffusers import FlowMatchEulerDiscreteScheduler

    clip_tokenizer = tiny.clip_tokenizer()
    return dict(
        tokenizer=tokenizer,
        vae=_vae(),
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


def llama(tokenizer: Any) -> Any:
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


def _vae() -> Any:
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
TRANSFORMER: dict[str, Any] = dict(
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


def _transformer(image_condition_type: str | None = None) -> Any:
    import torch
    from diffusers import HunyuanVideoTransformer3DModel

    torch.manual_seed(0)
    return HunyuanVideoTransformer3DModel(**TRANSFORMER, image_condition_type=image_condition_type)


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


def prompt_template(pipe: Any) -> dict[str, Any]:
    """The pipeline's prompt template with crop indices counted by this pipeline's tokenizer.

    The published indices (``crop_start`` 95, image tokens at 5..581) count LLaMA-3
    tokens; the byte-level tokenizer splits the same template into more tokens, so
    the system prompt is cropped at the index counted here instead. A LLaVA text
    encoder (HunyuanVideo-I2V) reads the image template with its image tokens.
    """
    from diffusers.pipelines.hunyuan_video import pipeline_hunyuan_video as t2v
    from diffusers.pipelines.hunyuan_video import pipeline_hunyuan_video_image2video as i2v

    config = pipe.text_encoder.config
    image = getattr(config, "vision_config", None) is not None
    template: dict[str, Any] = dict(i2v.DEFAULT_PROMPT_TEMPLATE if image else t2v.DEFAULT_PROMPT_TEMPLATE)
    prefix = pipe.tokenizer(template["template"].split("{}")[0]).input_ids
    template["crop_start"] = len(prefix)
    if image:
        vision = config.vision_config
        start = prefix.index(config.image_token_index)
        length = (vision.image_size // vision.patch_size) ** 2  # patch tokens; CLS is dropped
        template.update(image_emb_start=start, image_emb_end=start + length, image_emb_len=length)
    return template
