"""What ``reelgen generate`` and ``animate`` refuse before a model loads: a clip given as a picture, --weights with -m auto."""

from __future__ import annotations

import shlex
import warnings
from pathlib import Path

from reelgen.cli.output import fail
from reelgen.core.errors import InvalidRequest


def refuse_clips_as_images(image: str | None, end_image: str | None) -> None:
    """A clip given as --image or --end-image was "not a readable image (cannot identify image file)":
    said to be one, as animate says, with --video as the way on for a start image."""
    for flag, picture in (("--image", image), ("--end-image", end_image)):
        if picture is not None and is_clip_here(picture):
            from reelgen.core.media import IMAGE_FORMATS

            said = f"{flag}: {picture} is not a readable image but a video; valid: {', '.join(sorted(IMAGE_FORMATS))}"
            if flag == "--image":
                command = f"reelgen generate PROMPT --video {shlex.quote(picture)}"
                said += f"; to start from this clip, give it as --video (`{command}`)"
            raise fail(InvalidRequest(said))


def weights_without_model(weights: str) -> InvalidRequest:
    """--weights with -m auto: auto picks by what is cached here, so an LTX folder was loaded as
    reelgen-micro and failed deep in diffusers ("holds a LTXPipeline, not a WanPipeline")."""
    from reelgen.core.weights import pipeline_named

    held = pipeline_named(Path(weights).expanduser())
    holds = f" (it holds a {held})" if held else ""
    return InvalidRequest(
        f"--weights: name the model they are with -m{holds}, e.g. -m ltx-2b for LTX-Video weights; "
        "auto picks by the weights cached here, not by these (`reelgen models` lists the models)",
        param="weights",
    )


def is_clip_here(image: str) -> bool:
    """``is_clip`` without Pillow's decompression-bomb warning or error: a 12000x9000 photo printed Pillow's
    "could be decompression bomb DOS attack" warning, and a 20000x10000 one failed as an internal error,
    where the run refuses either in words (too large, and the most pixels an input image may have)."""
    from PIL import Image

    from reelgen.core.backends.source_clip import is_clip

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return is_clip(image)
        except Image.DecompressionBombError:  # a picture, too large for Pillow's own limit: the run says so
            return False
