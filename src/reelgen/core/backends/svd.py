"""Stable Video Diffusion: a start image becomes a short clip, steered by motion and fps conditioning."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# SVD's VAE is Stable Diffusion's, so its latents preview with the same linear map.
from reelgen.core.backends.animatediff import SD15_LATENT_RGB_FACTORS
from reelgen.core.backends.base import (
    Backend,
    BackendInfo,
    Preset,
    apply_plan,
    frames_to_uint8,
    generator,
    latent_preview,
    step_callback,
)
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import load_fitted
from reelgen.core.progress import Progress
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction
from reelgen.core.weights import WeightSource

FAMILY = "svd"
GIB = 1024**3


class SVDOptions(BaseModel):
    """Conditioning knobs of Stable Video Diffusion."""

    model_config = ConfigDict(extra="forbid")

    motion_bucket_id: int = Field(default=127, ge=0, le=255, description="how much motion: higher moves more")
    noise_aug_strength: float = Field(
        default=0.02,
        ge=0.0,
        le=1.0,
        description="noise added to the start image: higher strays further from it",
    )
    decode_chunk_size: int = Field(
        default=8, ge=1, description="frames the VAE decodes at once: lower uses less memory"
    )
    min_guidance: float = Field(
        default=1.0, ge=0.0, description="guidance on the first frame; it ramps up to `guidance` on the last"
    )


RULES = SizeRules("Stable Video Diffusion: sides multiples of 8", multiple=8, min_side=64, max_side=1280)
RULES_TINY = SizeRules("svd-tiny: sides multiples of 8", multiple=8, max_side=256)

PARTS = {"unet": 2.8, "image_encoder": 1.2, "vae": 0.2}

PRESETS = (
    Preset(
        name="svd",
        family=FAMILY,
        repo_id="stabilityai/stable-video-diffusion-img2vid",
        description="Stable Video Diffusion img2vid: 14 frames at 1024x576 from a start image",
        tasks=frozenset({Task.I2V}),
        width=1024,
        height=576,
        num_frames=14,
        fps=7.0,
        steps=25,
        guidance=3.0,
        parts_gib=PARTS,
        dtype="float16",
    ),
    Preset(
        name="svd-xt",
        family=FAMILY,
        repo_id="stabilityai/stable-video-diffusion-img2vid-xt",
        description="Stable Video Diffusion img2vid-xt: 25 frames at 1024x576 from a start image",
        tasks=frozenset({Task.I2V}),
        width=1024,
        height=576,
        num_frames=25,
        fps=7.0,
        steps=25,
        guidance=3.0,
        parts_gib=PARTS,
        dtype="float16",
    ),
    Preset(
        name="svd-tiny",
        family=FAMILY,
        repo_id=None,
        description="tiny random Stable Video Diffusion for tests and demos (no download)",
        tasks=frozenset({Task.I2V}),
        width=32,
        height=32,
        num_frames=8,
        fps=7.0,
        steps=2,
        guidance=3.0,
        parts_gib={"unet": 0.001, "image_encoder": 0.001, "vae": 0.001},
        tiny=True,
        rules=RULES_TINY,
    ),
)


class SVDBackend(Backend):
    """Stable Video Diffusion through diffusers' StableVideoDiffusionPipeline (image-to-video only)."""

    info = BackendInfo(
        family=FAMILY,
        label="Stable Video Diffusion",
        tasks=frozenset({Task.I2V}),
        presets=PRESETS,
        rules=RULES,
        options=SVDOptions,
        supports_lora=False,  # the pipeline has no LoRA loader
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        import torch
        from diffusers import (
            AutoencoderKLTemporalDecoder,
            EulerDiscreteScheduler,
            StableVideoDiffusionPipeline,
            UNetSpatioTemporalConditionModel,
        )
        from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

        from reelgen.core.backends import tiny

        # The UNet sees the image embedding through cross-attention (cross_attention_dim =
        # projection_dim) and fps/motion/noise through 3 x addition_time_embed_dim inputs.
        torch.manual_seed(0)
        unet = UNetSpatioTemporalConditionModel(
            block_out_channels=(32, 32),
            layers_per_block=1,
            sample_size=8,
            in_channels=8,
            out_channels=4,
            down_block_types=("CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal"),
            up_block_types=("UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"),
            cross_attention_dim=16,
            num_attention_heads=2,
            projection_class_embeddings_input_dim=48,
            addition_time_embed_dim=16,
        )
        torch.manual_seed(0)
        vae = AutoencoderKLTemporalDecoder(
            block_out_channels=[32, 32, 32],
            in_channels=3,
            out_channels=3,
            down_block_types=["DownEncoderBlock2D"] * 3,
            latent_channels=4,
            layers_per_block=1,
        )
        torch.manual_seed(0)
        # The pipeline resizes the image to 224x224 for CLIP whatever the config says; 32px patches keep it cheap.
        vision = CLIPVisionConfig(
            hidden_size=16,
            projection_dim=16,
            num_hidden_layers=2,
            num_attention_heads=2,
            image_size=224,
            intermediate_size=37,
            patch_size=32,
        )
        pipe = StableVideoDiffusionPipeline(
            vae=vae,
            image_encoder=CLIPVisionModelWithProjection(vision).eval(),
            unet=unet,
            scheduler=EulerDiscreteScheduler(
                beta_start=0.00085,
                beta_end=0.012,
                beta_schedule="scaled_linear",
                interpolation_type="linear",
                prediction_type="v_prediction",
                sigma_max=700.0,
                sigma_min=0.002,
                steps_offset=1,
                timestep_spacing="leading",
                timestep_type="continuous",
                use_karras_sigmas=True,
            ),
            feature_extractor=CLIPImageProcessor(crop_size=224, size=224),
        )
        tiny.save_pipeline(pipe, folder)

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        from diffusers import StableVideoDiffusionPipeline

        if source.kind != "diffusers":
            raise InvalidRequest(
                f"Stable Video Diffusion loads diffusers folders only; {source.path} is a single file. "
                "Give the folder `reelgen pull` or save_pretrained wrote (--weights DIR)",
                param="weights",
            )
        # The hub repos carry fp32 and fp16 files; read the half-size ones when they are there.
        half = plan.dtype == "float16" and any(source.path.rglob("*.fp16.safetensors"))
        self.pipe = StableVideoDiffusionPipeline.from_pretrained(
            str(source.path),
            dtype=torch_dtype(plan.dtype),
            variant="fp16" if half else None,
            local_files_only=True,
        )
        self.pipe.set_progress_bar_config(disable=True)
        # The temporal decoder can neither tile nor slice; smaller decode chunks stand in (see generate).
        apply_plan(self.pipe, replace(plan, vae_tiling=False, vae_slicing=False))

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        assert request.width and request.height and request.num_frames and request.steps
        assert request.start_image and request.seed is not None and request.fps
        options = SVDOptions.model_validate(request.options)
        image = load_fitted(request.start_image, request.width, request.height, "start_image")

        # 1. Denoise with per-step progress, cancel and previews; SVD has no text prompt.
        tracker = progress.stage("denoise", request.steps)
        # SVD latents are (B, F, C, H, W); the preview wants channels first.
        preview = step_callback(
            tracker, lambda lat: latent_preview(lat.permute(0, 2, 1, 3, 4), SD15_LATENT_RGB_FACTORS)
        )
        out = self.pipe(
            image,
            height=request.height,
            width=request.width,
            num_frames=request.num_frames,
            num_inference_steps=request.steps,
            min_guidance_scale=options.min_guidance,
            max_guidance_scale=request.guidance,
            # 2. The UNet was micro-conditioned on the frame rate it was trained to produce.
            fps=max(1, round(request.fps)),
            motion_bucket_id=options.motion_bucket_id,
            noise_aug_strength=options.noise_aug_strength,
            decode_chunk_size=self._decode_chunk(options, request.num_frames),
            generator=generator(request.seed),
            output_type="np",
            callback_on_step_end=preview,
            callback_on_step_end_tensor_inputs=["latents"],
        )
        return Video(frames_to_uint8(out.frames[0]), to_fraction(request.fps))

    def _decode_chunk(self, options: SVDOptions, frames: int) -> int:
        """Frames per VAE decode; a memory plan that asks for VAE tiling or slicing decodes two at a time."""
        chunk = min(options.decode_chunk_size, frames)
        lean = self.plan is not None and (self.plan.vae_tiling or self.plan.vae_slicing)
        return min(chunk, 2) if lean else chunk

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak: the UNet over every latent frame (CFG doubles the batch), or the VAE decode.

        The UNet's full-resolution stage holds 320 channels per latent pixel
        (1/8 of the image side); the temporal VAE decodes ``decode_chunk_size``
        frames at once; like Stable Diffusion's VAE (measured with AnimateDiff) its
        upsampler puts out 256 channels at full resolution.
        """
        width, height, frames = request.width or 0, request.height or 0, request.num_frames or 0
        chunk = min(SVDOptions.model_validate(request.options).decode_chunk_size, frames)
        unet = frames * (height // 8) * (width // 8) * 320 * 2 * 2 * 20 / GIB
        vae_decode = chunk * width * height * 256 * 2 * 4 / GIB
        clip = frames * width * height * 3 * 4 * 2 / GIB
        return round(0.5 + max(unet, vae_decode) + clip, 2)
