"""FP8 feed-forward layers whose GELU writes the down projection's FP8 input in one pass over each row.

In a block with FP8 linears (torchao, dynamic scales per row) the FFN's hidden
activation is the widest tensor of the step: Wan 1.3B at 832x480x81 with CFG
has 65,520 rows of 8,960 values per block. torchao casts it for the down
projection with two kernels Inductor does not fuse: one reads the up
projection's output to take each row's largest GELU magnitude, the next reads
it again to apply GELU and cast. On an H200 those two took 4.1 ms per two Wan
1.3B blocks against 1.6 ms for the plain bf16 GELU (docs/benchmarks.md,
run 16). Here one Triton program holds a whole row in registers: GELU, the
row's maximum, the cast and the scale in one read and one write. The down
projection then runs ``torch._scaled_mm`` on weights cast once, per output
channel, when the layer is swapped.
"""

from __future__ import annotations

import functools
from typing import Any

import torch

#: Largest finite e4m3 value.
E4M3_MAX = 448.0
#: Widest hidden row one Triton program takes whole (in registers). Wan 14B's 13,824 and LTX's 8,192
#: fit; a wider FFN keeps torchao's two-kernel cast.
MAX_WIDTH = 32768


def reference(hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """GELU (tanh) of ``hidden`` (rows, width) as e4m3 with one float32 scale per row (rows, 1), in torch ops."""
    act = torch.nn.functional.gelu(hidden.float(), approximate="tanh")
    top = act.abs().amax(dim=-1, keepdim=True).clamp_min(1e-12)
    return (act * (E4M3_MAX / top)).clamp(-E4M3_MAX, E4M3_MAX).to(torch.float8_e4m3fn), top / E4M3_MAX


@functools.cache
def triton_available() -> bool:
    """Whether Triton imports (PyTorch's CUDA wheels ship it; CPU installs have none)."""
    try:
        import triton  # noqa: F401
    except ImportError:
        return False
    return True


def pieces(width: int) -> tuple[int, int, int]:
    """Three power-of-two lengths (Triton's blocks) that cover a row of ``width`` with little left over.

    One block of the next power of two would leave 45 % of its lanes idle on Wan
    1.3B's 8,960-wide rows (16,384), and on an H200 the kernel moved 2.0 TB/s
    there against 3.5 on LTX's 8,192 (docs/benchmarks.md, run 17). Pieces of the
    binary expansion cover 8,960 as 8,192 + 512 + 256 exactly; the last piece is
    rounded up and masked, and unused pieces are 16 long and fully masked.
    """
    first = 1 << (width.bit_length() - 1)
    rest = width - first
    second = 1 << (rest.bit_length() - 1) if rest else 0
    rest -= second
    third = 1 << (rest - 1).bit_length() if rest else 0
    return first, max(second, 16), max(third, 16)


@functools.cache
def _triton_kernel() -> Any:
    import triton
    import triton.language as tl

    @triton.jit
    def gelu_piece(hidden, row, width, start, PIECE: tl.constexpr):  # noqa: N803
        cols = start + tl.arange(0, PIECE)
        x = tl.load(hidden + row * width + cols, mask=cols < width, other=0.0).to(tl.float32)
        # GELU's tanh form: 0.5 x (1 + tanh(u)) == x * sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3)
        return x * tl.sigmoid(1.5957691216057308 * (x + 0.044715 * x * x * x))

    @triton.jit
    def store_piece(out, row, width, start, act, inverse, PIECE: tl.constexpr):  # noqa: N803
        cols = start + tl.arange(0, PIECE)
        quantized = tl.clamp(act * inverse, -448.0, 448.0).to(tl.float8e4nv)
        tl.store(out + row * width + cols, quantized, mask=cols < width)

    @triton.jit
    def gelu_fp8_rows(hidden, out, scales, width, P1: tl.constexpr, P2: tl.constexpr, P3: tl.constexpr):  # noqa: N803
        row = tl.program_id(0).to(tl.int64)
        a = gelu_piece(hidden, row, width, 0, P1)
        b = gelu_piece(hidden, row, width, P1, P2)
        c = gelu_piece(hidden, row, width, P1 + P2, P3)
        # Masked lanes hold GELU(0) == 0, so they never raise the row's maximum.
        top = tl.maximum(tl.max(tl.abs(a), axis=0), tl.max(tl.abs(b), axis=0))
        top = tl.maximum(tl.maximum(top, tl.max(tl.abs(c), axis=0)), 1e-12)
        inverse = 448.0 / top
        store_piece(out, row, width, 0, a, inverse, P1)
        store_piece(out, row, width, P1, b, inverse, P2)
        store_piece(out, row, width, P1 + P2, c, inverse, P3)
        tl.store(scales + row, top / 448.0)

    return gelu_fp8_rows


def _triton(hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    rows, width = hidden.shape
    hidden = hidden.contiguous()
    out = torch.empty((rows, width), dtype=torch.float8_e4m3fn, device=hidden.device)
    scales = torch.empty((rows, 1), dtype=torch.float32, device=hidden.device)
    first, second, third = pieces(width)
    # 8 warps: 36 values a thread on Wan 1.3B's rows, the fastest of 4-32 warps measured there (run 17).
    _triton_kernel()[(rows,)](hidden, out, scales, width, P1=first, P2=second, P3=third, num_warps=8)
    return out, scales


@functools.cache
def gelu_fp8_op() -> Any:
    """``torch.ops.reelgen.gelu_fp8_rows``: the fused cast (Triton on CUDA, torch ops elsewhere), opaque to Inductor."""

    @torch.library.custom_op("reelgen::gelu_fp8_rows", mutates_args=())
    def gelu_fp8_rows(hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if hidden.is_cuda and triton_available():
            return _triton(hidden)
        return reference(hidden)

    @gelu_fp8_rows.register_fake
    def _(hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return (
            hidden.new_empty(hidden.shape, dtype=torch.float8_e4m3fn),
            hidden.new_empty((hidden.shape[0], 1), dtype=torch.float32),
        )

    return gelu_fp8_rows


def quantize_weight(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """A linear layer's weight (out, in) as e4m3 with one float32 scale per output channel, shaped (1, out)."""
    scale = weight.float().abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / E4M3_MAX
    quantized = (weight.float() / scale).clamp(-E4M3_MAX, E4M3_MAX).to(torch.float8_e4m3fn)
    return quantized, scale.reshape(1, -1)


class GeluFP8FeedForward(torch.nn.Module):
    """diffusers' ``FeedForward`` with a tanh GELU, its down projection fed by the fused cast.

    ``up`` stays an ``nn.Linear`` (FP8 linears then swap it like any other);
    the down projection's weight is cast here, once.
    """

    down_weight: torch.Tensor
    down_scale: torch.Tensor
    down_bias: torch.Tensor | None

    def __init__(self, up: torch.nn.Linear, down: torch.nn.Linear) -> None:
        super().__init__()
        self.up = up
        weight, scale = quantize_weight(down.weight.detach())
        self.register_buffer("down_weight", weight)
        self.register_buffer("down_scale", scale)
        self.register_buffer("down_bias", None if down.bias is None else down.bias.detach().clone())
        self.out_features = down.out_features
        gelu_fp8_op()  # registered here: traced inside the compiled block, the cached call broke the graph

    def forward(self, hidden_states: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
        hidden = self.up(hidden_states)
        rows = hidden.reshape(-1, hidden.shape[-1])
        quantized, scales = torch.ops.reelgen.gelu_fp8_rows(rows)
        out = torch._scaled_mm(
            quantized,
            self.down_weight.t(),  # column-major (in, out), as the FP8 product wants its second operand
            scale_a=scales,
            scale_b=self.down_scale,
            bias=self.down_bias,
            out_dtype=hidden.dtype,
            use_fast_accum=True,
        )
        return out.reshape(*hidden.shape[:-1], self.out_features)


def fusable(module: torch.nn.Module) -> tuple[torch.nn.Linear, torch.nn.Linear] | None:
    """``module``'s (up, down) projections when it is a diffusers ``FeedForward`` this cast can take."""
    net = getattr(module, "net", None)
    if type(module).__name__ != "FeedForward" or not isinstance(net, torch.nn.ModuleList) or len(net) < 3:
        return None
    act, down = net[0], net[2]
    rest = [net[1], *net[3:]]
    up = getattr(act, "proj", None)
    if (
        type(act).__name__ != "GELU"
        or getattr(act, "approximate", None) != "tanh"
        or not isinstance(up, torch.nn.Linear)
        or not isinstance(down, torch.nn.Linear)
        or not all(isinstance(m, torch.nn.Dropout) and (m.p == 0 or not m.training) for m in rest)
        or up.out_features > MAX_WIDTH
        or any(side % 16 for side in (up.in_features, up.out_features, down.out_features))
    ):
        return None
    return up, down


def fuse_feed_forwards(block: torch.nn.Module, keep: tuple[str, ...] = ()) -> list[str]:
    """Swap ``block``'s fusable feed-forwards in place; returns their names within the block.

    A feed-forward whose projections' names end with one of ``keep`` stays as it is.
    """
    swapped = []
    for name, module in list(block.named_modules()):
        pair = fusable(module) if name else None  # the block itself is never a feed-forward
        if pair is None or any(f"{name}.{end}".endswith(keep) for end in ("net.0.proj", "net.2")):
            continue
        parent, _, attr = name.rpartition(".")
        setattr(block.get_submodule(parent), attr, GeluFP8FeedForward(*pair))
        swapped.append(name)
    return swapped
