"""RIFE frame interpolation: the IFNet v4 network, Practical-RIFE checkpoint loading, and the ``rife`` enhancer.

Importing this package loads no torch; the network is imported when a clip is interpolated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, Field, field_validator

from reelgen.core.enhance import weights
from reelgen.core.enhance.base import Shape
from reelgen.core.enhance.interpolate import InterpolateOptions, Interpolator
from reelgen.core.errors import InvalidRequest

#: Flow resolutions RIFE is run at: 1.0 for up to 1080p, 0.5 for 4K, 0.25 for 8K.
SCALES = (0.25, 0.5, 1.0, 2.0, 4.0)


def auto_scale(width: int, height: int) -> float:
    """The flow resolution for a frame size: the coarsest of RIFE's blocks works at 1/64 of the frame
    times ``1 / scale``, so small frames get a finer estimate and 4K a coarser one (Practical-RIFE's advice)."""
    short = min(width, height)
    if short <= 270:
        return 2.0
    if short <= 1200:
        return 1.0
    return 0.5 if short <= 2400 else 0.25


class RifeOptions(InterpolateOptions):
    weights: str | None = Field(
        default=None,
        description="A Practical-RIFE v4 flownet.pkl; default: the one `reelgen pull rife` fetches",
    )
    scale: float | None = Field(
        default=None,
        description="Flow resolution (0.25 ... 4.0); default by frame size: 0.5 for 4K, 2.0 under 270p",
    )
    precision: Literal["auto", "fp32", "fp16", "bf16"] = Field(
        default="auto", description="auto: fp16 on a GPU, fp32 on the CPU"
    )

    @field_validator("scale", mode="before")
    @classmethod
    def _one_of_scales(cls, scale: object) -> object:
        # Checked with the options, not later by the stage, so the error names the field
        # (``enhance[0].options.scale``) and the CLI can say ``--option rife.scale``; before
        # pydantic's own check so "abc" or nan hear the valid scales too, not just "a finite number".
        if scale is None:
            return None
        valid = ", ".join(f"{s:g}" for s in SCALES)
        try:
            known = not isinstance(scale, bool) and float(scale) in SCALES  # type: ignore[arg-type]
        except (TypeError, ValueError):
            known = False
        if not known:
            shown = f"{scale:g}" if isinstance(scale, float) else repr(scale)
            raise ValueError(f"{shown} is not one of {valid}")
        return scale


def default_weights() -> Path:
    return weights.folder("rife") / "flownet.pkl"


class RifeInterpolator(Interpolator):
    """RIFE v4 (IFNet) with Practical-RIFE weights: the default interpolator once its weights are pulled."""

    name: ClassVar[str] = "rife"
    description: ClassVar[str] = "RIFE v4 (IFNet), Practical-RIFE flownet.pkl weights"
    options_model = RifeOptions

    def __init__(self, options: BaseModel | None = None) -> None:
        super().__init__(options)
        self._net: Any = None  # the IFNet on the CPU, loaded by preflight (no torch imported before)
        self._digest: str | None = None

    @classmethod
    def missing(cls) -> str | None:
        if weights.pulled("rife") is None:  # one there but damaged is refused by the run, not passed over
            return f"RIFE weights are not on this machine ({default_weights()}); run `{weights.pull_hint('rife')}`"
        return None

    @property
    def rife_options(self) -> RifeOptions:
        assert isinstance(self.options, RifeOptions)
        return self.options

    def weights_path(self) -> Path:
        given = self.rife_options.weights
        return Path(given).expanduser() if given else default_weights()

    def output_shape(self, shape: Shape) -> Shape:
        opts = self.rife_options
        path = self.weights_path()
        if path.is_dir():  # it was "do not exist", of a folder that does
            raise InvalidRequest(
                f"RIFE weights {path} is a folder; give the flownet.pkl file in it", param="weights"
            )
        if not path.is_file():
            hint = "check the path" if opts.weights else f"run `{weights.pull_hint('rife')}`"
            raise InvalidRequest(
                f"RIFE weights {path} do not exist; {hint}, or use the flow interpolator (no weights)",
                param="weights",
            )
        return super().output_shape(shape)

    def preflight(self) -> None:
        """Read the weights before any stage runs: a pulled file's hash checked, the layout recognised.

        They were read at the first pair of frames, once the source was being decoded (and
        after the stages before in a chain that upscales first), unlike an upscaler's checkpoint.
        """
        if self._net is not None:
            return
        from reelgen.core.enhance.rife.checkpoint import load

        path = self.weights_path()
        # Hashed before unpickling: a damaged pulled file is said as such.
        self._digest = weights.checked_sha256(path)
        self._net = load(path)

    def prepare(self, device: str, shape: Shape) -> None:
        from reelgen.core.enhance.rife.run import Rife

        path = self.weights_path()
        opts = self.rife_options
        scale = opts.scale if opts.scale is not None else auto_scale(shape.width, shape.height)
        self.preflight()  # loaded here when no chain did (a stage run on its own)
        self._rife = Rife.on(self._net, device, opts.precision, scale)
        self.details.update(
            {
                "method": "RIFE IFNet v4",
                "layout": self._rife.net.layout.name,
                "weights": {"path": str(path.resolve()), "sha256": self._digest},
                "dtype": str(self._rife.dtype).removeprefix("torch."),
                "scale": scale,
            }
        )

    def middles(self, a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
        import torch

        from reelgen.core.enhance.tensors import to_frames, to_tensor

        device = self._rife.device
        return to_frames(self._rife(to_tensor(a, device), to_tensor(b, device), torch.from_numpy(t)))
