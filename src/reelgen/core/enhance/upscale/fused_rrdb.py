"""RRDBNet (Real-ESRGAN x4plus) on a GPU as Triton convolutions with the glue between them fused away.

The 23 residual-in-residual blocks are 69 dense blocks of five convolutions
each; ``triton_conv.conv3x3`` runs every one of them with its bias, LeakyReLU
and residuals in its epilogue, reading and writing channel slices of a few
preallocated buffers, so no concatenation, activation or residual pass is left
between them. Three orders of the same arithmetic (``order``):

- ``"stock"``: each convolution reads the dense block's concatenation (a
  buffer whose first 64 channels are the input and whose next 32-channel
  slices are filled by the convolutions in turn) and writes its 32 channels.
- ``"regrouped"``: each input part feeds every later convolution in one wide
  product (``regroup.py``); the later convolutions' partial sums wait in a
  192-channel buffer that each step reads and writes back in its epilogue.
- ``"hybrid"``: the block's input feeds all five convolutions in one wide
  product, as regrouped, and their partial sums wait; each later convolution
  then reads its own sum once and the growth channels made so far as one
  concatenation, as stock. The sums cross memory twice instead of once per
  step, and the narrow products read 64 fewer channels than stock's.

On Hopper the body runs on pictures with a one-pixel zero ring (``padded``),
so each operand tile is one TMA copy with no masks.

The trunk runs on the same kernel: conv_body with the trunk's residual, the
two x2 steps reading their input as its nearest-neighbour upscale (the
upscaled copy is never written), conv_hr and conv_last (3 output channels,
masked in a 16-wide tile). Only the first convolution, with 3 input channels,
stays on cuDNN.
"""

from __future__ import annotations

from typing import Any, Literal

import torch
from torch import nn

from reelgen.core.enhance.upscale.arch import ResidualDenseBlock, RRDBNet
from reelgen.core.enhance.upscale.triton_conv import Tiling, conv3x3, pack_weight

Order = Literal["stock", "regrouped", "hybrid"]

#: Each step's fastest tiling on Hopper at 854x480 (``benchmarks/gpu_rrdb_triton.py``, docs/benchmarks.md):
#: the body's steps in the padded layout (TMA reads; swept on an H200), the trunk's in the row layout
#: (swept on an H100; the same SM). Other GPUs take ``Tiling()``: the widest of these (256x32 outputs,
#: 4 stages, 144 KiB of shared memory) is tuned for Hopper's 227 KiB and may not fit elsewhere.
HOPPER_TILINGS = {
    "s0": Tiling(256, 32, 64, 8, 3),
    "s1": Tiling(256, 32, 64, 8, 4),
    "s2": Tiling(256, 32, 64, 8, 3),
    "s3": Tiling(256, 32, 64, 8, 4),
    "s4": Tiling(128, 64, 64, 8, 4),
    "r0": Tiling(128, 64, 64, 4, 3),
    "r1": Tiling(128, 64, 64, 4, 3),
    "r2": Tiling(128, 64, 64, 4, 4),
    "r3": Tiling(128, 64, 64, 4, 3),
    "r4": Tiling(64, 64, 64, 4, 4),
    # The hybrid order's narrow steps (its first step is r0), swept on an H100 in the padded layout.
    "h1": Tiling(256, 32, 64, 8, 4),
    "h2": Tiling(256, 32, 64, 8, 3),
    "h3": Tiling(256, 32, 64, 8, 4),
    "h4": Tiling(128, 64, 64, 8, 4),
    "conv_body": Tiling(128, 64, 64, 4, 3),
    "conv_up1": Tiling(128, 64, 32, 4, 4),
    "conv_up2": Tiling(128, 64, 64, 4, 3),
    "conv_hr": Tiling(128, 64, 64, 8, 3),
    "conv_last": Tiling(128, 16, 64, 4, 3),
}


def hopper(device: torch.device) -> bool:
    """Whether ``device`` is a Hopper GPU (H100, H200: compute capability 9.x), where the tilings and
    the padded layout's TMA reads were measured."""
    return device.type == "cuda" and torch.cuda.get_device_capability(device)[0] == 9


def tuned_tilings(device: torch.device) -> dict[str, Tiling]:
    """The per-step tilings for ``device``: Hopper's table on a Hopper GPU, else none (``Tiling()`` for all)."""
    return dict(HOPPER_TILINGS) if hopper(device) else {}


