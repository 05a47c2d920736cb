"""The two Real-ESRGAN networks, RRDBNet (x4plus) and SRVGGNetCompact (animevideov3), with their published key names.

spandrel reads these same state dicts when it is installed; these modules are
what reelgen runs them with when it is not (spandrel needs a torchvision that
matches torch, which a CPU-only torch from PyPI's files may lack).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class ResidualDenseBlock(nn.Module):
    """Five 3x3 convs, each seeing every earlier output (dense), scaled by 0.2 onto the input."""

    def __init__(self, feat: int = 64, grow: int = 32) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(feat, grow, 3, 1, 1)
        self.conv2 = nn.Conv2d(feat + grow, grow, 3, 1, 1)
        self.conv3 = nn.Conv2d(feat + 2 * grow, grow, 3, 1, 1)
        self.conv4 = nn.Conv2d(feat + 3 * grow, grow, 3, 1, 1)
        self.conv5 = nn.Conv2d(feat + 4 * grow, feat, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(0.2, inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1 = self.lrelu(self.conv1(x))
        x2 = self.lrelu(self.conv2(torch.cat((x, x1), 1)))
        x3 = self.lrelu(self.conv3(torch.cat((x, x1, x2), 1)))
        x4 = self.lrelu(self.conv4(torch.cat((x, x1, x2, x3), 1)))
        x5 = self.conv5(torch.cat((x, x1, x2, x3, x4), 1))
        return x5 * 0.2 + x


class RRDB(nn.Module):
    """Three dense blocks in a row, scaled by 0.2 onto the input (residual in residual)."""

    def __init__(self, feat: int, grow: int) -> None:
        super().__init__()
        self.rdb1 = ResidualDenseBlock(feat, grow)
        self.rdb2 = ResidualDenseBlock(feat, grow)
        self.rdb3 = ResidualDenseBlock(feat, grow)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.rdb3(self.rdb2(self.rdb1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    """ESRGAN's generator (Wang et al. 2018) as Real-ESRGAN ships it: x4 by two nearest-neighbour x2 steps."""

    def __init__(
        self, blocks: int = 23, feat: int = 64, grow: int = 32, in_ch: int = 3, out_ch: int = 3
    ) -> None:
        super().__init__()
        self.scale = 4
        self.conv_first = nn.Conv2d(in_ch, feat, 3, 1, 1)
        self.body = nn.Sequential(*(RRDB(feat, grow) for _ in range(blocks)))
        self.conv_body = nn.Conv2d(feat, feat, 3, 1, 1)
        self.conv_up1 = nn.Conv2d(feat, feat, 3, 1, 1)
        self.conv_up2 = nn.Conv2d(feat, feat, 3, 1, 1)
        self.conv_hr = nn.Conv2d(feat, feat, 3, 1, 1)
        self.conv_last = nn.Conv2d(feat, out_ch, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(0.2, inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feat = self.conv_first(x)
        feat = feat + self.conv_body(self.body(feat))
        feat = self.lrelu(self.conv_up1(F.interpolate(feat, scale_factor=2, mode="nearest")))
        feat = self.lrelu(self.conv_up2(F.interpolate(feat, scale_factor=2, mode="nearest")))
        return self.conv_last(self.lrelu(self.conv_hr(feat)))


class SRVGGNetCompact(nn.Module):
    """Real-ESRGAN's compact video model: a plain conv + PReLU stack, pixel shuffle, plus the input upsampled."""

    def __init__(
        self, convs: int = 16, feat: int = 64, scale: int = 4, in_ch: int = 3, out_ch: int = 3
    ) -> None:
        super().__init__()
        self.scale = scale
        layers: list[nn.Module] = [nn.Conv2d(in_ch, feat, 3, 1, 1), nn.PReLU(num_parameters=feat)]
        for _ in range(convs):
            layers += [nn.Conv2d(feat, feat, 3, 1, 1), nn.PReLU(num_parameters=feat)]
        layers.append(nn.Conv2d(feat, out_ch * scale * scale, 3, 1, 1))
        self.body = nn.ModuleList(layers)
        self.upsampler = nn.PixelShuffle(scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x
        for layer in self.body:
            out = layer(out)
        # The network learns the residual over a nearest-neighbour upscale of its input.
        return self.upsampler(out) + F.interpolate(x, scale_factor=self.scale, mode="nearest")


def rrdb_from_state(state: dict[str, torch.Tensor]) -> RRDBNet:
    """An RRDBNet sized by a state dict's keys (block count, widths)."""
    blocks = 1 + max(int(k.split(".")[1]) for k in state if k.startswith("body."))
    feat, in_ch = state["conv_first.weight"].shape[:2]
    grow = state["body.0.rdb1.conv1.weight"].shape[0]
    out_ch = state["conv_last.weight"].shape[0]
    return RRDBNet(blocks, int(feat), int(grow), int(in_ch), int(out_ch))


def srvgg_from_state(state: dict[str, torch.Tensor]) -> SRVGGNetCompact:
    """An SRVGGNetCompact sized by a state dict's keys (conv count, width, scale)."""
    indices = sorted({int(k.split(".")[1]) for k in state if k.startswith("body.")})
    last = state[f"body.{indices[-1]}.weight"]
    feat, in_ch = state["body.0.weight"].shape[:2]
    convs = (indices[-1] - 2) // 2
    out_ch = 3 if in_ch == 3 else int(in_ch)
    scale = int(round((last.shape[0] / out_ch) ** 0.5))
    return SRVGGNetCompact(convs, int(feat), scale, int(in_ch), out_ch)
