"""SkyReels-V2 backend: diffusion forcing for long videos (text, image, or continuing a clip), plus plain T2V/I2V."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

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
from reelgen.core.backends.skyreels_windows import (
    FRAME_STEP,
    SkyReelsOptions,
    check,
    df_windows,
    latent_frames,
    model_calls,
)
from reelgen.core.backends.tiny import TEXT_DIM, save_pipeline, t5_encoder, t5_tokenizer
from reelgen.core.backends.wan_presets import LATENT_RGB_FACTORS
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.core.spec.memory import GIB, MemoryPlan
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction

if TYPE_CHECKING:
    from reelgen.core.weights import WeightSource

DF_RULES = SizeRules(
    label="SkyReels-V2 diffusion forcing: width and height multiples of 16, frames 4k+1",
    multiple=16,
    min_side=32,
    max_side=2048,
    frame_step=FRAME_STEP,
    frame_offset=1,
    min_frames=5,
    max_frames=1457,  # 60 s at 24 fps, the longest the model card shows
)
PLAIN_RULES = SizeRules(
    label="SkyReels-V2: width and height multiples of 16, frames 4k+1 (one window; use a DF model for longer)",
    multiple=16,
    min_side=32,
    max_side=2048,
    frame_step=FRAME_STEP,
    frame_offset=1,
    min_frames=5,
    max_frames=161,
)

# Resident sizes: transformer and UMT5-XXL in bf16, the Wan VAE kept in float32 (it must not run in bf16).
_TEXT_VAE = {"text_encoder": 10.6, "vae": 0.5}
_PARTS_1B = {"transformer": 2.4, **_TEXT_VAE}
_PARTS_14B = {"transformer": 26.1, **_TEXT_VAE}
_CLIP = {"image_encoder": 1.2}
_DF_TASKS = frozenset({Task.T2V, Task.I2V, Task.EXTEND})


def _preset(
    name: str, repo: str | None, variant: str, res: str, parts: dict[str, float], **kw: Any
) -> Preset:
    width, height, frames = (1280, 720, 121) if res == "720p" else (960, 544, 97)
    tasks = {"df": _DF_TASKS, "t2v": frozenset({Task.T2V}), "i2v": frozenset({Task.I2V})}[variant]
    defaults: dict[str, Any] = dict(
        width=width, height=height, num_frames=frames, fps=24.0, steps=30, tasks=tasks, variant=variant,
        guidance=5.0 if variant == "i2v" else 6.0, rules=PLAIN_RULES if variant != "df" else None,
        options={"base_num_frames": frames} if variant == "df" else {},
    )  # fmt: skip
    kind = {"df": "diffusion forcing, long video", "t2v": "text to video", "i2v": "image to video"}[variant]
    description = kw.pop("description", f"SkyReels-V2 {kind}, {res}")
    return Preset(name, "skyreels", description, repo, parts_gib=parts, **(defaults | kw))


_HUB = "Skywork/SkyReels-V2-{}-Diffusers"
PRESETS = (
    _preset("skyreels-v2-df-1.3b", _HUB.format("DF-1.3B-540P"), "df", "540p", _PARTS_1B),
    _preset("skyreels-v2-df-14b-540p", _HUB.format("DF-14B-540P"), "df", "540p", _PARTS_14B),
    _preset("skyreels-v2-df-14b-720p", _HUB.format("DF-14B-720P"), "df", "720p", _PARTS_14B),
    _preset("skyreels-v2-t2v-14b-540p", _HUB.format("T2V-14B-540P"), "t2v", "540p", _PARTS_14B),
    _preset("skyreels-v2-t2v-14b-720p", _HUB.format("T2V-14B-720P"), "t2v", "720p", _PARTS_14B),
    _preset("skyreels-v2-i2v-1.3b", _HUB.format("I2V-1.3B-540P"), "i2v", "540p", _PARTS_1B | _CLIP),
    _preset("skyreels-v2-i2v-14b-540p", _HUB.format("I2V-14B-540P"), "i2v", "540p", _PARTS_14B | _CLIP),
    _preset("skyreels-v2-i2v-14b-720p", _HUB.format("I2V-14B-720P"), "i2v", "720p", _PARTS_14B | _CLIP),
    _preset(
        "skyreels-tiny", None, "df", "540p", {"transformer": 0.001}, width=64, height=64, num_frames=17, steps=2,
        tiny=True, description="tiny random SkyReels-V2 diffusion forcing for tests and offline demos",
        options={"base_num_frames": 17, "overlap_history": 5},
    ),
    _preset(
        "skyreels-i2v-tiny", None, "i2v", "540p", {"transformer": 0.001}, width=64, height=64, num_frames=17,
        steps=2, tiny=True, description="tiny random SkyReels-V2 image to video for tests and offline demos",
    ),
)  # fmt: skip


class SkyReelsBackend(Backend):
    """Skywork SkyReels-V2 through diffusers: diffusion-forcing (DF) checkpoints and plain T2V/I2V ones."""

    info: ClassVar[BackendInfo] = BackendInfo(
        family="skyreels",
        label="SkyReels-V2",
        tasks=_DF_TASKS,
        presets=PRESETS,
        rules=DF_RULES,
        options=SkyReelsOptions,
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None
        self._siblings: dict[type, Any] = {}
        self._scheduler_config: Any = None
        self._block_size = 1

    # ---- tiny build -------------------------------------------------------------------------

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        import torch
        from diffusers import AutoencoderKLWan, SkyReelsV2Transformer3DModel, UniPCMultistepScheduler

        tokenizer = t5_tokenizer()
        i2v = preset.variant == "i2v"
        torch.manual_seed(0)
        vae = AutoencoderKLWan(
            base_dim=3,
            z_dim=16,
            dim_mult=[1, 1, 1, 1],
            num_res_blocks=1,
            temperal_downsample=[False, True, True],
        )
        torch.manual_seed(0)
        # I2V adds 4 mask + 16 image-latent channels and a CLIP image projection of width 4.
        transformer = SkyReelsV2Transformer3DModel(
            patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=36 if i2v else 16,
            out_channels=16, text_dim=TEXT_DIM, freq_dim=256, ffn_dim=32, num_layers=2, cross_attn_norm=True,
            qk_norm="rms_norm_across_heads", rope_max_seq_len=32, image_dim=4 if i2v else None,
        )  # fmt: skip
        parts: dict[str, Any] = dict(
            transformer=transformer, vae=vae, tokenizer=tokenizer, text_encoder=t5_encoder(len(tokenizer), umt5=True),
            scheduler=UniPCMultistepScheduler(flow_shift=8.0, use_flow_sigmas=True, prediction_type="flow_prediction"),
        )  # fmt: skip
        if i2v:
            parts |= _tiny_clip()
        save_pipeline(_pipeline_class(preset.variant)(**parts), folder)

    # ---- load ---------------------------------------------------------------------------------

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        import torch
        from diffusers import SkyReelsV2Transformer3DModel

        dtype = torch_dtype(plan.dtype)
        folder, parts = source.path, {}
        if source.kind == "single_file":
            parts["transformer"] = single_file_transformer(
                SkyReelsV2Transformer3DModel, source, self.preset, dtype
            )
            folder = source.base or folder  # single_file_transformer refused a missing base
        # The Wan VAE (and CLIP) lose detail in half precision and are small: diffusers' examples keep them fp32.
        dtypes = {"vae": torch.float32, "image_encoder": torch.float32, "default": dtype}
        cls = _pipeline_class(self.preset.variant)
        self.pipe = cls.from_pretrained(str(folder), dtype=dtypes, local_files_only=True, **parts)
        self.pipe.set_progress_bar_config(disable=True)
        apply_plan(self.pipe, plan)
        self.plan = plan
        self._scheduler_config = self.pipe.scheduler.config
        self._block_size = int(self.pipe.transformer.config.num_frame_per_block)

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

    # ---- checks -------------------------------------------------------------------------------

    def validate_inputs(self, request: GenerationRequest) -> None:
        if self.preset.variant == "df":
            check(request, self.info.label)
            return
        if request.end_image:
            raise InvalidRequest(
                f"{self.preset.name} starts from one image; to pin the last frame too use a diffusion-forcing "
                "model (skyreels-v2-df-1.3b or skyreels-tiny)",
                param="end_image",
            )
        defaults = SkyReelsOptions().model_dump()
        changed = sorted(k for k, v in defaults.items() if request.options.get(k, v) != v)
        if changed:
            raise InvalidRequest(
                f"options {', '.join(changed)} apply to diffusion-forcing models only; "
                f"{self.preset.name} generates one window (try skyreels-v2-df-1.3b)",
                param=f"options.{changed[0]}",
            )

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak: one window in the transformer, or the Wan VAE decode, plus the decoded clip.

        Diffusion forcing denoises one window (``base_num_frames``) at a time,
        but decodes the whole video at the end and holds it in float32 twice
        (decoded and postprocessed), so long videos grow the clip term only.
        """
        width, height, frames = request.width or 0, request.height or 0, request.num_frames or 0
        window = frames
        if self.preset.variant == "df":
            window = min(frames, SkyReelsOptions.model_validate(request.options).base_num_frames)
        tokens = latent_frames(window) * (height // 16) * (width // 16)
        dim, ffn = (
            (24, 32) if self.preset.tiny else (1536, 8960) if "1.3b" in self.preset.name else (5120, 13824)
        )
        transformer = tokens * (6 * dim + ffn) * 2 / GIB  # bf16 hidden states, q/k/v/out and the FFN
        vae_decode = width * height * 96 * 6 * 4 * 4 / GIB  # 96 channels, 6 cached frames, fp32, ~4 live
        clip = frames * width * height * 3 * 4 * 2 / GIB
        return round(0.5 + max(transformer, vae_decode) + clip, 2)

    # ---- generate -----------------------------------------------------------------------------

    def _task_call(
        self, request: GenerationRequest, options: SkyReelsOptions
    ) -> tuple[Any, dict[str, Any], int]:
        """The pipeline for the task, the arguments only it takes, and the model calls it will make."""
        import diffusers

        assert request.width and request.height and request.num_frames and request.steps and request.fps
        w, h, n, steps = request.width, request.height, request.num_frames, request.steps
        images: dict[str, Any] = {}
        if request.start_image:
            images["image"] = media.load_fitted(request.start_image, w, h, "start_image")
        if request.end_image:
            images["last_image"] = media.load_fitted(request.end_image, w, h, "end_image")
        if self.preset.variant != "df":
            return self._sibling(_pipeline_class(self.preset.variant)), images, steps
        window = {
            "base_num_frames": options.base_num_frames,
            "overlap_history": options.overlap_history,
            "addnoise_condition": options.addnoise_condition,
            "ar_step": options.ar_step,
            "causal_block_size": options.causal_block_size or self._block_size,
            "fps": round(request.fps),
        }
        if request.task is Task.EXTEND:
            assert request.source_video is not None
            source = media.read_video(request.source_video)
            # A clip shorter than overlap_history lends all it has (trimmed to 4k+1 frames).
            overlap = min(options.overlap_history, (source.num_frames - 1) // FRAME_STEP * FRAME_STEP + 1)
            clip = media.fit_video(source, w, h)[-overlap:]
            cls: Any = diffusers.SkyReelsV2DiffusionForcingVideoToVideoPipeline
            kwargs = window | {"video": clip, "overlap_history": overlap}
            windows = df_windows(n, options, extend=True, overlap=overlap)
        else:
            cls = diffusers.SkyReelsV2DiffusionForcingImageToVideoPipeline
            if not images:
                cls = diffusers.SkyReelsV2DiffusionForcingPipeline
            kwargs = window | images
            windows = df_windows(n, options, image="image" in images, end_image="last_image" in images)
        return self._sibling(cls), kwargs, model_calls(windows, steps, options)

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        import torch

        assert request.seed is not None and request.fps and request.num_frames
        options = SkyReelsOptions.model_validate(request.options)
        pipe, task_kwargs, calls = self._task_call(request, options)
        self.lora_records = apply_loras(pipe, request.loras)
        scheduler_cls = type(pipe.scheduler)
        shift = {} if options.flow_shift is None else {"flow_shift": options.flow_shift}
        # A fresh scheduler per run, so one request's shift never leaks into the next.
        pipe.scheduler = scheduler_cls.from_config(self._scheduler_config, **shift)
        tracker = progress.stage("denoise", calls)
        cuda = [] if self.plan is None or self.plan.device == "cpu" else [torch.device(self.plan.device)]
        try:
            # DF pipelines noise the reused frames with torch's global RNG; seed it so a seed replays exactly.
            with torch.random.fork_rng(devices=cuda):
                torch.manual_seed(request.seed)
                out = pipe(
                    prompt=request.prompt,
                    negative_prompt=request.negative_prompt or None,
                    width=request.width,
                    height=request.height,
                    num_frames=request.num_frames,
                    num_inference_steps=request.steps,
                    guidance_scale=request.guidance,
                    generator=generator(request.seed),
                    output_type="np",
                    callback_on_step_end=_counting(step_callback(tracker, _preview)),
                    **task_kwargs,
                )
        finally:
            if pipe is not self.pipe:
                # Offload hooks belong to the main pipeline; re-arm them so nothing stays resident.
                self.pipe.maybe_free_model_hooks()
        frames = out.frames[0]
        if request.task is Task.EXTEND:
            # The pipeline returns the given frames followed by the new clip, which itself starts
            # by re-rendering them; the new clip is what was asked for.
            frames = frames[len(task_kwargs["video"]) :]
        return Video(frames_to_uint8(frames), to_fraction(request.fps), extra=_extra(request, task_kwargs))


def _extra(request: GenerationRequest, task_kwargs: dict[str, Any]) -> dict[str, Any]:
    if request.task is not Task.EXTEND:
        return {}
    # Joining the source and this clip: drop this many frames from the clip's start.
    return {"overlap_frames": task_kwargs["overlap_history"]}


def _preview(latents: Any) -> Any:
    return latent_preview(latents, LATENT_RGB_FACTORS)  # SkyReels-V2 uses Wan 2.1's VAE


def _counting(callback: Any) -> Any:
    """DF pipelines restart their step index in every window; count calls across all of them."""
    done = [0]

    def on_step_end(pipe: Any, i: int, t: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        done[0] += 1
        result: dict[str, Any] = callback(pipe, done[0] - 1, t, kwargs)
        return result

    return on_step_end


def _pipeline_class(variant: str) -> Any:
    import diffusers

    return {
        "df": diffusers.SkyReelsV2DiffusionForcingPipeline,
        "t2v": diffusers.SkyReelsV2Pipeline,
        "i2v": diffusers.SkyReelsV2ImageToVideoPipeline,
    }[variant]


def _tiny_clip() -> dict[str, Any]:
    """A CLIP vision tower of width 4 and its processor, for the plain I2V pipeline."""
    import torch
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(0)
    config = CLIPVisionConfig(
        hidden_size=4, projection_dim=4, num_hidden_layers=2, num_attention_heads=2, image_size=32,
        intermediate_size=16, patch_size=1,
    )  # fmt: skip
    return {
        "image_encoder": CLIPVisionModelWithProjection(config).eval(),
        "image_processor": CLIPImageProcessor(crop_size=32, size=32),
    }