def triton_ready() -> bool:
    """Whether Triton can be imported (CUDA builds of torch ship it; CPU-only installs do not)."""
    try:
        import triton  # noqa: F401
    except Exception:
        return False
    return True


def _bias(conv: nn.Conv2d) -> torch.Tensor:
    if conv.bias is None:
        raise ValueError("FusedRRDB needs a bias on every convolution")
    return conv.bias.detach().clone()


def _buffer(rows: int, channels: int, like: torch.Tensor) -> torch.Tensor:
    return torch.empty((rows, channels), device=like.device, dtype=like.dtype)


class FusedRRDB(nn.Module):
    """An ``RRDBNet``'s weights repacked for ``conv3x3``; ``forward`` takes and gives what the network does."""

    def __init__(
        self,
        net: RRDBNet,
        order: Order = "regrouped",
        tilings: dict[str, Tiling] | None = None,
        *,
        padded: bool | None = None,
    ) -> None:
        super().__init__()
        self.scale = net.scale
        self.order: Order = order
        device = net.conv_first.weight.device
        # The body on pictures with a zero ring, read through TMA copies (``conv3x3(padded=True)``):
        # by default on Hopper, where the orders with waiting sums ran 6-11 % faster in it than in the
        # row layout (docs/benchmarks.md).
        self.padded = hopper(device) if padded is None else padded
        self.tilings = tuned_tilings(device) if tilings is None else tilings
        self.conv_first = net.conv_first  # 3 input channels: cuDNN's, not the kernel's
        self.feat = net.conv_body.in_channels
        self.out_channels = net.conv_last.out_channels
        # The rest of the trunk as the kernel's matrices, by name.
        trunk = [
            (name, getattr(net, name))
            for name in ("conv_body", "conv_up1", "conv_up2", "conv_hr", "conv_last")
        ]
        self.trunk_weights = nn.ParameterDict(
            {
                name: nn.Parameter(pack_weight(conv.weight.detach()), requires_grad=False)
                for name, conv in trunk
            }
        )
        self.trunk_biases = nn.ParameterDict(
            {name: nn.Parameter(_bias(conv), requires_grad=False) for name, conv in trunk}
        )
        blocks = [getattr(rrdb, name) for rrdb in net.body for name in ("rdb1", "rdb2", "rdb3")]
        if not all(isinstance(b, ResidualDenseBlock) for b in blocks):
            raise ValueError("FusedRRDB needs the stock dense blocks (not already regrouped)")
        self.grow = blocks[0].conv1.out_channels
        packed = [self._pack(block) for block in blocks]
        self.weights = nn.ParameterList(nn.Parameter(w, requires_grad=False) for ws, _ in packed for w in ws)
        self.biases = nn.ParameterList(nn.Parameter(b, requires_grad=False) for _, bs in packed for b in bs)

    def _pack(self, block: ResidualDenseBlock) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        convs = [block.conv1, block.conv2, block.conv3, block.conv4, block.conv5]
        biases = [_bias(conv) for conv in convs]
        if self.order == "stock":
            return [pack_weight(conv.weight.detach()) for conv in convs], biases
        feat, grow = self.feat, self.grow
        first = torch.cat([c.weight.detach()[:, :feat] for c in convs])
        if self.order == "hybrid":
            # The input's part of all five, then each later convolution's growth-channel part.
            rest = [c.weight.detach()[:, feat:] for c in convs[1:]]
            return [pack_weight(p) for p in [first, *rest]], biases
        # Growth slice i feeds every convolution after the one that made it.
        bounds = [(feat + i * grow, feat + (i + 1) * grow) for i in range(4)]
        parts = [
            torch.cat([c.weight.detach()[:, lo:hi] for c in convs[i + 1 :]])
            for i, (lo, hi) in enumerate(bounds)
        ]
        return [pack_weight(p) for p in [first, *parts]], biases

    def _tiling(self, step: str) -> Tiling:
        return self.tilings.get(step, Tiling())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # 1. The first convolution (3 input channels) on cuDNN, then pixels as rows (with a zero
        #    ring around each picture when the body runs padded).
        first = self.conv_first(x)
        b, c, h, w = first.shape
        rows, hw = b * h * w, (h, w)
        feat = first.permute(0, 2, 3, 1).contiguous().view(rows, c)  # a view already when channels-last
        if self.padded:
            ring = first.new_zeros((b, h + 2, w + 2, c))
            ring[:, 1:-1, 1:-1] = first.permute(0, 2, 3, 1)
            feat, hw = ring.view(-1, c), (h + 2, w + 2)
        # 2. The body: 23 RRDBs of three dense blocks, every residual in an epilogue.
        body = self._stock_body(feat, hw) if self.order == "stock" else self._summed_body(feat, hw)
        # 3. feat + conv_body(body), then the two x2 steps (nearest-neighbour reads inside the
        #    convolution), conv_hr and conv_last, each with its bias and LeakyReLU fused.
        trunk = _buffer(feat.shape[0], c, feat)
        self._conv(body, self.trunk_weights["conv_body"], self.trunk_biases["conv_body"], trunk, hw,
                   res=feat, tiling=self._tiling("conv_body"))  # fmt: skip
        if self.padded:
            trunk = trunk.view(b, h + 2, w + 2, c)[:, 1:-1, 1:-1].contiguous().view(rows, c)
        up1 = _buffer(4 * rows, c, feat)
        self._trunk_conv("conv_up1", trunk, up1, (2 * h, 2 * w), upsample=True)
        up2 = _buffer(16 * rows, c, feat)
        self._trunk_conv("conv_up2", up1, up2, (4 * h, 4 * w), upsample=True)
        hr = _buffer(16 * rows, c, feat)
        self._trunk_conv("conv_hr", up2, hr, (4 * h, 4 * w))
        out = _buffer(16 * rows, self.out_channels, feat)
        self._trunk_conv("conv_last", hr, out, (4 * h, 4 * w), lrelu=False)
        return out.view(b, 4 * h, 4 * w, self.out_channels).permute(0, 3, 1, 2)

    def _conv(self, *args: Any, **kwargs: Any) -> None:
        """One convolution of the body, in its layout."""
        conv3x3(*args, padded=self.padded, **kwargs)

    def _trunk_conv(
        self,
        name: str,
        x: torch.Tensor,
        y: torch.Tensor,
        hw: tuple[int, int],
        *,
        lrelu: bool = True,
        upsample: bool = False,
    ) -> None:
        weight, bias = self.trunk_weights[name], self.trunk_biases[name]
        conv3x3(x, weight, bias, y, hw, lrelu=lrelu, upsample=upsample, tiling=self._tiling(name))

    def _blocks(self) -> list[tuple[list[nn.Parameter], list[nn.Parameter]]]:
        return [
            (list(self.weights[5 * i : 5 * i + 5]), list(self.biases[5 * i : 5 * i + 5]))
            for i in range(len(self.weights) // 5)
        ]

    def _stock_body(self, feat: torch.Tensor, hw: tuple[int, int]) -> torch.Tensor:
        f, g = self.feat, self.grow
        width = f + 4 * g
        # Three concatenation buffers in rotation: an RRDB's input, then each dense block's.
        a, b, c = (_buffer(feat.shape[0], width, feat) for _ in range(3))
        a[:, :f].copy_(feat)
        blocks = self._blocks()
        for i in range(0, len(blocks), 3):
            self._stock_block(a, b[:, :f], blocks[i], hw)
            self._stock_block(b, c[:, :f], blocks[i + 1], hw)
            self._stock_block(c, b[:, :f], blocks[i + 2], hw, rrdb_in=a[:, :f])
            a, b = b, a
        return a[:, :f]

    def _stock_block(
        self,
        cat: torch.Tensor,
        out: torch.Tensor,
        params: tuple[list[nn.Parameter], list[nn.Parameter]],
        hw: tuple[int, int],
        rrdb_in: torch.Tensor | None = None,
    ) -> None:
        f, g = self.feat, self.grow
        weights, biases = params
        for k in range(4):
            lo = f + k * g
            self._conv(
                cat[:, :lo],
                weights[k],
                biases[k],
                cat[:, lo : lo + g],
                hw,
                lrelu=True,
                tiling=self._tiling(f"s{k}"),
            )
        self._conv(
            cat,
            weights[4],
            biases[4],
            out,
            hw,
            res=cat[:, :f],
            res_alpha=0.2,
            res2=rrdb_in,
            tiling=self._tiling("s4"),
        )

    def _summed_body(self, feat: torch.Tensor, hw: tuple[int, int]) -> torch.Tensor:
        """The body in an order with waiting partial sums (regrouped or hybrid)."""
        f, g, rows = self.feat, self.grow, feat.shape[0]
        parts, sums = _buffer(rows, 4 * g, feat), _buffer(rows, f + 4 * g, feat)
        a, b, c = feat, _buffer(rows, f, feat), _buffer(rows, f, feat)
        blocks = self._blocks()
        for i in range(0, len(blocks), 3):
            self._summed_block(a, b, parts, sums, blocks[i], hw)
            self._summed_block(b, c, parts, sums, blocks[i + 1], hw)
            self._summed_block(c, b, parts, sums, blocks[i + 2], hw, rrdb_in=a)
            # The RRDB's output is the next one's input; its input is free, unless it is the
            # trunk's (conv_body's residual needs that at the end).
            a, b = b, (_buffer(rows, f, feat) if a is feat else a)
        return a

    def _summed_block(
        self,
        x: torch.Tensor,
        out: torch.Tensor,
        parts: torch.Tensor,
        sums: torch.Tensor,
        params: tuple[list[nn.Parameter], list[nn.Parameter]],
        hw: tuple[int, int],
        rrdb_in: torch.Tensor | None = None,
    ) -> None:
        """One dense block in the regrouped or the hybrid order (the module's docstring tells them apart)."""
        g, hybrid = self.grow, self.order == "hybrid"
        weights, biases = params
        # Step 0, in both: x feeds all five convolutions; conv1 finishes (to parts), the rest wait in sums.
        self._conv(
            x, weights[0], biases[0], parts[:, :g], hw, split=g, t=sums, lrelu=True, tiling=self._tiling("r0")
        )
        for j in range(1, 4):
            if hybrid:  # conv j+1 over the j growth slices made so far, plus its own waiting sum
                self._conv(
                    parts[:, : j * g], weights[j], biases[j], parts[:, j * g : (j + 1) * g], hw,
                    t=sums[:, j * g : (j + 1) * g], add_sum=True, lrelu=True, tiling=self._tiling(f"h{j}"),
                )  # fmt: skip
            else:  # part j's products plus the waiting sums; conv j+1 finishes, the rest wait again
                self._conv(
                    parts[:, (j - 1) * g : j * g], weights[j], biases[j], parts[:, j * g : (j + 1) * g], hw,
                    split=g, t=sums[:, j * g :], add_sum=True, lrelu=True, tiling=self._tiling(f"r{j}"),
                )  # fmt: skip
        # conv5 finishes, with the dense block's and the RRDB's residuals.
        self._conv(
            parts if hybrid else parts[:, 3 * g :], weights[4], biases[4], out, hw, t=sums[:, 4 * g :],
            add_sum=True, res=x, res_alpha=0.2, res2=rrdb_in, tiling=self._tiling("h4" if hybrid else "r4"),
        )  # fmt: skip


#: Relative error the self-check allows: fp16/bf16 runs of the same network differ by 1e-3 to 1e-2.
SELF_CHECK_TOLERANCE = 3e-2


def fused_or_reason(net: RRDBNet, dtype: torch.dtype, order: Order) -> tuple[FusedRRDB | None, str]:
    """``net`` as a ``FusedRRDB`` on its device if that computes what ``net`` does, else None and why.

    The check runs a small random picture through both (which also builds every
    kernel this network launches, so a Triton that cannot build for this GPU
    fails here instead of mid-video) and compares within half-precision
    rounding over 23 blocks.
    """
    if not triton_ready():
        return None, "Triton is not installed"
    device = next(net.parameters()).device
    try:
        fused = FusedRRDB(net, order).eval()
        probe = torch.rand(1, 3, 8, 12, generator=torch.Generator().manual_seed(0)).to(device, dtype)
        with torch.inference_mode():
            want, got = net(probe).float(), fused(probe).float()
    except Exception as exc:  # a Triton build or launch failure on this GPU
        return None, f"the fused kernels did not run ({type(exc).__name__}: {str(exc)[:160]})"
    error = float((got - want).norm() / want.norm().clamp_min(1e-12))
    if not error <= SELF_CHECK_TOLERANCE:  # NaN fails too
        return (
            None,
            f"the fused kernels' output is {error:.2e} from the network's (over {SELF_CHECK_TOLERANCE})",
        )
    return fused, ""
