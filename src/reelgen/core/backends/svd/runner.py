"""The Stable Video Diffusion runner: image to video, steered by motion, fps and noise conditioning."""

from __future__ import annotations

from typing import Any, ClassVar

from reelgen.core.backends import plumbing
from reelgen.core.backends.animatediff.presets import SD15_LATENT_RGB_FACTORS
from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.backends.svd.presets import SVDOptions
from reelgen.core.spec.request import ResolvedRequest, Task


class SVDRunner(DiffusersBackend):
    """Stable Video Diffusion img2vid and img2vid-xt through diffusers' StableVideoDiffusionPipeline."""

    pipelines: ClassVar[dict[Task, str]] = {Task.I2V: "StableVideoDiffusionPipeline"}
    # The hub repos carry fp32 and fp16 files; read the half-size ones when they are there.
    weight_variants: ClassVar[dict[str, str]] = {"float16": "fp16"}
    # SVD's VAE is Stable Diffusion's, so its latents preview with the same linear map.
    rgb_factors = SD15_LATENT_RGB_FACTORS
    frames_first_latents = True
    reads_prompt = False

    def common_inputs(self, request: ResolvedRequest) -> dict[str, Any]:
        inputs = super().common_inputs(request)
        # No text prompt; guidance ramps over the frames instead (see task_inputs).
        for key in ("prompt", "negative_prompt", "guidance_scale"):
            del inputs[key]
        return inputs

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        options = request.options_as(SVDOptions)
        return {
            "image": plumbing.start_image(request),
            "min_guidance_scale": options.min_guidance,
            "max_guidance_scale": request.guidance,
            # The UNet was micro-conditioned on the frame rate it was trained to produce.
            "fps": max(1, round(request.fps)),
            "motion_bucket_id": options.motion_bucket_id,
            "noise_aug_strength": options.noise_aug_strength,
            "decode_chunk_size": self._decode_chunk(options, request.num_frames),
        }

    def _decode_chunk(self, options: SVDOptions, frames: int) -> int:
        """Frames per VAE decode; the temporal decoder can neither tile nor slice, so a plan asking
        for either (the out-of-memory step-down does) decodes two frames at a time instead."""
        chunk = min(options.decode_chunk_size, frames)
        lean = self.plan is not None and (self.plan.vae_tiling or self.plan.vae_slicing)
        return min(chunk, 2) if lean else chunk
