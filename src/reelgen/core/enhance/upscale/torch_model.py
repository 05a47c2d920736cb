"""Upscaling in PyTorch: load a checkpoint (spandrel, else reelgen's Real-ESRGAN modules), run it tiled and batched."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from reelgen.core.enhance.upscale import arch
from reelgen.core.enhance.upscale.fused_rrdb import Order, fused_or_reason
from reelgen.core.enhance.upscale.ncnn_files import Converted, convert
from reelgen.core.enhance.upscale.regroup import regroup_dense_blocks
from reelgen.core.enhance.upscale.tiles import run_tiled
from reelgen.core.enhance.weights import load_failure
from reelgen.core.errors import InvalidRequest

log = logging.getLogger(__name__)

#: Which order of a dense block's arithmetic the fused kernels use in each half precision (fused_rrdb.py):
#: hybrid in both, the fastest of the three on Hopper's padded layout (58.1 against 62.9 ms regrouped and
#: 65.8 ms stock, fp16, one H100 run); its output is as close to float32 as the others' (docs/benchmarks.md).
FUSED_ORDER: dict[torch.dtype, Order] = {torch.float16: "hybrid", torch.bfloat16: "hybrid"}
#: Whether a GPU runs RRDB on the fused Triton kernels unless told otherwise: on an H100 they upscale a
#: 480p frame in 58-59 ms against 106-107 ms on PyTorch's kernels (16.5-17.3 against 9.1-9.2 frames/s in tiles;
#: docs/benchmarks.md). Their first use on a machine JIT-builds about 15 kernels (6-8 s, then cached by
#: Triton on disk).
FUSED_BY_DEFAULT = True

#: What reelgen loads by itself when spandrel is not installed.
OWN_ARCHITECTURES = (
    "Real-ESRGAN RRDBNet (RealESRGAN_x4plus and its kin), SRVGGNetCompact (realesr-animevideov3 ...)"
)
#: Why a checkpoint of another architecture was not tried, and how to get what loads it.
NO_SPANDREL = (
    "spandrel is not installed (pip install 'reelgen[spandrel]' loads dozens more architectures; "
    "it needs a torchvision built for this torch)"
)


def spandrel() -> Any | None:
    """The spandrel module, or None: it is optional and needs a torchvision built for this torch."""
    try:
        import spandrel as module
    except Exception as exc:  # missing, or torchvision that does not match torch (RuntimeError)
        log.debug("spandrel unavailable: %s", exc)
        return None
    return module


def read_state(path: Path) -> dict[str, torch.Tensor]:
    """A checkpoint's tensors (.safetensors, or .pth/.pt/.ckpt loaded weights-only), unwrapped."""
    try:
        if path.suffix.lower() == ".safetensors":
            from safetensors.torch import load_file

            state: Any = load_file(str(path))
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise InvalidRequest(
            f"upscaler checkpoint {path} is not a readable .pth/.safetensors file ({load_failure(exc)}); "
            f"{_loadable()}",
            param="upscaler",
        ) from None
    for key in ("params_ema", "params", "state_dict", "model"):
        if isinstance(state, dict) and isinstance(state.get(key), dict):
            state = state[key]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise InvalidRequest(
            f"upscaler checkpoint {path} holds no state dict of tensors; {_loadable()}", param="upscaler"
        )
    return {k.removeprefix("module."): v for k, v in state.items()}


def _loadable() -> str:
    """What a checkpoint file that reads as nothing should be instead (a bare 'KeyError: 174812789' said nothing)."""
    if spandrel() is not None:
        return "give a saved upscaling network's weights of an architecture spandrel knows"
    return f"give a saved upscaling network's weights: without spandrel reelgen loads {OWN_ARCHITECTURES}"


def _own(state: dict[str, torch.Tensor]) -> tuple[nn.Module, int, str] | None:
    if "conv_first.weight" in state and "body.0.rdb1.conv1.weight" in state:
        rrdb = arch.rrdb_from_state(state)
        return rrdb, rrdb.scale, "RRDBNet"
    if "body.0.weight" in state and state.get("body.1.weight", torch.empty(0, 0)).ndim == 1:
        srvgg = arch.srvgg_from_state(state)
        return srvgg, srvgg.scale, "SRVGGNetCompact"
    return None


def _with_spandrel(
    module: Any, state: dict[str, torch.Tensor], path: Path
) -> tuple[nn.Module, int, str] | str:
    """(network, scale, architecture) as spandrel loads it, or why it could not."""
    try:
        descriptor = module.ModelLoader().load_from_state_dict(state)
    except module.UnsupportedModelError:
        known = ", ".join(sorted({a.name for a in module.MAIN_REGISTRY.architectures()}))
        return f"spandrel does not recognise its architecture (it knows {known})"
    except Exception as exc:  # recognised, but the tensors do not fit what spandrel built
        return f"spandrel took it for one architecture but could not load it ({str(exc)[:160]})"
    if not isinstance(descriptor, module.ImageModelDescriptor) or descriptor.input_channels != 3:
        return "spandrel loads it, but it is not an RGB image-to-image model"
    return descriptor.model.eval(), int(descriptor.scale), descriptor.architecture.name


