"""IFNet, the flow network of RIFE v4 (Huang et al., "Real-Time Intermediate Flow Estimation"), in one module.

Every Practical-RIFE release from v4.13 on shares this shape: a small ``Head``
encodes each frame into a few feature channels; a coarse-to-fine stack of
``IFBlock``s estimates two flows (middle -> frame 0, middle -> frame 1) and a
blend mask at decreasing scales, each refining the last; the middle frame is
the two frames warped by their flows and blended by the mask. Releases differ
only in widths, block count, scales and whether blocks pass a feature map on
(see ``rife.layouts.LAYOUTS``), so one parametrised module loads them all.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from reelgen.core.enhance.rife.layouts import Layout


def _conv(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1), nn.LeakyReLU(0.2, inplace=True))


class Head(nn.Module):
    """Per-frame features at full resolution: conv down, two convs, transposed conv back up."""

    def __init__(self, hidden: int, out: int) -> None:
        super().__init__()
        self.cnn0 = nn.Conv2d(3, hidden, 3, 2, 1)
        self.cnn1 = nn.Conv2d(hidden, hidden, 3, 1, 1)
        self.cnn2 = nn.Conv2d(hidden, hidden, 3, 1, 1)
        self.cnn3 = nn.ConvTranspose2d(hidden, out, 4, 2, 1)
        self.relu = nn.LeakyReLU(0.2, inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu(self.cnn0(x.clamp(0.0, 1.0)))
        x = self.relu(self.cnn1(x))
        x = self.relu(self.cnn2(x))
        return self.cnn3(x)


class ResConv(nn.Module):
    """A 3x3 conv added back to its input with a learned per-channel gain (``beta``)."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, 1, 1)
        self.beta = nn.Parameter(torch.ones((1, c, 1, 1)))
        self.relu = nn.LeakyReLU(0.2, inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.relu(self.conv(x) * self.beta + x)


class IFBlock(nn.Module):
    """One scale of the estimate: works at 1/(4 * scale) resolution, returns flow, mask (and features)."""

    def __init__(self, cin: int, c: int, cout: int) -> None:
        super().__init__()
        self.conv0 = nn.Sequential(_conv(cin, c // 2, 2), _conv(c // 2, c, 2))
        self.convblock = nn.Sequential(*(ResConv(c) for _ in range(8)))
        self.lastconv = nn.Sequential(nn.ConvTranspose2d(c, 4 * cout, 4, 2, 1), nn.PixelShuffle(2))

    def forward(
        self, x: torch.Tensor, flow: torch.Tensor | None, scale: float
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x = F.interpolate(x, scale_factor=1.0 / scale, mode="bilinear")
        if flow is not None:
            flow = F.interpolate(flow, scale_factor=1.0 / scale, mode="bilinear") / scale
            x = torch.cat((x, flow), 1)
        out = self.lastconv(self.convblock(self.conv0(x)))
        out = F.interpolate(out, scale_factor=scale, mode="bilinear")
        return out[:, :4] * scale, out[:, 4:5], out[:, 5:]


def warp(image: torch.Tensor, flow: torch.Tensor) -> torch.Tensor:
    """Sample ``image`` at each pixel plus ``flow`` (in pixels), bilinear, edges repeated."""
    b, _, h, w = flow.shape
    ys = torch.linspace(-1.0, 1.0, h, device=flow.device, dtype=torch.float32)
    xs = torch.linspace(-1.0, 1.0, w, device=flow.device, dtype=torch.float32)
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    # Pixels to grid_sample's [-1, 1] units (align_corners=True: the corner pixels sit at -1 and 1).
    fx = flow[:, 0].float() / ((w - 1.0) / 2.0)
    fy = flow[:, 1].float() / ((h - 1.0) / 2.0)
    grid = torch.stack((grid_x + fx, grid_y + fy), dim=-1)
    out = F.grid_sample(image.float(), grid, mode="bilinear", padding_mode="border", align_corners=True)
    return out.to(image.dtype)


class IFNet(nn.Module):
    """The flow network of one Practical-RIFE v4 layout; ``forward`` returns the frame at ``timestep``."""

    def __init__(self, layout: Layout) -> None:
        super().__init__()
        self.layout = layout
        hidden, feat = layout.head
        self.encode = Head(hidden, feat)
        extra = 8 if layout.carries_feat else 0
        cout = 5 + extra if layout.carries_feat else 6
        first = 7 + 2 * feat  # both frames, both features, the timestep
        later = 8 + 4 + 2 * feat + extra  # warped frames, warped features, timestep, mask; flow; features
        for i, c in enumerate(layout.widths):
            self.add_module(f"block{i}", IFBlock(first if i == 0 else later, c, cout))

    def blocks(self) -> list[IFBlock]:
        return [getattr(self, f"block{i}") for i in range(len(self.layout.widths))]

    def forward(
        self, img0: torch.Tensor, img1: torch.Tensor, timestep: torch.Tensor, scale: float = 1.0
    ) -> torch.Tensor:
        """The frame between ``img0`` and ``img1`` (B, 3, H, W in [0, 1]) at ``timestep`` (B,) in (0, 1).

        H and W must be multiples of ``layout.multiple / scale``; ``scale`` < 1
        estimates flow at lower resolution (for 4K), > 1 at higher.
        """
        img0, img1 = img0.clamp(0.0, 1.0), img1.clamp(0.0, 1.0)
        t = timestep.to(img0.dtype).view(-1, 1, 1, 1).expand(-1, 1, *img0.shape[2:])
        f0, f1 = self.encode(img0), self.encode(img1)
        flow: torch.Tensor | None = None
        mask = feat = torch.empty(0)
        warped0, warped1 = img0, img1
        for block, s in zip(self.blocks(), self.layout.scales, strict=True):
            if flow is None:
                flow, mask, feat = block(torch.cat((img0, img1, f0, f1, t), 1), None, s / scale)
            else:
                wf0, wf1 = warp(f0, flow[:, :2]), warp(f1, flow[:, 2:4])
                parts = [warped0, warped1, wf0, wf1, t, mask]
                if self.layout.carries_feat:
                    parts.append(feat)
                delta, mask, feat = block(torch.cat(parts, 1), flow, s / scale)
                flow = flow + delta
            warped0, warped1 = warp(img0, flow[:, :2]), warp(img1, flow[:, 2:4])
        weight = torch.sigmoid(mask)
        return warped0 * weight + warped1 * (1 - weight)
