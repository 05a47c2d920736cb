"""The Triton kernels behind ``triton_conv.conv3x3``: implicit-GEMM 3x3 convolutions with RRDB's glue in their epilogue.

Imported only by ``triton_conv.kernels()``, on first use: Triton is absent on
CPU-only installs, and ``triton.jit`` decides at import whether the kernels run
compiled or in Triton's CPU interpreter (``TRITON_INTERPRET=1``, the tests).
"""

# Triton's language is typed when a kernel is traced, not by mypy.
# mypy: ignore-errors

import triton
import triton.language as tl


@triton.jit
def finish(
    acc, rows64, cols, in_m, inside, pid_n, b_ptr, t_ptr, t_stride, y_ptr, y_stride,
    r_ptr, r_stride, r2_ptr, r2_stride,
    COUT: tl.constexpr, SPLIT: tl.constexpr, ADD_SUM: tl.constexpr, LRELU: tl.constexpr,
    RES: tl.constexpr, RES_ALPHA: tl.constexpr, RES2: tl.constexpr, BLOCK_N: tl.constexpr,
):  # fmt: skip
    # The epilogue: earlier steps' partial sums, then finished columns through bias,
    # LeakyReLU and residuals to y (zero outside the picture: ``inside``), unfinished ones back to t.
    in_n = cols < COUT
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
        v = tl.where(inside[:, None], v, 0.0)
        tl.store(y_ptr + rows64[:, None] * y_stride + cols[None, :], v.to(y_ptr.dtype.element_ty), mask=keep)
    if SPLIT < COUT:
        keep_t = in_m[:, None] & ((cols >= SPLIT) & in_n)[None, :]
        tl.store(t_at, acc.to(t_ptr.dtype.element_ty), mask=keep_t)


@triton.jit
def conv3x3_rows(
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

    # 3. The epilogue.
    finish(
        acc, rows64, cols, in_m, in_m, pid_n, b_ptr, t_ptr, t_stride, y_ptr, y_stride,
        r_ptr, r_stride, r2_ptr, r2_stride, COUT, SPLIT, ADD_SUM, LRELU, RES, RES_ALPHA, RES2, BLOCK_N,
    )  # fmt: skip


@triton.jit
def conv3x3_padded(
    x_desc, w_desc, b_ptr, t_ptr, t_stride, y_ptr, y_stride,
    r_ptr, r_stride, r2_ptr, r2_stride, M, HP, WP,
    CIN: tl.constexpr, COUT: tl.constexpr, SPLIT: tl.constexpr,
    ADD_SUM: tl.constexpr, LRELU: tl.constexpr, RES: tl.constexpr, RES_ALPHA: tl.constexpr,
    RES2: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
):  # fmt: skip
    # Pictures with a one-pixel zero ring (HP x WP each): a tap is then the same pixel rows
    # shifted by dy * WP + dx, with no mask, so each operand is one tensor-memory (TMA) copy
    # of a whole tile; rows before the first or after the last read as zeros.
    tiles_n: tl.constexpr = (COUT + BLOCK_N - 1) // BLOCK_N
    pid = tl.program_id(0)
    pid_m = pid // tiles_n
    pid_n = pid % tiles_n
    row0 = pid_m * BLOCK_M
    rows = row0 + tl.arange(0, BLOCK_M)
    cols = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    chunks: tl.constexpr = CIN // BLOCK_K
    acc = tl.full((BLOCK_M, BLOCK_N), 0.0, dtype=tl.float32)
    for kk in range(9 * chunks):
        tap = kk // chunks
        a = x_desc.load([row0 + (tap // 3 - 1) * WP + (tap % 3 - 1), (kk % chunks) * BLOCK_K])
        b = w_desc.load([kk * BLOCK_K, pid_n * BLOCK_N])
        acc = tl.dot(a, b, acc)
    # The ring's outputs are stored as zeros: the next convolution reads them as its padding.
    px = rows % WP
    py = (rows // WP) % HP
    inside = (px > 0) & (px < WP - 1) & (py > 0) & (py < HP - 1)
    finish(
        acc, rows.to(tl.int64), cols, rows < M, inside, pid_n, b_ptr, t_ptr, t_stride, y_ptr, y_stride,
        r_ptr, r_stride, r2_ptr, r2_stride, COUT, SPLIT, ADD_SUM, LRELU, RES, RES_ALPHA, RES2, BLOCK_N,
    )  # fmt: skip
