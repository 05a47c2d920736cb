"""The ``--interpolator`` and ``--upscaler`` options of generate and enhance, with Tab completion of
the methods and models they take (they offered nothing)."""

from __future__ import annotations

from typing import Annotated

import typer

from reelgen.cli import typed
from reelgen.cli.complete import interpolator_names, upscaler_names

#: generate's: left out, the request picks the best available.
GenInterpolatorOpt = Annotated[
    str | None,
    typer.Option(
        callback=typed.INTERPOLATOR,
        autocompletion=interpolator_names,
        help="rife or flow (default: the best available).",
    ),
]
GenUpscalerOpt = Annotated[
    str | None,
    typer.Option(
        callback=typed.UPSCALER,
        autocompletion=upscaler_names,
        help="esrgan, lanczos, a Real-ESRGAN model name or a checkpoint file (default: best available).",
    ),
]
#: enhance's: ``auto`` written out, as its help says.
EnhanceInterpolatorOpt = Annotated[
    str,
    typer.Option(autocompletion=interpolator_names, help="auto (rife when pulled, else flow), rife or flow."),
]
EnhanceUpscalerOpt = Annotated[
    str,
    typer.Option(
        autocompletion=upscaler_names,
        help="auto, esrgan, lanczos, a model (realesr-animevideov3, realesrgan-x4plus ...; "
        "upstream's RealESRGAN_x4plus too) or a checkpoint file (.pth, .pt, .ckpt, .safetensors, .bin).",
    ),
]
#: submit's: the server picks when left out; a checkpoint file cannot go over HTTP, so none is offered.
SubmitInterpolatorOpt = Annotated[
    str | None, typer.Option(autocompletion=interpolator_names, help="auto (default), rife or flow.")
]
SubmitUpscalerOpt = Annotated[
    str | None,
    typer.Option(
        autocompletion=upscaler_names,
        help="auto (default), esrgan, lanczos or a Real-ESRGAN model name (realesr-animevideov3 ...).",
    ),
]
