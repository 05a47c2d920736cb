"""reelgen-micro's architecture: Wan 2.2 TI2V-style parts at small scale, a word-level tokenizer, prompt encoding.

The model is the Wan family's own diffusers classes (WanTransformer3DModel,
AutoencoderKLWan, UMT5EncoderModel) sized to run on a laptop CPU; 13,580,140
parameters in all, as counted in the shipped safetensors:

- VAE: Wan 2.2 layout (2x2 pixel patches in, residual down/up blocks), 8x spatial
  and 4x temporal compression to 16 channels; working at half resolution from
  the first layer keeps it cheap: 128x128x25 encodes in about 21 GFLOP and
  decodes in about 120. 4,709,420 parameters.
- Transformer: 8 blocks of width 256 (4 heads of 64), patch 1x2x2, so a
  128x128x25 clip is 7 x 8 x 8 = 448 tokens (about 7 GFLOP per forward pass). 8,047,936 parameters.
- Text: a 3-layer UMT5 encoder of width 128 over a word-level vocabulary built in
  memory (``vocabulary.py``). 822,784 parameters.

Image-to-video works as in Wan 2.2 TI2V-5B (``expand_timesteps``): the first
latent frame is replaced by the encoded start image and gets timestep 0.
This module (like the package's ``__init__``) imports no pydantic, so the
training script runs where only torch, transformers and diffusers are installed.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelgen.core.backends.micro.vocabulary import vocabulary

if TYPE_CHECKING:
    from reelgen.core.spec.family import Preset

#: Prompts are cut (and zero-padded) to this many tokens, in training and at inference alike.
MAX_TOKENS = 40
#: Flow shift of the sampler: >1 spends more steps at high noise, where layout and colour are decided.
FLOW_SHIFT = 2.0
Z_DIM = 16

VAE_CONFIG: dict[str, Any] = dict(
    base_dim=32,
    decoder_base_dim=48,
    z_dim=Z_DIM,
    dim_mult=[1, 2, 2],
    num_res_blocks=1,
    attn_scales=[],
    temperal_downsample=[True, True],
    dropout=0.0,
    is_residual=True,
    in_channels=12,
    out_channels=12,
    patch_size=2,
    latents_mean=[0.0] * Z_DIM,
    latents_std=[1.0] * Z_DIM,
    scale_factor_temporal=4,
    scale_factor_spatial=8,
)
TRANSFORMER_CONFIG: dict[str, Any] = dict(
    patch_size=(1, 2, 2),
    num_attention_heads=4,
    attention_head_dim=64,
    in_channels=Z_DIM,
    out_channels=Z_DIM,
    text_dim=128,
    freq_dim=256,
    ffn_dim=768,
    num_layers=8,
    cross_attn_norm=True,
    qk_norm="rms_norm_across_heads",
    eps=1e-6,
    rope_max_seq_len=1024,
)
TEXT_CONFIG: dict[str, Any] = dict(
    d_model=128,
    d_kv=32,
    d_ff=512,
    num_layers=3,
    num_heads=4,
    relative_attention_num_buckets=32,
    relative_attention_max_distance=64,
    feed_forward_proj="gated-gelu",
    dropout_rate=0.0,
    pad_token_id=0,
    eos_token_id=1,
    decoder_start_token_id=0,
)


def build_tokenizer() -> Any:
    """A T5 (unigram) tokenizer whose pieces are the caption vocabulary's words, then single characters.

    Every known word is one token; anything else falls back to characters, so no
    input becomes <unk>.
    """
    from transformers import T5Tokenizer

    pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("\u2581", -2.0)]
    pieces += [("\u2581" + word, -1.0) for word in vocabulary()]
    chars = [c for c in string.printable if not c.isspace()]
    pieces += [("\u2581" + c, -10.0) for c in chars] + [(c, -11.0) for c in chars]
    seen: set[str] = set()
    unique = [(p, s) for p, s in pieces if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]
    return T5Tokenizer(vocab=unique, extra_ids=0, model_max_length=MAX_TOKENS)


def build_text_encoder(vocab_size: int, seed: int = 0) -> Any:
    import torch
    from transformers import UMT5Config, UMT5EncoderModel

    torch.manual_seed(seed)
    return UMT5EncoderModel(UMT5Config(vocab_size=vocab_size, **TEXT_CONFIG)).eval()


def build_vae(seed: int = 0) -> Any:
    import torch
    from diffusers import AutoencoderKLWan

    torch.manual_seed(seed)
    return AutoencoderKLWan(**VAE_CONFIG)


def build_transformer(seed: int = 0) -> Any:
    import torch
    from diffusers import WanTransformer3DModel

    torch.manual_seed(seed)
    return WanTransformer3DModel(**TRANSFORMER_CONFIG)


def build_scheduler(shift: float = FLOW_SHIFT) -> Any:
    """Wan's own sampler: UniPC over flow-matching sigmas."""
    from diffusers import UniPCMultistepScheduler

    return UniPCMultistepScheduler(
        prediction_type="flow_prediction", use_flow_sigmas=True, num_train_timesteps=1000, flow_shift=shift
    )


def assemble(
    tokenizer: Any, text_encoder: Any, transformer: Any, vae: Any, scheduler: Any | None = None
) -> Any:
    """A WanPipeline (TI2V layout) from the parts."""
    from diffusers import WanPipeline

    return WanPipeline(
        tokenizer=tokenizer,
        text_encoder=text_encoder,
        transformer=transformer,
        vae=vae,
        scheduler=scheduler or build_scheduler(),
        expand_timesteps=True,
    )


def build_untrained(seed: int = 0) -> Any:
    """The micro pipeline with seeded random weights: the starting point of training and the tiny build."""
    tokenizer = build_tokenizer()
    return assemble(
        tokenizer, build_text_encoder(len(tokenizer), seed), build_transformer(seed), build_vae(seed)
    )


def build_tiny(preset: Preset, folder: Path) -> None:
    """The spec's tiny builder: the micro architecture with seeded random weights (what training starts from)."""
    save(build_untrained(seed=0), folder)


def save(pipe: Any, folder: str | Path, dtype: Any = None) -> None:
    """Write ``pipe`` as a diffusers folder of safetensors; ``dtype`` (e.g. float16) shrinks the files."""
    if dtype is not None:
        for part in (pipe.transformer, pipe.text_encoder, pipe.vae):
            part.to(dtype)
    pipe.save_pretrained(str(folder), safe_serialization=True)


def encode_prompts(tokenizer: Any, text_encoder: Any, prompts: list[str], device: Any = None) -> Any:
    """Prompt embeddings exactly as WanPipeline makes them: encoded, then zeroed past each prompt's end."""

    inputs = tokenizer(
        prompts,
        padding="max_length",
        max_length=MAX_TOKENS,
        truncation=True,
        add_special_tokens=True,
        return_attention_mask=True,
        return_tensors="pt",
    )
    device = device or text_encoder.device
    ids, mask = inputs.input_ids.to(device), inputs.attention_mask.to(device)
    hidden = text_encoder(ids, mask).last_hidden_state
    return hidden * mask.unsqueeze(-1).to(hidden.dtype)
