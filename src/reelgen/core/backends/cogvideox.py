"""CogVideoX 1.0 and 1.5: text-, image- and video-to-video with a T5 encoder and a full-attention 3D transformer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.backends import tiny
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
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import fit_video, load_fitted, read_video
from reelgen.core.progress import Progress
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction
from reelgen.core.weights import WeightSource

FAMILY = "cogvideox"
GIB = 1024**3
T2V_V2V = frozenset({Task.T2V, Task.V2V})
I2V = frozenset({Task.I2V})

#: Resident sizes in GiB; the T5-XXL encoder (4.8B parameters) is shared by every size.
T5_GIB = 8.9
VAE_GIB = 0.4


class CogVideoXOptions(BaseModel):
    """Extra knobs of CogVideoX."""

    model_config = ConfigDict(extra="forbid")

    use_dynamic_cfg: bool = Field(
        default=False,
        description="ramp guidance along a cosine schedule (the official demo's setting for the 5B models)",
    )


# The VAE decodes an odd number of latent frames to 4n+1 frames and an even one to 4n, and the
# pipelines only pad and trim for 1.5's frame pairs: 8k+1 frames is what comes back out as asked.
RULES_1_0 = SizeRules(
    "CogVideoX 1.0: sides multiples of 16, frames 8k+1 up to 49",
    multiple=16,
    max_side=1360,
    frame_step=8,
    frame_offset=1,
    max_frames=49,
)
# CogVideoX-5b-I2V adds learned position embeddings sized for 720x480 latents: no other size runs.
RULES_1_0_I2V = SizeRules(
    "CogVideoX-5b-I2V: learned position embeddings fix the size at 720x480, frames 8k+1 up to 49",
    multiple=16,
    frame_step=8,
    frame_offset=1,
    max_frames=49,
    fixed_sizes=((720, 480),),
)
RULES_1_5 = SizeRules(
    "CogVideoX 1.5: sides multiples of 16 up to 1360, frames 8k+1 up to 161",
    multiple=16,
    max_side=1360,
    frame_step=8,
    frame_offset=1,
    max_frames=161,
)
RULES_1_5_I2V = SizeRules(
    "CogVideoX 1.5 I2V: sides 768..1360, multiples of 16, frames 8k+1 up to 161",
    multiple=16,
    min_side=768,
    max_side=1360,
    frame_step=8,
    frame_offset=1,
    max_frames=161,
)
# The tiny I2V transformer keeps the real model's learned-embedding trap, at 32x32.
RULES_TINY_I2V = SizeRules(
    "cogvideox-i2v-tiny: learned position embeddings fix the size at 32x32, frames 8k+1 up to 49",
    multiple=16,
    frame_step=8,
    frame_offset=1,
    max_frames=49,
    fixed_sizes=((32, 32),),
)


def _preset(name: str, repo: str | None, tasks: frozenset[Task], **kw: Any) -> Preset:
    defaults: dict[str, Any] = dict(
        width=720, height=480, num_frames=49, fps=8.0, steps=50, guidance=6.0, variant="1.0"
    )
    return Preset(name=name, family=FAMILY, repo_id=repo, tasks=tasks, **{**defaults, **kw})


PRESETS = (
    _preset(
        "cogvideox-2b",
        "THUDM/CogVideoX-2b",
        T2V_V2V,
        description="CogVideoX 2B: light 720x480 text/video-to-video, 6 s at 8 fps",
        parts_gib={"transformer": 3.2, "text_encoder": T5_GIB, "vae": VAE_GIB},
        dtype="float16",
    ),
    _preset(
        "cogvideox-5b",
        "THUDM/CogVideoX-5b",
        T2V_V2V,
        description="CogVideoX 5B: 720x480 text/video-to-video, 6 s at 8 fps",
        parts_gib={"transformer": 10.4, "text_encoder": T5_GIB, "vae": VAE_GIB},
    ),
    _preset(
        "cogvideox-5b-i2v",
        "THUDM/CogVideoX-5b-I2V",
        I2V,
        description="CogVideoX 5B image-to-video; fixed at 720x480",
        parts_gib={"transformer": 10.4, "text_encoder": T5_GIB, "vae": VAE_GIB},
        rules=RULES_1_0_I2V,
    ),
    _preset(
        # No v2v: 1.5 pairs latent frames, and diffusers' V2V pipeline then decodes more frames
        # than it was given (8k+5 in, 8k+8 out).
        "cogvideox1.5-5b",
        "THUDM/CogVideoX1.5-5B",
        frozenset({Task.T2V}),
        description="CogVideoX 1.5 5B: 1360x768 text-to-video, 5 s at 16 fps",
        width=1360,
        height=768,
        num_frames=81,
        fps=16.0,
        variant="1.5",
        parts_gib={"transformer": 10.4, "text_encoder": T5_GIB, "vae": VAE_GIB},
        rules=RULES_1_5,
    ),
    _preset(
        "cogvideox1.5-5b-i2v",
        "THUDM/CogVideoX1.5-5B-I2V",
        I2V,
        description="CogVideoX 1.5 5B image-to-video, sides 768..1360, 5 s at 16 fps",
        width=1360,
        height=768,
        num_frames=81,
        fps=16.0,
        variant="1.5",
        parts_gib={"transformer": 10.4, "text_encoder": T5_GIB, "vae": VAE_GIB},
        rules=RULES_1_5_I2V,
    ),
    _preset(
        "cogvideox-tiny",
        None,
        T2V_V2V,
        description="tiny random CogVideoX for tests and demos (no download)",
        width=32,
        height=32,
        num_frames=9,
        steps=2,
        parts_gib={"transformer": 0.001, "text_encoder": 0.001, "vae": 0.001},
        tiny=True,
    ),
    _preset(
        "cogvideox-i2v-tiny",
        None,
        I2V,
        description="tiny random CogVideoX image-to-video (learned embeddings: 32x32 only)",
        width=32,
        height=32,
        num_frames=9,
        steps=2,
        parts_gib={"transformer": 0.001, "text_encoder": 0.001, "vae": 0.001},
        tiny=True,
        rules=RULES_TINY_I2V,
    ),
)


def _pipeline_class(task: Task) -> Any:
    from diffusers import (
        CogVideoXImageToVideoPipeline,
        CogVideoXPipeline,
        CogVideoXVideoToVideoPipeline,
    )

    return {
        Task.T2V: CogVideoXPipeline,
        Task.I2V: CogVideoXImageToVideoPipeline,
        Task.V2V: CogVideoXVideoToVideoPipeline,
    }[task]


def denoise_steps(steps: int, strength: float) -> int:
    """How many steps a video-to-video run takes: the last ``strength`` share of the schedule."""
    return min(int(steps * strength), steps)


class CogVideoXBackend(Backend):
    """CogVideoX through diffusers' CogVideoX pipelines; T2V and V2V share one set of weights."""

    info = BackendInfo(
        family=FAMILY,
        label="CogVideoX",
        tasks=frozenset({Task.T2V, Task.I2V, Task.V2V}),
        presets=PRESETS,
        rules=RULES_1_0,
        options=CogVideoXOptions,
    )

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        import torch
        from diffusers import AutoencoderKLCogVideoX, CogVideoXTransformer3DModel, DDIMScheduler

        image_to_video = Task.I2V in preset.tasks
        torch.manual_seed(0)
        transformer = CogVideoXTransformer3DModel(
            num_attention_heads=2,
            attention_head_dim=16,
            # I2V concatenates the image latents to the noise on the channel axis.
            in_channels=8 if image_to_video else 4,
            out_channels=4,
            time_embed_dim=2,
            text_embed_dim=tiny.TEXT_DIM,
            num_layers=1,
            sample_width=4,
            sample_height=4,
            sample_frames=9,
            patch_size=2,
            temporal_compression_ratio=4,
            max_text_seq_length=16,
            use_rotary_positional_embeddings=image_to_video,
            use_learned_positional_embeddings=image_to_video,
        )
        torch.manual_seed(0)
        vae = AutoencoderKLCogVideoX(
            in_channels=3,
            out_channels=3,
            down_block_types=("CogVideoXDownBlock3D",) * 4,
            up_block_types=("CogVideoXUpBlock3D",) * 4,
            block_out_channels=(8, 8, 8, 8),
            latent_channels=4,
            layers_per_block=1,
            norm_num_groups=2,
            temporal_compression_ratio=4,
        )
        tokenizer = tiny.t5_tokenizer()
        pipe = _pipeline_class(Task.I2V if image_to_video else Task.T2V)(
            tokenizer=tokenizer,
            text_encoder=tiny.t5_encoder(len(tokenizer)),
            vae=vae,
            transformer=transformer,
            scheduler=DDIMScheduler(),
        )
        tiny.save_pipeline(pipe, folder)

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None  # the checkpoint's own pipeline (T2V, or I2V for image models)
        self.pipe_v2v: Any = None  # CogVideoXVideoToVideoPipeline sharing pipe's modules

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        if source.kind != "diffusers":
            raise InvalidRequest(
                f"CogVideoX loads diffusers folders only; {source.path} is a single file. "
                "Give the folder `reelgen pull` or save_pretrained wrote (--weights DIR)",
                param="weights",
            )
        first = Task.I2V if Task.I2V in self.preset.tasks else Task.T2V
        self.pipe = _pipeline_class(first).from_pretrained(
            str(source.path), dtype=torch_dtype(plan.dtype), local_files_only=True
        )
        self.pipe.set_progress_bar_config(disable=True)
        if Task.V2V in self.preset.tasks:
            self.pipe_v2v = _pipeline_class(Task.V2V)(**self.pipe.components)
            self.pipe_v2v.set_progress_bar_config(disable=True)
        # Sibling pipelines share the modules, so placing the main one places them all.
        apply_plan(self.pipe, plan)

    def validate_inputs(self, request: GenerationRequest) -> None:
        steps = request.steps or 0
        if request.task is Task.V2V and denoise_steps(steps, request.source_strength) < 1:
            raise InvalidRequest(
                f"source_strength {request.source_strength} with {steps} steps runs no denoising step; "
                f"raise source_strength to at least {1 / steps:.2f} or use more steps",
                param="source_strength",
            )

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        assert request.width and request.height and request.num_frames and request.steps
        assert request.task is not None and request.seed is not None
        width, height, frames = request.width, request.height, request.num_frames
        pipe = self.pipe_v2v if request.task is Task.V2V else self.pipe
        self.lora_records = apply_loras(self.pipe, request.loras)
        options = CogVideoXOptions.model_validate(request.options)

        # 1. Task inputs: a start image, or the first frames of the source clip.
        inputs: dict[str, Any] = {"num_frames": frames}
        total = request.steps
        if request.task is Task.I2V:
            assert request.start_image
            inputs["image"] = load_fitted(request.start_image, width, height, "start_image")
        elif request.task is Task.V2V:
            inputs = {"video": _source_frames(request), "strength": request.source_strength}
            total = denoise_steps(request.steps, request.source_strength)

        # 2. Denoise with per-step progress, cancel and latent previews; decode inside the pipeline.
        tracker = progress.stage("denoise", total)
        # CogVideoX latents are (B, F, C, H, W); the preview wants channels first.
        preview = step_callback(tracker, lambda lat: latent_preview(lat.permute(0, 2, 1, 3, 4)))
        try:
            out = pipe(
                prompt=request.prompt,
                negative_prompt=request.negative_prompt or None,
                height=height,
                width=width,
                num_inference_steps=request.steps,
                guidance_scale=request.guidance,
                use_dynamic_cfg=options.use_dynamic_cfg,
                generator=generator(request.seed),
                max_sequence_length=pipe.transformer.config.max_text_seq_length,
                output_type="np",
                callback_on_step_end=preview,
                callback_on_step_end_tensor_inputs=["latents"],
                **inputs,
            )
        finally:
            if pipe is not self.pipe:
                # Offload hooks belong to the main pipeline; re-arm them so nothing stays resident.
                self.pipe.maybe_free_model_hooks()
        return Video(frames_to_uint8(out.frames[0]), to_fraction(request.fps or 8.0))

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak: the transformer over all tokens at once, or the VAE decode.

        Tokens are latent frames x (H/16) x (W/16) plus 226 text tokens; full
        attention runs through SDPA, so hidden states and the FFN dominate. The
        VAE decodes two latent frames (8 video frames) at a time with 128
        full-resolution channels; the decoded clip is held in float32.
        """
        width, height, frames = request.width or 0, request.height or 0, request.num_frames or 0
        tokens = ((frames - 1) // 4 + 1) * (height // 16) * (width // 16) + 226
        dim = 16 if self.preset.tiny else (1920 if self.preset.name == "cogvideox-2b" else 3072)
        transformer = tokens * dim * 10 * 2 / GIB  # q/k/v/out, residual and a 4x FFN, 16-bit
        vae_decode = width * height * 8 * 128 * 2 * 4 / GIB
        clip = frames * width * height * 3 * 4 * 2 / GIB
        return round(0.5 + max(transformer, vae_decode) + clip, 2)


def _source_frames(request: GenerationRequest) -> list[Any]:
    """The first ``num_frames`` frames of the source video, fitted to the output size."""
    assert request.source_video and request.num_frames and request.width and request.height
    clip = read_video(request.source_video, max_frames=request.num_frames)
    if clip.num_frames < request.num_frames:
        usable = (clip.num_frames - 1) // 8 * 8 + 1
        raise InvalidRequest(
            f"source_video has {clip.num_frames} frames but {request.num_frames} were asked for; "
            f"ask for num_frames={usable} or give a longer video",
            param="num_frames",
        )
    return fit_video(clip, request.width, request.height, request.num_frames)
