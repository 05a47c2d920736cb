"""RRDBNet's dense blocks regrouped by input, so each convolution is one wide matrix product instead of five narrow ones.

A dense block's k-th convolution reads the concatenation of the input and every
earlier output and writes 32 channels. Convolution is linear in its input
channels, so conv_k(cat(x, x1, ..., x_{k-1})) is the sum of one convolution per
part. Regrouped by part, ``x`` feeds all five convolutions at once (64 -> 192
channels), ``x1`` the last four (32 -> 160) and so on: the same multiply-adds,
but as GEMMs 64 to 192 wide instead of 32, which is what tensor cores need to
run near their rate, and no concatenation copies. Partial sums are kept in the
network's dtype, so fp16/bf16 results differ from the stock order by rounding
only (the benchmark reports the error).

Each convolution's bias is added where its sum is read (before the LeakyReLU,
or before the residual), not to the wide first product: a bias on that
convolution is one more pass over all of its output channels, which the H200
probe (`benchmarks/gpu_rrdb_convs.py`) found costing more than the convolution.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from reelgen.core.enhance.upscale.arch import ResidualDenseBlock, RRDBNet


class RegroupedDenseBlock(nn.Module):
    """A ``ResidualDenseBlock`` computed part by part: same weights, regrouped (see the module docstring)."""

    def __init__(self, block: ResidualDenseBlock) -> None:
        super().__init__()
        convs = [block.conv1, block.conv2, block.conv3, block.conv4, block.conv5]
        feat, grow = block.conv1.in_channels, block.conv1.out_channels
        # Input part j (x, then x1..x4) occupies these input channels of every conv that reads it.
        bounds = [(0, feat)] + [(feat + i * grow, feat + (i + 1) * grow) for i in range(4)]
        self.grow = grow
        self.weights = nn.ParameterList(
            nn.Parameter(
                torch.cat([conv.weight[:, lo:hi] for conv in convs[j:]], dim=0).detach().clone(),
                requires_grad=False,
            )
            for j, (lo, hi) in enumerate(bounds)
        )
        # Conv k's bias, shaped to broadcast over the k-th slice when it is read (conv5's over the output).
        self.biases = nn.ParameterList(
            nn.Parameter(conv.bias.detach().clone().view(1, -1, 1, 1), requires_grad=False)
            for conv in convs
            if conv.bias is not None
        )
        if len(self.biases) != len(convs):
            raise ValueError("a dense block to regroup needs a bias on each of its five convolutions")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        g = self.grow
        # Every conv's sum starts from the input's contribution.
        acc = F.conv2d(x, self.weights[0], padding=1)
        for weight, bias in zip(self.weights[1:], self.biases, strict=False):
            part = F.leaky_relu(acc[:, :g] + bias, 0.2, inplace=True)
            acc = acc[:, g:] + F.conv2d(part, weight, padding=1)
        return torch.add(x, acc + self.biases[-1], alpha=0.2)


def regroup_dense_blocks(net: RRDBNet) -> RRDBNet:
    """Put a ``RegroupedDenseBlock`` in place of every dense block of ``net`` (in place; returns ``net``)."""
    for rrdb in net.body:
        for name in ("rdb1", "rdb2", "rdb3"):
            block = getattr(rrdb, name)
            if isinstance(block, ResidualDenseBlock):
                setattr(rrdb, name, RegroupedDenseBlock(block).to(block.conv1.weight.device))
    return net
