"""Upscaling stages: ``esrgan`` (Real-ESRGAN and any model spandrel loads) and ``lanczos`` (no weights).

Importing this package loads neither torch nor ncnn; they load when a clip is upscaled.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.enhance import weights
from reelgen.core.enhance.base import Shape, StreamingEnhancer, batches
from reelgen.core.enhance.upscale.models import (
    NAMED,
    auto_model_missing,
    check_scale,
    checkpoint_path,
    named_files,
)
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress

#: The largest output side reelgen makes (8K is 7680).
MAX_SIDE = 16_384
#: Precisions the ncnn runtime does not run (its CPU path computes in fp32).
HALF = ("fp16", "bf16")


def _check_size(shape: Shape, scale: float) -> Shape:
    if shape.frames < 1:
        raise InvalidRequest("a clip with no frames cannot be upscaled", param="upscale")
    width, height = round(shape.width * scale), round(shape.height * scale)
    if max(width, height) > MAX_SIDE:
        raise InvalidRequest(
            f"upscaling {shape.width}x{shape.height} by {scale:g} makes {width}x{height}; at most {MAX_SIDE} a side",
            param="upscale",
        )
    return Shape(width, height, shape.frames, shape.fps)


class EsrganOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = Field(
        default="realesr-animevideov3",
        description=f"One of {', '.join(NAMED)}, or a checkpoint file (.pth/.safetensors) spandrel recognises",
    )
    scale: int | None = Field(
        default=None, ge=1, le=8, description="Default: the model's own (largest) scale"
    )
    runtime: Literal["auto", "torch", "ncnn"] = Field(
        default="auto",
        description="auto: ncnn on the CPU for the named models, PyTorch on a GPU and for files",
    )
    precision: Literal["auto", "fp32", "fp16", "bf16"] = Field(
        default="auto",
        description="auto: fp16 on a GPU, fp32 on the CPU; ncnn runs fp32 only, so fp16 or bf16 picks torch",
    )
    tile: int = Field(
        default=512, ge=0, le=4096, description="Tile side in input pixels; 0 runs whole frames"
    )
    overlap: int = Field(default=16, ge=0, le=256, description="Context pixels around each tile")
    batch: int = Field(default=4, ge=1, le=64, description="Frames per PyTorch call")


class EsrganUpscaler(StreamingEnhancer):
    """A learned upscaler: the Real-ESRGAN models (`reelgen pull realesrgan`) or any checkpoint file."""

    name: ClassVar[str] = "esrgan"
    stage = "upscale"
    description: ClassVar[str] = "Real-ESRGAN (ncnn on CPU, PyTorch on GPU) or a spandrel checkpoint"
    options_model = EsrganOptions

    def __init__(self, options: BaseModel | None = None) -> None:
        super().__init__(options)
        self.details: dict[str, Any] = {}
        self._checkpoint: Any = None  # a checkpoint file's model, loaded by preflight
        self._digest: str | None = None  # a named model's .bin SHA-256, checked by preflight

    @property
    def opts(self) -> EsrganOptions:
        assert isinstance(self.options, EsrganOptions)
        return self.options

    @classmethod
    def missing(cls) -> str | None:
        return auto_model_missing()

    def scale(self) -> int:
        named = NAMED.get(self.opts.model)
        return self.opts.scale or (max(named.scales) if named else 4)

    def output_shape(self, shape: Shape) -> Shape:
        if checkpoint_path(self.opts.model) is None:
            check_scale(self.opts.model, self.scale())
            named_files(self.opts.model, self.scale())
        elif self.opts.runtime == "ncnn":
            raise InvalidRequest(
                "runtime ncnn runs the named Real-ESRGAN models only, not a checkpoint file; "
                "use runtime torch (or auto)",
                param="runtime",
            )
        if self.opts.runtime == "ncnn" and self.opts.precision in HALF:
            # ncnn's CPU runtime ran fp32 whatever was asked, and the record said fp16 was asked.
            raise InvalidRequest(
                f"precision {self.opts.precision}: the ncnn runtime computes in fp32 only; use precision "
                "fp32 (or auto) with runtime ncnn, or runtime torch (or auto) for "
                f"{self.opts.precision}",
                param="precision",
            )
        return _check_size(shape, self.scale())

    def preflight(self) -> None:
        """Load a checkpoint file now, or check a named model's pulled files: either fails before any stage runs."""
        path = checkpoint_path(self.opts.model)
        if path is None and self._digest is None:
            # A pulled .param damaged in place keeps its size (all ``present`` asks): ncnn then failed to
            # parse it as an "internal error", after the stages before had run. Both files are the published
            # ones or refused as damaged, so the record's param name and weights hash say what ran.
            param, bin_file = named_files(self.opts.model, self.scale())
            weights.checked_sha256(param)
            self._digest = weights.checked_sha256(bin_file)
        if path is not None and self._checkpoint is None:
            from reelgen.core.enhance.upscale.torch_model import load_checkpoint

            self._checkpoint = _fits(load_checkpoint(path), path, self.scale())

    def stream(
        self, frames: Iterator[np.ndarray], shape: Shape, progress: Progress, device: str = "cpu"
    ) -> Iterator[np.ndarray]:
        opts, scale = self.opts, self.scale()
        path = checkpoint_path(opts.model)
        runtime = opts.runtime
        if runtime == "auto":
            from reelgen.core.enhance.upscale.ncnn_runtime import available

            # ncnn computes in fp32 only: a half precision asked for is honoured by torch.
            cpu_fp32 = not device.startswith("cuda") and opts.precision not in HALF
            runtime = "ncnn" if path is None and cpu_fp32 and available() else "torch"
        tracker = progress.stage("upscale", shape.frames)
        run, size = self._ncnn(scale) if runtime == "ncnn" else self._torch(scale, device, path)
        done = 0
        for batch in batches(frames, size):
            yield from run(batch)
            done += len(batch)
            tracker.advance(step=done)

    def _ncnn(self, scale: int) -> tuple[Callable[[np.ndarray], np.ndarray], int]:
        """The ncnn model as a function of a batch of frames, and its batch size: one frame at a time."""
        from reelgen.core.enhance.upscale.ncnn_runtime import NcnnUpscaler

        self.preflight()  # the files checked before ncnn reads them
        param, bin_file = named_files(self.opts.model, scale)
        model = NcnnUpscaler(param, bin_file, scale)
        self._note("ncnn", "cpu", "fp32", bin_file, {"param": param.name})
        tile, overlap = self.opts.tile or 0, self.opts.overlap
        return lambda batch: np.stack([model.upscale(frame, tile, overlap) for frame in batch]), 1

    def _torch(
        self, scale: int, device: str, path: Path | None
    ) -> tuple[Callable[[np.ndarray], np.ndarray], int]:
        """The PyTorch model (loaded onto ``device``) as a function of a batch of frames, and its batch size."""
        from reelgen.core.enhance.tensors import pick_dtype, to_frames, to_tensor
        from reelgen.core.enhance.upscale.torch_model import load_named

        self.preflight()  # a named model's files checked, or a checkpoint file loaded
        if path is None:
            param, bin_file = named_files(self.opts.model, scale)
            model, source = _fits(load_named(param, bin_file), bin_file, scale), bin_file
        else:
            model, source = self._checkpoint, path
        model.to(device, pick_dtype(device, self.opts.precision))
        self._note(
            "torch",
            device,
            str(model.dtype).removeprefix("torch."),
            source,
            {"arch": model.arch, "loader": model.loader, "kernels": model.kernels},
        )
        tile, overlap = self.opts.tile, self.opts.overlap
        return lambda batch: to_frames(
            model.upscale(to_tensor(batch, device), tile, overlap)
        ), self.opts.batch

    def _note(self, runtime: str, device: str, dtype: str, source: Path, extra: dict[str, Any]) -> None:
        self.details.update(
            {
                "runtime": runtime,
                "device": device,
                "dtype": dtype,
                "weights": {
                    "path": str(source.resolve()),
                    "sha256": self._digest or weights.checked_sha256(source),
                },
                **extra,
            }
        )

    def record(self) -> dict[str, Any]:
        return {**super().record(), "scale": self.scale(), **self.details}


