"""The VAE decode of a split run: rank 0 alone, or (Wan) pipelined over the processes' devices.

Wan's VAE decodes one latent frame at a time, each layer keeping a cache of the
frames before; a frame cannot be decoded before the one ahead of it, so the clip
cannot be cut in time, and its mid-block attention sees whole frames, so it cannot
be cut in space without changing the pixels. It can be cut by layers: process 0
runs the first up-blocks on frame i+1 while process 1 runs the last ones on frame
i. Every layer runs exactly as on one device, so the frames are the same; the time
is that of the slowest stage (about 0.6 of the whole with two stages, 0.4 with three).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from typing import Any

import torch
import torch.distributed as dist
from torch import nn

from reelgen.core.parallel.group import RankGroup


class _PassThrough(nn.Module):
    """Stands in for a layer another process runs: takes the decoder's arguments, returns ``x``."""

    def forward(self, x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
        return x


def stage_costs(decoder: Any) -> list[float]:
    """Relative work per latent frame of [conv_in + mid-block, up-block 0, ..., last up-block + head].

    Parameters times the pixels and frames each block sees: every up-sampler doubles the
    sides of what follows it, a temporal one (``upsample3d``) doubles its frames too.
    """

    def size(*modules: Any) -> float:
        return float(sum(p.numel() for m in modules for p in m.parameters()))

    costs = [size(decoder.conv_in, decoder.mid_block)]
    scale = 1.0
    blocks = list(decoder.up_blocks)
    for i, block in enumerate(blocks):
        head = (decoder.norm_out, decoder.conv_out) if i == len(blocks) - 1 else ()
        costs.append(size(block, *head) * scale)
        modes = [getattr(m, "mode", "") for m in block.modules()]
        scale *= (4.0 if any(str(m).startswith("upsample") for m in modes) else 1.0) * (
            2.0 if "upsample3d" in modes else 1.0
        )
    return costs


def split_points(costs: list[float], processes: int) -> list[int]:
    """Where to cut ``costs`` into contiguous stages (at most ``processes``) so the slowest is fastest.

    Returns the cut indices; more stages are used only where they shorten the slowest one.
    """
    best: tuple[float, list[int]] = (sum(costs), [])
    for stages in range(2, min(processes, len(costs)) + 1):
        for cuts in combinations(range(1, len(costs)), stages - 1):
            bounds = [0, *cuts, len(costs)]
            slowest = max(sum(costs[a:b]) for a, b in zip(bounds, bounds[1:], strict=False))
            if slowest < best[0] * 0.95:  # a stage that saves under 5% is not worth a hand-off
                best = (slowest, list(cuts))
    return best[1]


class _Link:
    """Hands tensors of varying shape to the next stage: the shape over the control group, then the data."""

    def __init__(self, group: RankGroup) -> None:
        self.group = group
        self.pending: list[Any] = []

    def send(self, tensor: torch.Tensor, to: int) -> None:
        self.flush()  # at most one hand-off in flight, so the sender runs one frame ahead
        tensor = tensor.contiguous()
        shape = torch.tensor([tensor.ndim, *tensor.shape, *[0] * (8 - tensor.ndim)])
        self.pending = [
            dist.isend(shape, to, group=self.group.control),
            dist.isend(tensor, to),
            tensor,  # kept alive until sent
        ]

    def receive(self, source: int, like: torch.Tensor) -> torch.Tensor:
        header = torch.zeros(9, dtype=torch.int64)
        dist.recv(header, source, group=self.group.control)
        shape = header[1 : 1 + int(header[0])].tolist()
        tensor = torch.empty(shape, dtype=like.dtype, device=like.device)
        dist.recv(tensor, source)
        return tensor

    def flush(self) -> None:
        for work in self.pending[:2]:
            work.wait()
        self.pending = []


class _Stage(nn.Module):
    """Process ``stage``'s part of the decoder: receive from the stage before, run, send to the next."""

    def __init__(self, decoder: Any, stage: int, stages: int, link: _Link) -> None:
        super().__init__()
        self.decoder, self.stage, self.stages, self.link = decoder, stage, stages, link
        self.channels = decoder.conv_out.out_channels if hasattr(decoder.conv_out, "out_channels") else 3

    def forward(self, x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
        if self.stage > 0:
            x = self.link.receive(self.stage - 1, x)
        out: torch.Tensor = self.decoder(x, *args, **kwargs)
        if self.stage == self.stages - 1:
            return out
        self.link.send(out, self.stage + 1)
        # No frames here: the clip is assembled by the last stage.
        return out.new_zeros((out.shape[0], self.channels, 0, *out.shape[3:]))


def cut(decoder: Any, first: int, last: int, blocks: int) -> None:
    """Keep segments ``first`` .. ``last`` of ``decoder`` (segment 0 is conv_in + mid-block)."""
    channels = decoder.conv_out.out_channels
    if first > 0:
        decoder.conv_in, decoder.mid_block = _PassThrough(), _PassThrough()
    decoder.up_blocks = nn.ModuleList(list(decoder.up_blocks)[max(first - 1, 0) : last - 1])
    if last < blocks:
        decoder.norm_out, decoder.nonlinearity, decoder.conv_out = (
            nn.Identity(),
            nn.Identity(),
            _PassThrough(),
        )
        decoder.conv_out.out_channels = channels


def pipeline(vae: Any, group: RankGroup) -> tuple[int, Callable[[Any, tuple[Any, ...], dict[str, Any]], Any]]:
    """Cut ``vae``'s decoder into stages over the first processes; returns the stage count and the decode.

    The decode, called on every process with the pipeline's arguments, returns the clip on
    rank 0 and None elsewhere. One stage: rank 0 decodes alone.
    """
    decoder = vae.decoder
    cuts = split_points(stage_costs(decoder), group.world)
    stages = len(cuts) + 1
    if group.rank < stages and stages > 1:
        bounds = [0, *cuts, len(decoder.up_blocks) + 1]
        link = _Link(group)
        cut(decoder, bounds[group.rank], bounds[group.rank + 1], len(decoder.up_blocks) + 1)
        vae.decoder = _Stage(decoder, group.rank, stages, link)

    def decode(real: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if group.rank >= stages:
            return None
        out = real(*args, **kwargs)
        if stages == 1:
            return out
        clip = out[0] if isinstance(out, tuple) else out.sample
        if group.rank == stages - 1:
            link.send(clip, 0)
            link.flush()
            return None
        if group.rank == 0:
            clip = link.receive(stages - 1, clip)
            link.flush()
            return (clip,) if isinstance(out, tuple) else type(out)(sample=clip)
        link.flush()
        return None

    return stages, decode
