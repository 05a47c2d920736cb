"""LTX-2 backend: one model that makes video and its soundtrack together, from text, an image or keyframes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from reelgen.core import media
from reelgen.core.backends.base import (
    Backend,
    BackendInfo,
    Preset,
    apply_loras,
    apply_plan,
    frames_to_uint8,
    generator,
    latent_preview,
    single_file_transformer,
    step_callback,
)
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.core.spec.memory import GIB, MemoryPlan
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Audio, Video, to_fraction

if TYPE_CHECKING:
    from reelgen.core.weights import WeightSource

#: The distilled checkpoints walk a fixed 8-sigma ladder (diffusers' ``DISTILLED_SIGMA_VALUES``).
DISTILLED_STEPS = 8

RULES = SizeRules(
    label="LTX-2: width and height multiples of 32, frames 8k+1",
    multiple=32,
    min_side=64,  # one latent row or column (32 px) breaks the VAE decoder's reflect padding
    max_side=2048,
    frame_step=8,
    frame_offset=1,
    min_frames=9,
    max_frames=481,  # 20 s at 24 fps, the pipeline's longest supported duration
)

TASKS = frozenset({Task.T2V, Task.I2V, Task.KEYFRAMES, Task.AUDIO})


class LTX2Options(BaseModel):
    """LTX-2's guidance knobs; audio follows the video's values except its own CFG scale."""

    model_config = ConfigDict(extra="forbid")

    stg_scale: float = Field(default=1.0, ge=0, description="spatio-temporal guidance; 0 turns it off")
    modality_scale: float = Field(
        default=3.0, ge=0, description="audio/video modality guidance; 1 turns it off"
    )
    guidance_rescale: float = Field(default=0.7, ge=0, le=1, description="rescale of the guided prediction")
    audio_guidance_scale: float = Field(
        default=7.0, ge=0, description="classifier-free guidance of the audio"
    )
    distilled_sigmas: bool = Field(
        default=False, description="use the distilled checkpoints' 8-step schedule"
    )
    max_sequence_length: int = Field(
        default=1024, ge=16, le=1024, description="prompt tokens the encoder reads"
    )


#: Guidance of the distilled checkpoints: one model call per step, no CFG, STG or modality passes.
_DISTILLED = {
    "stg_scale": 0.0,
    "modality_scale": 1.0,
    "guidance_rescale": 0.0,
    "audio_guidance_scale": 1.0,
    "distilled_sigmas": True,
}

# Resident sizes in bf16, from the parameter counts of each part (Gemma 3 12B encodes the prompt).
_PARTS_19B = {"transformer": 35.4, "text_encoder": 22.7, "connectors": 2.7, "vae": 0.8, "audio": 0.3}
_PARTS_22B = {"transformer": 41.0, "text_encoder": 22.7, "connectors": 6.0, "vae": 0.8, "audio": 0.4}


def _preset(name: str, repo: str | None, description: str, parts: dict[str, float], **kw: Any) -> Preset:
    defaults: dict[str, Any] = dict(
        width=768, height=512, num_frames=121, fps=24.0, steps=30, guidance=3.0, tasks=TASKS
    )
    return Preset(name, "ltx2", description, repo, parts_gib=parts, **(defaults | kw))


PRESETS = (
    _preset("ltx2", "Lightricks/LTX-2", "LTX-2 19B, video with audio", _PARTS_19B, steps=40),
    _preset("ltx2.3", "diffusers/LTX-2.3-Diffusers", "LTX-2.3 22B, video with audio", _PARTS_22B),
    _preset(
        "ltx2.3-distilled",
        "diffusers/LTX-2.3-Distilled-Diffusers",
        "LTX-2.3 22B distilled: 8 steps, no CFG",
        _PARTS_22B,
        steps=DISTILLED_STEPS,
        guidance=1.0,
        options=_DISTILLED,
    ),
    _preset(
        "ltx2-tiny",
        None,
        "tiny random LTX-2 for tests and offline demos",
        {"transformer": 0.001, "text_encoder": 0.001},
        width=64,
        height=64,
        num_frames=17,
        steps=2,
        tiny=True,
        options={"max_sequence_length": 64},
    ),
)


def latent_index(frame: int, num_frames: int, ratio: int) -> int:
    """The latent frame whose first pixel frame lies nearest ``frame``.

    LTX-2 conditions keyframes per latent frame: latent L starts at pixel
    frame (L-1)*ratio + 1, so a keyframe lands within ratio/2 frames of where
    it was asked for; one in the clip's last ratio frames pins the start of
    the last latent frame (the last frame itself lands ratio-1 frames early).
    """
    if frame == 0:
        return 0
    last = (num_frames - 1) // ratio
    return min(last, round((frame - 1) / ratio) + 1)


def fit_audio(samples: np.ndarray, sample_rate: int, seconds: float) -> Audio:
    """Pad with silence (or trim) to exactly the video's length.

    The causal audio VAE returns a few milliseconds less than the clip; left
    alone, that gap accumulates into lip-sync drift when shots are joined.
    """
    want = round(seconds * sample_rate)
    have = samples.shape[-1]
    if have < want:
        samples = np.pad(samples, ((0, 0), (0, want - have)))
    return Audio(np.ascontiguousarray(samples[:, :want], dtype=np.float32), sample_rate)


class LTX2Backend(Backend):
    """Lightricks LTX-2 through diffusers' LTX2 pipelines; every run returns a soundtrack too."""

    info: ClassVar[BackendInfo] = BackendInfo(
        family="ltx2", label="LTX-2", tasks=TASKS, presets=PRESETS, rules=RULES, options=LTX2Options
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None
        self._siblings: dict[type, Any] = {}

    # ---- tiny build -------------------------------------------------------------------------

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        from reelgen.core.backends.ltx2_tiny import build_tiny_pipeline

        build_tiny_pipeline(folder)

    # ---- load ---------------------------------------------------------------------------------

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        from diffusers import LTX2Pipeline, LTX2VideoTransformer3DModel

        dtype = torch_dtype(plan.dtype)
        folder, parts = source.path, {}
        if source.kind == "single_file":
            parts["transformer"] = single_file_transformer(
                LTX2VideoTransformer3DModel, source, self.preset, dtype
            )
            folder = source.base or folder  # single_file_transformer refused a missing base
        self.pipe = LTX2Pipeline.from_pretrained(str(folder), dtype=dtype, local_files_only=True, **parts)
        self.pipe.set_progress_bar_config(disable=True)
        apply_plan(self.pipe, plan)
        self.plan = plan

    def _sibling(self, cls: Any) -> Any:
        """``cls`` over the loaded parts: the same modules, so no second copy of the weights.

        Placing the main pipeline placed the shared modules; after a sibling
        runs, the main pipeline re-arms its offload hooks (see ``generate``).
        """
        if type(self.pipe) is cls:
            return self.pipe
        if cls not in self._siblings:
            keys = cls._get_signature_keys(cls)[0]
            self._siblings[cls] = cls(**{k: v for k, v in self.pipe.components.items() if k in keys})
            self._siblings[cls].set_progress_bar_config(disable=True)
        return self._siblings[cls]

    def unload(self) -> None:
        self._siblings.clear()
        super().unload()

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak: the transformer over all video tokens, or the VAE decode, plus the decoded clip.

        Video tokens are latent frames x (H/32) x (W/32); the soundtrack adds
        25 tokens a second. The VAE decodes the whole clip at once, widest at
        a quarter of the resolution with 256 channels in bf16.
        """
        width, height, frames = request.width or 0, request.height or 0, request.num_frames or 0
        seconds = frames / (request.fps or 24.0)
        tokens = ((frames - 1) // 8 + 1) * (height // 32) * (width // 32) + 25 * seconds
        dim, ffn = (16, 64) if self.preset.tiny else (4096, 16384)
        transformer = tokens * (6 * dim + ffn) * 2 / GIB
        vae_decode = frames * (height // 4) * (width // 4) * 256 * 2 * 4 / GIB  # ~4 such tensors live
        clip = frames * width * height * 3 * 4 * 2 / GIB  # float32 frames, decoded and postprocessed
        return round(0.5 + max(transformer, vae_decode) + clip, 2)

    # ---- generate -----------------------------------------------------------------------------

    def validate_inputs(self, request: GenerationRequest) -> None:
        options = LTX2Options.model_validate(request.options)
        if options.distilled_sigmas and request.steps != DISTILLED_STEPS:
            raise InvalidRequest(
                f"steps {request.steps}: the distilled schedule has exactly {DISTILLED_STEPS} steps; "
                f"use steps {DISTILLED_STEPS} or options.distilled_sigmas false",
                param="steps",
            )
        if request.end_image and not request.start_image:
            raise InvalidRequest(
                "end_image pins the last frame of an image-to-video run; give start_image too",
                param="end_image",
            )

    def _task_call(self, request: GenerationRequest) -> tuple[Any, dict[str, Any]]:
        """The pipeline for the request's inputs and the arguments only it takes."""
        from diffusers import LTX2ConditionPipeline, LTX2ImageToVideoPipeline, LTX2Pipeline
        from diffusers.pipelines.ltx2.pipeline_ltx2_condition import LTX2VideoCondition

        assert request.width and request.height and request.num_frames
        w, h, n = request.width, request.height, request.num_frames
        pinned: list[tuple[str, str, int, float]] = []
        if request.start_image:
            pinned.append(("start_image", request.start_image, 0, 1.0))
        pinned += [
            (f"keyframes[{i}].image", k.image, k.frame, k.strength) for i, k in enumerate(request.keyframes)
        ]
        if request.end_image:
            pinned.append(("end_image", request.end_image, n - 1, 1.0))
        if not pinned:
            return self._sibling(LTX2Pipeline), {}
        if len(pinned) == 1 and pinned[0][2] == 0 and pinned[0][3] == 1.0:
            image = media.load_fitted(pinned[0][1], w, h, pinned[0][0])
            return self._sibling(LTX2ImageToVideoPipeline), {"image": image}
        pipe = self._sibling(LTX2ConditionPipeline)
        ratio = pipe.vae_temporal_compression_ratio
        conditions = [
            LTX2VideoCondition(
                frames=media.load_fitted(path, w, h, param),
                index=latent_index(frame, n, ratio),
                strength=strength,
            )
            for param, path, frame, strength in pinned
        ]
        return pipe, {"conditions": conditions}

    def _preview(self, pipe: Any, request: GenerationRequest) -> Any:
        assert request.width and request.height and request.num_frames
        frames = (request.num_frames - 1) // pipe.vae_temporal_compression_ratio + 1
        height = request.height // pipe.vae_spatial_compression_ratio
        width = request.width // pipe.vae_spatial_compression_ratio
        patch, patch_t = pipe.transformer_spatial_patch_size, pipe.transformer_temporal_patch_size
        tokens = frames * height * width // (patch * patch * patch_t)

        def preview(latents: Any) -> np.ndarray:
            # Keyframe conditions append tokens after the video's own; only those form the clip.
            video = pipe._unpack_latents(latents[:, :tokens], frames, height, width, patch, patch_t)
            return latent_preview(video)

        return preview

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        from diffusers.pipelines.ltx2.utils import DEFAULT_NEGATIVE_PROMPT, DISTILLED_SIGMA_VALUES

        assert request.steps and request.seed is not None and request.fps and request.num_frames
        options = LTX2Options.model_validate(request.options)
        pipe, task_kwargs = self._task_call(request)
        self.lora_records = apply_loras(pipe, request.loras)
        schedule: dict[str, Any] = {"num_inference_steps": request.steps}
        if options.distilled_sigmas:
            schedule = {
                "num_inference_steps": len(DISTILLED_SIGMA_VALUES),
                "sigmas": list(DISTILLED_SIGMA_VALUES),
            }
        tracker = progress.stage("denoise", schedule["num_inference_steps"])
        try:
            out = pipe(
                prompt=request.prompt,
                negative_prompt=request.negative_prompt or DEFAULT_NEGATIVE_PROMPT,
                width=request.width,
                height=request.height,
                num_frames=request.num_frames,
                frame_rate=request.fps,
                guidance_scale=request.guidance,
                audio_guidance_scale=options.audio_guidance_scale,
                stg_scale=options.stg_scale,
                audio_stg_scale=options.stg_scale,
                modality_scale=options.modality_scale,
                audio_modality_scale=options.modality_scale,
                guidance_rescale=options.guidance_rescale,
                audio_guidance_rescale=options.guidance_rescale,
                max_sequence_length=options.max_sequence_length,
                generator=generator(request.seed),
                output_type="np",
                callback_on_step_end=step_callback(tracker, self._preview(pipe, request)),
                **schedule,
                **task_kwargs,
            )
        finally:
            if pipe is not self.pipe:
                # Offload hooks belong to the main pipeline; re-arm them so nothing stays resident.
                self.pipe.maybe_free_model_hooks()
        fps = to_fraction(request.fps)
        audio = None
        if request.audio:
            samples = out.audio[0].detach().float().cpu().numpy()
            rate = int(pipe.vocoder.config.output_sampling_rate)
            audio = fit_audio(samples, rate, float(request.num_frames / fps))
        return Video(frames_to_uint8(out.frames[0]), fps, audio)