def _fits(model: Any, source: Path, scale: int) -> Any:
    """``model`` (a TorchUpscaler) when it upscales by ``scale``; InvalidRequest saying what it does otherwise."""
    if model.scale != scale:
        raise InvalidRequest(
            f"upscale {scale}: checkpoint {source} upscales by x{model.scale}, not x{scale}; ask for x{model.scale} "
            "or use lanczos (any factor)",
            param="upscale",
        )
    return model


class LanczosOptions(BaseModel):
    # NaN fails every bound, so without this `--upscale nan` read "should be less than or equal to 8".
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    scale: float = Field(default=2.0, gt=1.0, le=8.0, description="Any factor above 1")


class LanczosUpscaler(StreamingEnhancer):
    """Lanczos resampling: no weights, any factor, always available."""

    name: ClassVar[str] = "lanczos"
    stage = "upscale"
    description: ClassVar[str] = "Lanczos resampling (no weights, any factor)"
    options_model = LanczosOptions

    def output_shape(self, shape: Shape) -> Shape:
        assert isinstance(self.options, LanczosOptions)
        scale = self.options.scale
        target = _check_size(shape, scale)
        if target.width <= shape.width and target.height <= shape.height:
            # Rounded back to the same size, the "upscaled" clip was the source resampled onto itself.
            side = max(shape.width, shape.height)
            least = math.ceil((side + 1) / side * 1000) / 1000
            raise InvalidRequest(
                f"upscale {scale:g} leaves {shape.width}x{shape.height} at {target.width}x{target.height}; "
                f"give a factor of at least {least:g} to enlarge it",
                param="upscale",
            )
        return target

    def stream(
        self, frames: Iterator[np.ndarray], shape: Shape, progress: Progress, device: str = "cpu"
    ) -> Iterator[np.ndarray]:
        from PIL import Image

        target = self.output_shape(shape)
        tracker = progress.stage("upscale", shape.frames)
        for i, frame in enumerate(frames):
            image = Image.fromarray(frame).resize((target.width, target.height), Image.Resampling.LANCZOS)
            yield np.asarray(image)
            tracker.advance(step=i + 1)
