"""VAE decode settings: cuDNN's autotuned convolution algorithms for the fixed shapes of a decode.

Tiling stays the memory plan's call (on only when the plan needs it) and the
VAE keeps the dtype its family chose (Wan's stays float32: it loses detail in
bf16). What is left is how the convolutions run: with ``cudnn.benchmark`` cuDNN
times its algorithms once per shape and keeps the fastest, where the default
picks by heuristic.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def tuned_convolutions() -> Iterator[None]:
    """cuDNN autotuning on for the duration (the pipeline call, whose decode is the last stage)."""
    import torch

    before = torch.backends.cudnn.benchmark
    torch.backends.cudnn.benchmark = True
    try:
        yield
    finally:
        torch.backends.cudnn.benchmark = before
