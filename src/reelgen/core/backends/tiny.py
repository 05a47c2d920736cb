"""Shared pieces of the tiny builds: in-memory tokenizers and small seeded text encoders.

Tiny models use the real diffusers/transformers classes with small configs and
seeded random weights, so the full load/generate path runs offline on a CPU.
"""

from __future__ import annotations

import string
from typing import Any

#: Hidden size of every tiny text encoder; families size their text projection to match.
TEXT_DIM = 32

_WORDS = [
    "a",
    "an",
    "the",
    "of",
    "on",
    "in",
    "at",
    "to",
    "and",
    "with",
    "over",
    "under",
    "red",
    "green",
    "blue",
    "yellow",
    "white",
    "black",
    "orange",
    "purple",
    "cat",
    "dog",
    "bird",
    "fish",
    "car",
    "city",
    "forest",
    "beach",
    "sea",
    "sky",
    "sunset",
    "night",
    "day",
    "camera",
    "moves",
    "left",
    "right",
    "up",
    "down",
    "slowly",
    "fast",
    "circle",
    "square",
    "triangle",
    "star",
    "small",
    "large",
    "background",
    "walks",
    "runs",
    "flies",
    "dance",
    "monkey",
    "low",
    "quality",
    "blurry",
]


def t5_tokenizer() -> Any:
    """A unigram T5 tokenizer from an in-memory vocabulary: known words, then single characters."""
    from transformers import T5Tokenizer

    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("\u2581", -2.0)]
    vocab += [("\u2581" + w, -3.0) for w in _WORDS]
    chars = [c for c in string.printable if not c.isspace()]
    vocab += [("\u2581" + c, -6.0) for c in chars] + [(c, -7.0) for c in chars]
    return T5Tokenizer(vocab=vocab, extra_ids=0)


def _bytes_to_unicode() -> list[str]:
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars, extra = printable[:], 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return [chr(c) for c in chars]


def clip_tokenizer(model_max_length: int = 77) -> Any:
    """A CLIP BPE tokenizer over the byte alphabet with no merges: character-level, never <unk>."""
    from transformers import CLIPTokenizer

    alphabet = _bytes_to_unicode()
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for ch in alphabet:
        vocab[ch] = len(vocab)
    for ch in alphabet:
        vocab[ch + "</w>"] = len(vocab)
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=model_max_length)


def t5_encoder(vocab_size: int, *, umt5: bool = False, seed: int = 0) -> Any:
    """A two-layer T5 (or UMT5) encoder of width TEXT_DIM with seeded weights."""
    import torch
    from transformers import T5Config, T5EncoderModel, UMT5Config, UMT5EncoderModel

    kw: dict[str, Any] = dict(
        vocab_size=vocab_size,
        d_model=TEXT_DIM,
        d_kv=8,
        d_ff=37,
        num_layers=2,
        num_heads=4,
        relative_attention_num_buckets=8,
        dropout_rate=0.0,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    torch.manual_seed(seed)
    model = UMT5EncoderModel(UMT5Config(**kw)) if umt5 else T5EncoderModel(T5Config(**kw))
    return model.eval()


def clip_text_encoder(vocab_size: int, hidden_size: int = TEXT_DIM, seed: int = 0) -> Any:
    import torch
    from transformers import CLIPTextConfig, CLIPTextModel

    torch.manual_seed(seed)
    config = CLIPTextConfig(
        bos_token_id=0,
        eos_token_id=1,
        pad_token_id=1,
        hidden_size=hidden_size,
        intermediate_size=37,
        layer_norm_eps=1e-5,
        num_attention_heads=4,
        num_hidden_layers=2,
        vocab_size=vocab_size,
        max_position_embeddings=77,
    )
    return CLIPTextModel(config).eval()


def save_pipeline(pipe: Any, folder: Any) -> None:
    """Save a tiny pipeline as a diffusers folder (safetensors), the layout real checkpoints have."""
    pipe.save_pretrained(str(folder), safe_serialization=True)
