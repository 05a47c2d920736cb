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
def kernel() -> Any:
    """The Triton kernel, built on first use (Triton is imported only then; it is absent on CPU-only installs).

    Built lazily also so that ``TRITON_INTERPRET=1`` set by a test before the
    first call runs it on the CPU.
    """
    import triton
    import triton.language as tl

    @triton.jit
    def conv3x3(
        x_ptr, x_stride, w_ptr, b_ptr, t_ptr, t_stride, y_ptr, y_stride,
        r_ptr, r_stride, r2_ptr, r2_stride, M, H, W,
        CIN: tl.constexpr, COUT: tl.constexpr, SPLIT: tl.constexpr,
        ADD_SUM: tl.constexpr, LRELU: tl.constexpr, RES: tl.constexpr, RES_ALPHA: tl.constexpr,
        RES2: tl.constexpr, UPSAMPLE: tl.constexpr,
        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
    ):  # fmt: skip
        # 1. Which pixels and output channels this program computes (the channel tiles of one
        #    pixel tile run side by side, so they share its input reads in L2).
        tiles_n: tl.constexpr = (COUT + BLOCK_N - 1) // BLOCK_N
        pid = tl.program_id(0)
        pid_m = pid // tiles_n
        pid_n = pid % tiles_n
        rows = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
        cols = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
        ks = tl.arange(0, BLOCK_K)
        in_m = rows < M
        in_n = cols < COUT
        px = rows % W
        py = (rows // W) % H
        rows64 = rows.to(tl.int64)
        # With UPSAMPLE the input is the picture at half size (H // 2 x W // 2, whole pixels
        # only), read as its nearest-neighbour x2 upscale: pixel (y, x) of the H x W picture
        # is pixel (y // 2, x // 2) of the input, so the upscaled copy is never written.
        half_w = W // 2
        first_of_image = (rows64 // (H * W)) * ((H // 2) * half_w)

        # 2. The implicit GEMM: for each of the nine taps and each BLOCK_K input channels, the
        #    shifted pixels (zero outside the picture: padding 1) times that tap's weights.
        chunks: tl.constexpr = CIN // BLOCK_K
        # Pointer tiles built once; each step moves them by a scalar (the tap's pixel shift and
        # the channel offset), so the loop does no per-element address arithmetic.
        a_at = x_ptr + rows64[:, None] * x_stride + ks[None, :]
        b_at = w_ptr + ks[:, None] * COUT + cols[None, :]
        b_ok = in_n[None, :]
        # tl.full, not tl.zeros: that is a jit helper, which the CPU interpreter (tests) cannot
        # call if Triton was imported before TRITON_INTERPRET was set.
        acc = tl.full((BLOCK_M, BLOCK_N), 0.0, dtype=tl.float32)
        for kk in range(9 * chunks):
            tap = kk // chunks
            dy = tap // 3 - 1
            dx = tap % 3 - 1
            ok = in_m & (py + dy >= 0) & (py + dy < H) & (px + dx >= 0) & (px + dx < W)
            if UPSAMPLE:
                src = first_of_image + ((py + dy) // 2) * half_w + (px + dx) // 2
                at = x_ptr + src[:, None] * x_stride + ((kk % chunks) * BLOCK_K + ks)[None, :]
                a = tl.load(at, mask=ok[:, None], other=0.0)
            else:
                shift = (dy * W + dx).to(tl.int64) * x_stride + (kk % chunks) * BLOCK_K
                a = tl.load(a_at + shift, mask=ok[:, None], other=0.0)
            b = tl.load(b_at + kk * BLOCK_K * COUT, mask=b_ok, other=0.0)
            acc = tl.dot(a, b, acc)

        # 3. The epilogue: earlier steps' partial sums, then finished columns through bias,
        #    LeakyReLU and residuals to y, unfinished ones back to t.
        t_at = t_ptr + rows64[:, None] * t_stride + cols[None, :]
        if ADD_SUM:
            acc += tl.load(t_at, mask=in_m[:, None] & in_n[None, :], other=0.0).to(tl.float32)
        done = cols < SPLIT
        if pid_n * BLOCK_N < SPLIT:
            v = acc + tl.load(b_ptr + cols, mask=done, other=0.0).to(tl.float32)[None, :]
            if LRELU:
                v = tl.where(v >= 0, v, v * 0.2)
            keep = in_m[:, None] & done[None, :]
            if RES:
                r = tl.load(r_ptr + rows64[:, None] * r_stride + cols[None, :], mask=keep, other=0.0)
                v = v * RES_ALPHA + r.to(tl.float32)
            if RES2:
                r2 = tl.load(r2_ptr + rows64[:, None] * r2_stride + cols[None, :], mask=keep, other=0.0)
                v = v * 0.2 + r2.to(tl.float32)
            tl.store(
                y_ptr + rows64[:, None] * y_stride + cols[None, :], v.to(y_ptr.dtype.element_ty), mask=keep
            )
        if SPLIT < COUT:
            keep_t = in_m[:, None] & ((cols >= SPLIT) & in_n)[None, :]
            tl.store(t_at, acc.to(t_ptr.dtype.element_ty), mask=keep_t)

    return conv3x3


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
    """
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
    kernel()[grid](
        x, x.stride(0), weight, bias,
        t if t is not None else dummy, t.stride(0) if t is not None else 0,
        y if y is not None else dummy, y.stride(0) if y is not None else 0,
        res if res is not None else dummy, res.stride(0) if res is not None else 0,
        res2 if res2 is not None else dummy, res2.stride(0) if res2 is not None else 0,
        m, hw[0], hw[1],
        CIN=cin, COUT=cout, SPLIT=split, ADD_SUM=add_sum, LRELU=lrelu, RES=res is not None,
        RES_ALPHA=res_alpha, RES2=res2 is not None, UPSAMPLE=upsample,
        BLOCK_M=tile.block_m, BLOCK_N=tile.block_n, BLOCK_K=tile.block_k,
        num_warps=tile.warps, num_stages=tile.stages,
    )  # fmt: skip


def _cdiv(a: int, b: int) -> int:
    return -(-a // b)


def _pow2_at_least(n: int) -> int:
    return 1 << (n - 1).bit_length()
