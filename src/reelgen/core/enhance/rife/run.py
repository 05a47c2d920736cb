"""RIFE on tensors: load once onto a device and precision, pad, infer a batch, crop; what a benchmark times."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from reelgen.core.enhance.rife.checkpoint import load
from reelgen.core.enhance.rife.ifnet import IFNet
from reelgen.core.enhance.tensors import pick_dtype


@dataclass
class Rife:
    """A loaded IFNet with where it runs and at which flow ``scale``."""

    net: IFNet
    device: str
    dtype: torch.dtype
    scale: float

    @classmethod
    def load(cls, weights: Path, device: str = "cpu", precision: str = "auto", scale: float = 1.0) -> Rife:
        return cls.on(load(weights), device, precision, scale)

    @classmethod
    def on(cls, net: IFNet, device: str = "cpu", precision: str = "auto", scale: float = 1.0) -> Rife:
        """A loaded ``net`` moved to ``device`` at ``precision``."""
        dtype = pick_dtype(device, precision)
        return cls(net.to(device=device, dtype=dtype), device, dtype, scale)

    @property
    def multiple(self) -> int:
        """Sides are padded to a multiple of this so every block's down- and up-sampling lines up."""
        return max(8, math.ceil(self.net.layout.multiple / self.scale))

    @torch.inference_mode()
    def __call__(self, a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """Frames at times ``t`` (B,) between ``a`` and ``b`` (B, 3, H, W, floats in [0, 1]) on ``device``."""
        h, w = a.shape[-2:]
        m = self.multiple
        pad = (0, math.ceil(w / m) * m - w, 0, math.ceil(h / m) * m - h)
        a = F.pad(a.to(self.dtype), pad, mode="replicate")
        b = F.pad(b.to(self.dtype), pad, mode="replicate")
        out = self.net(a, b, t.to(device=a.device, dtype=self.dtype), self.scale)
        return out[..., :h, :w].clamp(0.0, 1.0)
