"""The Practical-RIFE v4 network layouts reelgen loads, as pure data (no torch), so they can be listed anywhere."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """What tells one Practical-RIFE v4 release's network from another."""

    name: str
    widths: tuple[int, ...]  # channels of each IFBlock, coarse to fine
    head: tuple[int, int]  # Head: hidden channels, feature channels per frame
    carries_feat: bool  # blocks hand an 8-channel feature map to the next (v4.21 on)
    scales: tuple[int, ...]  # downscale of each block at scale 1.0

    @property
    def multiple(self) -> int:
        """Frames are padded to a multiple of this: the coarsest block downsamples by scales[0] * 4."""
        return self.scales[0] * 4


#: The v4 layouts this loader knows, by what their keys show. Releases that share a layout differ
#: only in their trained weights, so the name lists them all.
LAYOUTS: tuple[Layout, ...] = (
    Layout("v4.25/v4.26", (192, 128, 96, 64, 32), (16, 4), True, (16, 8, 4, 2, 1)),
    Layout("v4.25-lite", (192, 128, 96, 64, 24), (16, 4), True, (32, 16, 8, 4, 1)),
    Layout("v4.25-heavy", (384, 256, 192, 128, 64), (16, 4), True, (16, 8, 4, 2, 1)),
    Layout("v4.21-v4.23", (256, 192, 96, 48), (32, 8), True, (8, 4, 2, 1)),
    Layout("v4.22-lite", (192, 128, 64, 32), (16, 4), True, (8, 4, 2, 1)),
    Layout("v4.20", (384, 192, 96, 48), (32, 8), False, (8, 4, 2, 1)),
    Layout("v4.13-v4.19/v4.24", (192, 128, 96, 64), (32, 8), False, (8, 4, 2, 1)),
    Layout("v4.15-lite-v4.17-lite", (128, 96, 64, 48), (16, 4), False, (8, 4, 2, 1)),
)