def build(state: dict[str, torch.Tensor], path: Path) -> tuple[nn.Module, int, str, str]:
    """(network, its scale, architecture, loader) for a state dict: spandrel first, then reelgen's own modules."""
    module, why = spandrel(), NO_SPANDREL
    if module is not None:
        found = _with_spandrel(module, state, path)
        if not isinstance(found, str):
            return (*found, "spandrel")
        why = found
    own = _own(state)
    if own is None:
        raise InvalidRequest(
            f"upscaler checkpoint {path}: {why}; without spandrel reelgen loads {OWN_ARCHITECTURES}",
            param="upscaler",
        )
    net, scale, name = own
    try:
        net.load_state_dict(state)
    except RuntimeError as exc:
        raise InvalidRequest(
            f"upscaler checkpoint {path} does not fit {name}: {str(exc)[:200]}", param="upscaler"
        ) from None
    return net.eval(), scale, name, "reelgen"


def converted_state(converted: Converted) -> dict[str, torch.Tensor]:
    return {k: torch.from_numpy(v.copy()) for k, v in converted.state.items()}


def save_converted(param: Path, bin_file: Path, out: Path) -> Path:
    """Write an ncnn model's PyTorch state dict to ``out`` (.safetensors or .pth), loadable by spandrel."""
    state = converted_state(convert(param, bin_file))
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".safetensors":
        from safetensors.torch import save_file

        save_file(state, str(out))
    else:
        torch.save(state, out)
    return out


@dataclass
class TorchUpscaler:
    """A network ready on a device: ``upscale`` runs frames through it in overlapping tiles."""

    net: nn.Module
    net_scale: int
    resize: float  # bicubic resize after the network (x2/x3 animevideov3), 1.0 for none
    arch: str
    loader: str
    device: str = "cpu"
    dtype: torch.dtype = torch.float32
    kernels: str = "pytorch"  # or "triton-fused" (RRDB on a GPU), recorded with the output

    @property
    def scale(self) -> int:
        return round(self.net_scale * self.resize)

    def to(
        self, device: str, dtype: torch.dtype, *, regroup: bool | None = None, fused: bool | None = None
    ) -> TorchUpscaler:
        """Onto ``device`` in ``dtype``; on a GPU channels-last, and RRDB on its fastest kernels.

        ``fused`` (default ``FUSED_BY_DEFAULT``, on a GPU in fp16 or bf16) runs
        RRDB through Triton convolutions with the glue between them fused
        (``fused_rrdb.py``), after a self-check; if Triton is missing or the
        check fails, the reason is logged and recorded in ``kernels`` and
        PyTorch's kernels run instead.
        There, ``regroup`` (default: on a GPU, not in bfloat16) runs each dense
        block as wide convolutions (``regroup.py``); its partial sums are stored
        in the network's dtype: in fp16 the output moved 1.2e-3 from the stock
        order's, in bf16 (three fewer mantissa bits) 1.1e-2, so bf16 keeps the
        stock order. The benchmarks turn both off to time the other paths.
        """
        self.device, self.dtype = device, dtype
        self.net = self.net.to(device=device, dtype=dtype)
        cuda = device.startswith("cuda")
        if cuda:
            self.net = self.net.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
        rrdb = self.net if isinstance(self.net, arch.RRDBNet) else None
        if fused is None:
            fused = FUSED_BY_DEFAULT and cuda and dtype in FUSED_ORDER
        if rrdb is not None and fused:
            net, why = fused_or_reason(rrdb, dtype, FUSED_ORDER.get(dtype, "stock"))
            if net is not None:
                self.net, self.kernels = net, "triton-fused"
                return self
            log.warning("RRDB upscaler runs on PyTorch's kernels: %s", why)
            self.kernels = f"pytorch ({why})"
        if regroup is None:
            regroup = cuda and dtype != torch.bfloat16
        if regroup and rrdb is not None:
            regroup_dense_blocks(rrdb)
            if cuda:
                self.net = self.net.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
        return self

    def _run(self, x: torch.Tensor) -> torch.Tensor:
        if self.device.startswith("cuda"):
            x = x.contiguous(memory_format=torch.channels_last)
        out = self.net(x)
        if self.resize != 1.0:
            out = F.interpolate(out, scale_factor=self.resize, mode="bicubic")
        return out

    @torch.inference_mode()
    def upscale(self, x: torch.Tensor, tile: int = 512, overlap: int = 16) -> torch.Tensor:
        """(B, 3, H, W) floats in [0, 1] to (B, 3, H * scale, W * scale), clamped to [0, 1]."""
        x = x.to(device=self.device, dtype=self.dtype)
        b, c, h, w = x.shape
        out = torch.empty((b, c, h * self.scale, w * self.scale), device=self.device, dtype=self.dtype)
        return run_tiled(self._run, x, self.scale, tile, overlap, out).clamp_(0.0, 1.0)


def load_checkpoint(path: Path) -> TorchUpscaler:
    net, scale, name, loader = build(read_state(path), path)
    return TorchUpscaler(net, scale, 1.0, name, loader)


def load_named(param: Path, bin_file: Path) -> TorchUpscaler:
    """A named Real-ESRGAN model in PyTorch, converted from its ncnn files on the fly."""
    converted = convert(param, bin_file)
    net, scale, name, loader = build(converted_state(converted), bin_file)
    return TorchUpscaler(net, scale, converted.resize, name, loader)
