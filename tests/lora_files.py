"""LoRA files for tests that only list, name or pass LoRAs along: the smallest file a request check takes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from safetensors.numpy import save_file


def write_lora(path: Path, rank: int = 4) -> Path:
    """A diffusers-format LoRA of one layer (random weights), as the request check reads its header."""
    rng = np.random.default_rng(rank)
    layer = "transformer.transformer_blocks.0.attn1.to_q"
    save_file(
        {
            f"{layer}.lora_A.weight": rng.standard_normal((rank, 32), dtype=np.float32),
            f"{layer}.lora_B.weight": rng.standard_normal((32, rank), dtype=np.float32),
        },
        str(path),
    )
    return path
