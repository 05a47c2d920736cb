"""AnimateDiff: a Stable Diffusion 1.5 model animated by a motion adapter; runs on small GPUs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.backends.animatediff_parts import CAMERA_MOTIONS, CameraMotion, cached_repo
from reelgen.core.backends.base import (
    Backend,
    BackendInfo,
    Preset,
    apply_loras,
    apply_plan,
    frames_to_uint8,
    generator,
    latent_preview,
    step_callback,
)
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.media import fit_video, read_video
from reelgen.core.progress import ProgressEvent
from reelgen.core.spec.memory import DeviceInfo, MemoryPlan, Strategy
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction

if TYPE_CHECKING:
    from reelgen.core.progress import Progress
    from reelgen.core.weights import WeightSource

FAMILY = "animatediff"
GIB = 1024**3

#: A budget at or below this gets the low-VRAM recipe (sequential offload, fp16, slicing, tiling).
LOW_VRAM_GIB = 6.0
#: The motion modules were trained on 16-frame clips; longer clips run FreeNoise windows of this size.
CONTEXT_FRAMES = 16
CONTEXT_STRIDE = 4

#: Linear map from Stable Diffusion 1.x latents to RGB, as ComfyUI's SD15 preview uses (SVD shares it).
SD15_LATENT_RGB_FACTORS = [
    [0.3512, 0.2297, 0.3227],
    [0.3250, 0.4974, 0.2350],
    [-0.2829, 0.1762, 0.2721],
    [-0.2120, -0.2616, -0.7177],
]


class AnimateDiffOptions(BaseModel):
    """AnimateDiff knobs beyond the common request."""

    model_config = ConfigDict(extra="forbid")

    camera_motion: CameraMotion | None = Field(
        default=None, description="a camera move from guoyww's motion LoRAs (read from the HF cache)"
    )
    camera_motion_strength: float = Field(default=1.0, ge=0.0, le=2.0)
    decode_chunk_size: int = Field(
        default=16, ge=1, description="frames the VAE decodes at once: lower uses less memory"
    )


RULES = SizeRules(
    "AnimateDiff (SD1.5): sides multiples of 8 up to 1024", multiple=8, min_side=64, max_side=1024
)
RULES_TINY = SizeRules("animatediff-tiny: sides multiples of 8", multiple=8, max_side=256)

#: fp16 sizes: SD1.5 UNet 0.86B, motion module 0.45B, CLIP-L text encoder 123M, VAE 84M parameters.
PARTS = {"unet": 1.6, "motion_adapter": 0.85, "text_encoder": 0.23, "vae": 0.16}
BASE_REPO = "SG161222/Realistic_Vision_V5.1_noVAE"
TASKS = frozenset({Task.T2V, Task.V2V})


def _motion_preset(version: str) -> Preset:
    """A real preset: the SD1.5 base plus motion adapter ``version`` (fetched with it by `reelgen pull`)."""
    adapter = f"guoyww/animatediff-motion-adapter-{version}"
    return Preset(
        name=f"animatediff-{version}",
        family=FAMILY,
        repo_id=BASE_REPO,
        description=f"AnimateDiff motion module {version} on Realistic Vision 5.1 (SD1.5); low VRAM",
        tasks=TASKS,
        width=512,
        height=512,
        num_frames=16,
        fps=8.0,
        steps=50,
        guidance=7.5,
        parts_gib=PARTS,
        dtype="float16",
        variant=adapter,
        companions={adapter: ()},
    )


PRESETS = (
    _motion_preset("v1-5-2"),
    _motion_preset("v1-5-3"),
    Preset(
        name="animatediff-tiny",
        family=FAMILY,
        repo_id=None,
        description="tiny random AnimateDiff for tests and demos (no download)",
        tasks=TASKS,
        width=32,
        height=32,
        num_frames=8,
        fps=8.0,
        steps=2,
        guidance=7.5,
        parts_gib={"unet": 0.001, "motion_adapter": 0.001, "text_encoder": 0.001, "vae": 0.001},
        tiny=True,
        rules=RULES_TINY,
    ),
)


class AnimateDiffBackend(Backend):
    """AnimateDiff through diffusers; text-to-video and video-to-video share the UNet and motion module.

    Clips longer than the 16 frames the motion module was trained on run with
    FreeNoise (overlapping 16-frame windows, stride 4). ``options.camera_motion``
    adds one of guoyww's camera-move LoRAs on top of any user LoRAs.
    """

    info: ClassVar[BackendInfo] = BackendInfo(
        family=FAMILY,
        label="AnimateDiff",
        tasks=TASKS,
        presets=PRESETS,
        rules=RULES,
        options=AnimateDiffOptions,
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None  # AnimateDiffPipeline
        self.pipe_v2v: Any = None  # AnimateDiffVideoToVideoPipeline sharing pipe's modules

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        from diffusers import AnimateDiffPipeline

        from reelgen.core.backends import tiny
        from reelgen.core.backends.animatediff_parts import tiny_motion_adapter, tiny_sd15_parts

        pipe = AnimateDiffPipeline(
            **tiny_sd15_parts(),
            motion_adapter=tiny_motion_adapter(),
            feature_extractor=None,
            image_encoder=None,
        )
        tiny.save_pipeline(pipe, folder)

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        from diffusers import AnimateDiffPipeline, AnimateDiffVideoToVideoPipeline, DDIMScheduler

        if source.kind != "diffusers":
            raise InvalidRequest(
                f"AnimateDiff loads a diffusers SD1.5 folder; {source.path} is a single file. "
                "Give the folder `reelgen pull` or save_pretrained wrote (--weights DIR)",
                param="weights",
            )
        dtype = torch_dtype(plan.dtype)
        extra: dict[str, Any] = {}
        # 1. A saved AnimateDiff folder has its motion adapter; an SD1.5 folder gets the preset's.
        if not (source.path / "motion_adapter").is_dir():
            extra["motion_adapter"] = self._motion_adapter(source, dtype)
        half = plan.dtype == "float16" and any(source.path.glob("unet/*.fp16.safetensors"))
        self.pipe = AnimateDiffPipeline.from_pretrained(
            str(source.path),
            dtype=dtype,
            variant="fp16" if half else None,
            local_files_only=True,
            **extra,
        )
        # 2. AnimateDiff wants DDIM with a linear beta schedule and no sample clipping.
        self.pipe.scheduler = DDIMScheduler.from_config(
            self.pipe.scheduler.config,
            beta_schedule="linear",
            clip_sample=False,
            timestep_spacing="linspace",
            steps_offset=1,
        )
        self.pipe_v2v = AnimateDiffVideoToVideoPipeline(**self.pipe.components)
        # 3. FreeNoise swaps the motion modules' transformer blocks; it goes in before placement,
        # since offload hooks cannot be laid over blocks swapped in later (sequential offload
        # leaves their source weights on the meta device).
        for pipe in (self.pipe, self.pipe_v2v):
            pipe.set_progress_bar_config(disable=True)
            pipe.enable_free_noise(context_length=CONTEXT_FRAMES, context_stride=CONTEXT_STRIDE)
        self.plan = plan
        # Sibling pipelines share the modules, so placing the main one places them all.
        apply_plan(self.pipe, plan)

    def _motion_adapter(self, source: WeightSource, dtype: Any) -> Any:
        from diffusers import MotionAdapter

        from reelgen.core.weights import sha256_file, weight_hashes

        repo = self.preset.variant
        if not repo:
            raise InvalidRequest(
                f"{source.path} is an SD1.5 folder without a motion_adapter/ and {self.preset.name} "
                "names no motion adapter; give a saved AnimateDiff folder",
                param="weights",
            )
        folder = cached_repo(repo, f"the motion adapter of {self.preset.name}")
        adapter = MotionAdapter.from_pretrained(str(folder), dtype=dtype, local_files_only=True)
        # The run record names the adapter's files next to the base model's.
        source.hashes = dict(weight_hashes(source))
        for file in sorted(folder.glob("*.safetensors")):
            source.hashes[f"{repo}/{file.name}"] = sha256_file(file)
        return adapter

    def plan_for(
        self, request: GenerationRequest, device: DeviceInfo, budget_gib: float | None
    ) -> MemoryPlan:
        """The low-VRAM recipe for budgets of 6 GiB or less; the planner's ladder otherwise."""
        budget = budget_gib if budget_gib is not None else device.free_gib
        if budget is None or budget > LOW_VRAM_GIB:
            return super().plan_for(request, device, budget_gib)
        working = self.working_gib(request)
        strategy: Strategy
        if device.device == "cpu":
            strategy, dtype, need = "cpu", "float32", sum(self.preset.parts_gib.values()) + working
            how = "no CUDA GPU, so float32 on the CPU with its slicing and tiling"
        else:
            # Sequential offload keeps one layer resident; slicing bounds attention and decode peaks.
            strategy, dtype = "sequential_offload", "float16"
            need = 0.05 * max(self.preset.parts_gib.values()) + 0.5 * working
            how = "sequential offload in fp16, attention slicing, VAE slicing and tiling"
        return MemoryPlan(
            strategy,
            device.device,
            dtype,
            budget,
            need,
            vae_tiling=True,
            vae_slicing=True,
            attention_slicing=True,
            recipe="low-vram",
            reason=f"budget {budget:.1f} GiB <= {LOW_VRAM_GIB:.0f} GiB: low-VRAM recipe ({how})",
        )

    def validate_inputs(self, request: GenerationRequest) -> None:
        steps = request.steps or 0
        if request.task is Task.V2V and min(int(steps * request.source_strength), steps) < 1:
            raise InvalidRequest(
                f"source_strength {request.source_strength} with {steps} steps runs no denoising step; "
                f"raise source_strength to at least {1 / steps:.2f} or use more steps",
                param="source_strength",
            )

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        assert request.width and request.height and request.num_frames and request.steps
        assert request.seed is not None and request.fps
        options = AnimateDiffOptions.model_validate(request.options)
        frames = request.num_frames

        # 1. LoRAs, then the camera-move LoRA on top; all live in the shared UNet.
        self.lora_records = apply_loras(self.pipe, request.loras)
        if options.camera_motion is not None:
            self.lora_records.append(self._apply_camera_motion(options))

        # 2. Long clips: FreeNoise windows over the 16 frames the motion module knows.
        pipe = self.pipe_v2v if request.task is Task.V2V else self.pipe
        free_noise = self._free_noise(pipe, frames)
        if free_noise:
            progress.emit(
                ProgressEvent(
                    "free_noise",
                    0,
                    0,
                    0.0,
                    message=f"{frames} frames run as FreeNoise windows of {CONTEXT_FRAMES} "
                    f"(stride {CONTEXT_STRIDE})",
                )
            )

        # 3. Task inputs: v2v restyles the first frames of the source clip.
        inputs: dict[str, Any] = {"num_frames": frames}
        total = request.steps
        if request.task is Task.V2V:
            inputs = {"video": _source_frames(request), "strength": request.source_strength}
            total = min(int(request.steps * request.source_strength), request.steps)
        chunk = options.decode_chunk_size
        if self.plan is not None and self.plan.recipe == "low-vram":
            chunk = min(chunk, 4)

        # 4. Denoise with per-step progress, cancel and previews; decode in chunks of frames.
        tracker = progress.stage("denoise", total)
        try:
            out = pipe(
                prompt=request.prompt,
                negative_prompt=request.negative_prompt or None,
                height=request.height,
                width=request.width,
                num_inference_steps=request.steps,
                guidance_scale=request.guidance,
                generator=generator(request.seed),
                decode_chunk_size=chunk,
                output_type="np",
                callback_on_step_end=step_callback(tracker, _preview),
                callback_on_step_end_tensor_inputs=["latents"],
                **inputs,
            )
        finally:
            if pipe is not self.pipe:
                # Offload hooks belong to the main pipeline; re-arm them so nothing stays resident.
                self.pipe.maybe_free_model_hooks()
        extra = {"free_noise": free_noise}
        return Video(frames_to_uint8(out.frames[0]), to_fraction(request.fps), extra=extra)

    def _apply_camera_motion(self, options: AnimateDiffOptions) -> dict[str, Any]:
        """Load the camera-move LoRA from the HF cache and activate it beside the user's LoRAs."""
        from reelgen.core.weights import sha256_file

        assert options.camera_motion is not None
        repo = CAMERA_MOTIONS[options.camera_motion]
        folder = cached_repo(repo, f"camera_motion {options.camera_motion!r}", "options.camera_motion")
        files = sorted(folder.glob("*.safetensors"))
        if not files:
            raise ModelNotAvailable(
                f"{repo} in the Hugging Face cache ({folder}) has no .safetensors file; "
                f"fetch it again with `hf download {repo}`",
                param="options.camera_motion",
            )
        active = self.pipe.get_active_adapters()
        weights = [a["strength"] for a in self.lora_records]
        self.pipe.load_lora_weights(str(folder), weight_name=files[0].name, adapter_name="camera")
        self.pipe.set_adapters(
            [*active, "camera"], adapter_weights=[*weights, options.camera_motion_strength]
        )
        return {
            "path": str(files[0]),
            "repo_id": repo,
            "strength": options.camera_motion_strength,
            "sha256": sha256_file(files[0]),
        }

    def _free_noise(self, pipe: Any, frames: int) -> dict[str, int] | None:
        """Size the FreeNoise windows for ``frames``; returns them when the clip needs more than one.

        A clip of at most 16 frames is one window over all its frames, which computes
        exactly what the plain motion module does.
        """
        window = min(CONTEXT_FRAMES, frames)
        # The blocks are FreeNoise already (see load): this only sets their window, no module changes.
        pipe.enable_free_noise(context_length=window, context_stride=CONTEXT_STRIDE)
        if frames <= CONTEXT_FRAMES:
            return None
        return {"context_length": pipe._free_noise_context_length, "context_stride": CONTEXT_STRIDE}

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak: the UNet's first stage over every frame (CFG doubles it), or the VAE decode.

        FreeNoise runs the motion modules over 16-frame windows, but the spatial
        layers still see every frame. The VAE decodes ``decode_chunk_size`` frames
        at once, its upsampler putting out 256 channels at full resolution: the
        peak. Calibrated on an H200 (fp16, 512x512x16, chunk 16): 11.9 GiB measured
        in all, 2.8 GiB of it weights.
        """
        width, height, frames = request.width or 0, request.height or 0, request.num_frames or 0
        chunk = min(AnimateDiffOptions.model_validate(request.options).decode_chunk_size, frames)
        unet = frames * (height // 8) * (width // 8) * 320 * 2 * 2 * 12 / GIB
        vae_decode = chunk * width * height * 256 * 2 * 4 / GIB
        clip = frames * width * height * 3 * 4 * 2 / GIB
        return round(0.5 + max(unet, vae_decode) + clip, 2)


def _preview(latents: Any) -> Any:
    return latent_preview(latents, SD15_LATENT_RGB_FACTORS)


def _source_frames(request: GenerationRequest) -> list[Any]:
    """The first ``num_frames`` frames of the source video, fitted to the output size."""
    assert request.source_video and request.num_frames and request.width and request.height
    clip = read_video(request.source_video, max_frames=request.num_frames)
    if clip.num_frames < request.num_frames:
        raise InvalidRequest(
            f"source_video has {clip.num_frames} frames but {request.num_frames} were asked for; "
            f"ask for num_frames={clip.num_frames} or give a longer video",
            param="num_frames",
        )
    return fit_video(clip, request.width, request.height, request.num_frames)
