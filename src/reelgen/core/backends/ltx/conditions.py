"""Between LTX-Video requests and pipeline tensors: pinned images and the source clip as conditions and latents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reelgen.core import media
from reelgen.core.backends.ltx import presets as lp
from reelgen.core.backends.ltx.common import pins
from reelgen.core.backends.source_clip import frames_at, read_tail, tail
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import Preset
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.types import Video

if TYPE_CHECKING:
    import torch
    from PIL import Image


def image_conditions(request: ResolvedRequest) -> list[Any]:
    """One condition per pinned image (start image, keyframes, end image) at its frame and strength."""
    from diffusers.pipelines.ltx.pipeline_ltx_condition import LTXVideoCondition

    return [
        LTXVideoCondition(image=pin.image(request), frame_index=pin.frame, strength=pin.strength)
        for pin in pins(request)
    ]


def extend_inputs(preset: Preset, request: ResolvedRequest) -> dict[str, Any]:
    """The condition-pipeline arguments of an extend run: the source's last frames, pinned at frame 0.

    The source's last C frames (8k+1) at the run's frame rate are pinned at frame 0 of a run
    ``lp.extend_total(C, num_frames)`` frames long; ``new_frames`` cuts the
    ``num_frames`` after them out of what it decodes.
    """
    from diffusers.pipelines.ltx.pipeline_ltx_condition import LTXVideoCondition

    # Only the clip's end is kept: at most the context asked for, or the longest one the run allows.
    source, total = read_tail(
        request.source_video or "", request.fps, lp.extend_context(preset, request), whole=True
    )
    usable = frames_at(total, float(source.fps), request.fps)  # at the run's rate
    context = lp.extend_context(preset, request, usable)
    if usable < context:
        at = f" at {request.fps:g} fps ({total} at its own {float(source.fps):g})" if usable != total else ""
        raise InvalidRequest(
            f"source_video has {usable} frames{at}; options.extend_context_frames asks for "
            f"{context}; use at most {lp.largest_valid(usable)}",
            param="options.extend_context_frames",
        )
    context_clip = Video(tail(source, request.fps, context), source.fps)
    condition = LTXVideoCondition(
        video=media.fit_video(context_clip, request.width, request.height), frame_index=0, strength=1.0
    )
    return {"conditions": [condition], "num_frames": lp.extend_total(context, request.num_frames)}


def new_frames(frames: Any, num_frames: int) -> tuple[Any, int]:
    """The ``num_frames`` an extend run made after its context, and the context's length.

    The run was ``context + num_frames + FRAME_STEP - 1`` frames long (see
    ``lp.extend_total``), so the context's length follows from the decoded count.
    """
    context = len(frames) - lp.extend_total(0, num_frames)
    return frames[context : context + num_frames], context


def encode_clip(pipe: Any, frames: list[Image.Image], width: int, height: int) -> torch.Tensor:
    """VAE latents of ``frames``, normalised the way LTXConditionPipeline expects ``latents``."""
    import torch

    vae = pipe.vae
    with torch.no_grad():
        pixels = pipe.video_processor.preprocess_video(frames, height, width)
        pixels = pixels.to(pipe._execution_device, dtype=vae.dtype)
        # The distribution's mode, not a sample: the denoise strength alone decides how much changes.
        latents = vae.encode(pixels).latent_dist.mode()
        return pipe._normalize_latents(latents, vae.latents_mean, vae.latents_std, vae.config.scaling_factor)
