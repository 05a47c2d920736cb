"""A 3x3 convolution over channels-last pixels in Triton, with RRDB's glue (bias, LeakyReLU, residuals, running sums) in its epilogue.

RRDBNet spends a third of a compiled frame outside its convolutions: adding
biases, LeakyReLU, the dense blocks' concatenations or running sums, and the
0.2-scaled residuals, each a pass over memory between two convolutions
(docs/benchmarks.md). This kernel is one implicit GEMM per convolution,
``pixels x (9 * CIN) @ (9 * CIN) x COUT``, whose epilogue does that glue while
the sums are still in registers, so the network becomes its convolutions and
nothing else.

Pixels are rows of a 2-D view, ``x_stride`` elements apart, so a
convolution can read a channel slice of a wider buffer (a dense block's
concatenation) and write into one, without copies. Output columns below
``split`` are finished convolutions (bias, activation, residuals, stored to
``y``); columns from ``split`` on are partial sums of later convolutions
(regrouped dense blocks, ``regroup.py``), stored raw to ``t``, where the next
step reads them back (``add_sum``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import torch


@dataclass(frozen=True)
class Tiling:
    """One launch shape: pixels and output channels per program, input channels per step, warps, pipeline depth."""

    block_m: int = 128
    block_n: int = 64
    block_k: int = 64
    warps: int = 4
    stages: int = 3

    def fit(self, cin: int, cout: int) -> Tiling:
        """This tiling with ``block_k`` narrowed until it divides ``cin`` (a step never straddles two taps).

        Output channels need not divide: the last tile's extra columns are masked.
        """
        block_k = self.block_k
        while cin % block_k:
            block_k //= 2
        if block_k < 16:
            raise ValueError(f"a 3x3 convolution of {cin} input channels needs a multiple of 16")
        block_n = max(16, min(self.block_n, _pow2_at_least(cout)))  # tl.dot's smallest width
        return Tiling(self.block_m, block_n, block_k, self.warps, self.stages)


@functools.cache
def kernels() -> dict[str, Any]:
    """The Triton kernels by layout ("rows", "padded"), imported on first use (Triton is absent on
    CPU-only installs).

    Reloaded, so that ``TRITON_INTERPRET=1`` set by a test before the first call
    (after ``kernels.cache_clear()``) runs them on the CPU.
    """
    import importlib

    from reelgen.core.enhance.upscale import triton_kernels

    module = importlib.reload(triton_kernels)
    return {"rows": module.conv3x3_rows, "padded": module.conv3x3_padded}


def pack_weight(weight: torch.Tensor) -> torch.Tensor:
    """A conv weight (COUT, CIN, 3, 3) as the kernel's (9 * CIN, COUT) matrix: row = tap * CIN + channel."""
    cout, cin = weight.shape[:2]
    return weight.permute(2, 3, 1, 0).reshape(9 * cin, cout).contiguous()


def conv3x3(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    y: torch.Tensor | None,
    hw: tuple[int, int],
    *,
    split: int | None = None,
    t: torch.Tensor | None = None,
    add_sum: bool = False,
    lrelu: bool = False,
    res: torch.Tensor | None = None,
    res_alpha: float = 1.0,
    res2: torch.Tensor | None = None,
    upsample: bool = False,
    padded: bool = False,
    tiling: Tiling = Tiling(),
) -> None:
    """One 3x3 convolution (padding 1) of ``x`` (pixels x CIN, rows of B*H*W pixels) with a packed ``weight``.

    Every tensor is a 2-D view ``(pixels, channels)`` whose rows may be further
    apart than its width (a channel slice of a wider buffer); channels are
    contiguous. Finished columns ``< split`` (default: all) get ``bias``, then
    LeakyReLU(0.2) if ``lrelu``, then ``v * res_alpha + res``, then
    ``v * 0.2 + res2``, and go to ``y``; the rest go raw to ``t``.
    ``add_sum`` first adds ``t``'s columns to the product. With ``upsample``,
    ``hw`` is the output's size and ``x`` holds the picture at half of it, read
    as its nearest-neighbour x2 upscale (RRDBNet's upsampling steps).

    With ``padded``, every picture has a one-pixel ring of zeros (``hw`` is its
    size with the ring): ``x``'s ring is read as the padding, and ``y``'s ring
    is written as zeros, so the output can be the next convolution's input.
    Each operand tile is then one tensor-memory copy (TMA, Hopper), with no
    masks; channel slices must start on 16 bytes.
    """
    if upsample and padded:
        raise ValueError("an upsampling convolution reads a picture without a zero ring")
    if upsample and (hw[0] % 2 or hw[1] % 2):
        raise ValueError(f"an upsampling convolution makes even sizes, not {hw[0]}x{hw[1]}")
    cin = x.shape[1]
    m = x.shape[0] * (4 if upsample else 1)  # output pixels
    cout = weight.shape[1]
    split = cout if split is None else split
    if weight.shape[0] != 9 * cin:
        raise ValueError(f"packed weight {tuple(weight.shape)} does not fit {cin} input channels")
    if (t is not None) != (split < cout or add_sum):
        raise ValueError("running sums need a t buffer, and only they do")
    for name, view in (("x", x), ("weight", weight), ("t", t), ("y", y), ("res", res), ("res2", res2)):
        if view is not None and (view.dim() != 2 or view.stride(1) != 1):
            raise ValueError(
                f"{name} must be a 2-D view with contiguous channels, got strides {view.stride()}"
            )
    tile = tiling.fit(cin, cout)
    dummy = x  # a pointer for arguments the constexpr flags switch off
    grid = (_cdiv(m, tile.block_m) * _cdiv(cout, tile.block_n),)
    epilogue = (
        bias,
        t if t is not None else dummy, t.stride(0) if t is not None else 0,
        y if y is not None else dummy, y.stride(0) if y is not None else 0,
        res if res is not None else dummy, res.stride(0) if res is not None else 0,
        res2 if res2 is not None else dummy, res2.stride(0) if res2 is not None else 0,
        m, hw[0], hw[1],
    )  # fmt: skip
    flags = {
        "CIN": cin, "COUT": cout, "SPLIT": split, "ADD_SUM": add_sum, "LRELU": lrelu,
        "RES": res is not None, "RES_ALPHA": res_alpha, "RES2": res2 is not None,
        "BLOCK_M": tile.block_m, "BLOCK_N": tile.block_n, "BLOCK_K": tile.block_k,
        "num_warps": tile.warps, "num_stages": tile.stages,
    }  # fmt: skip
    if padded:
        from triton.tools.tensor_descriptor import TensorDescriptor

        x_desc = TensorDescriptor.from_tensor(x, [tile.block_m, tile.block_k])
        w_desc = TensorDescriptor.from_tensor(weight, [tile.block_k, tile.block_n])
        kernels()["padded"][grid](x_desc, w_desc, *epilogue, **flags)
    else:
        kernels()["rows"][grid](x, x.stride(0), weight, *epilogue, UPSAMPLE=upsample, **flags)


def _cdiv(a: int, b: int) -> int:
    return -(-a // b)


def _pow2_at_least(n: int) -> int:
    return 1 << (n - 1).bit_length()
