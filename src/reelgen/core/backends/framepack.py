"""FramePack backend: long image-to-video clips made section by section on the HunyuanVideo base."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core import settings
from reelgen.core.backends import hunyuan_tiny
from reelgen.core.backends.base import (
    Backend,
    BackendInfo,
    Preset,
    apply_loras,
    apply_plan,
    frames_to_uint8,
    generator,
    latent_preview,
)
from reelgen.core.backends.hunyuan import enable_gpu_vae_tiling, working_gib_for
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction

if TYPE_CHECKING:
    from reelgen.core.progress import Progress, StageTracker
    from reelgen.core.spec.memory import MemoryPlan
    from reelgen.core.weights import WeightSource

# Same lattice as HunyuanVideo: 16 px sides, 4k+1 frames.
RULES = SizeRules(label="FramePack", multiple=16, frame_step=4, frame_offset=1)

#: The HunyuanVideo checkpoint FramePack borrows its text encoders, tokenizers, VAE and scheduler from.
BASE_REPO = "hunyuanvideo-community/HunyuanVideo"
BASE_PARTS = ("text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "vae", "scheduler")
#: FLUX Redux's SigLIP image encoder, which FramePack's transformer was trained against.
REDUX_REPO = "lllyasviel/flux_redux_bfl"
#: What `reelgen pull framepack` fetches besides the transformer (the base's own 13B transformer is unused).
_COMPANIONS: dict[str, tuple[str, ...]] = {BASE_REPO: ("transformer/*",), REDUX_REPO: ()}
REDUX_PARTS = ("image_encoder", "feature_extractor")


class FramePackOptions(BaseModel):
    """FramePack's sampling knobs."""

    model_config = ConfigDict(extra="forbid")

    sampling_type: Literal["inverted_anti_drifting", "vanilla"] = Field(
        default="inverted_anti_drifting",
        description="inverted_anti_drifting makes sections from the end backwards towards the start "
        "image (FramePack; also allows an end image); vanilla makes them forwards (FramePack-F1).",
    )
    latent_window_size: int = Field(
        default=9,
        ge=1,
        le=33,
        description="Latent frames made per section (4 video frames each); larger means fewer, "
        "longer sections with more memory per section.",
    )
    true_cfg_scale: float = Field(
        default=1.0,
        ge=1.0,
        le=20.0,
        description="Real classifier-free guidance against the negative prompt when above 1; "
        "FramePack is guidance-distilled (`guidance`), so 1.0 (off) is its default.",
    )


#: Resident 16-bit sizes: FramePack transformer 12.9B params, LLaMA-3-8B text encoder 7.5B,
#: CLIP-L text encoder 123M, HunyuanVideo VAE 246M, SigLIP so400m image encoder 0.43B.
_PARTS = {
    "transformer": 23.98,
    "text_encoder": 13.98,
    "text_encoder_2": 0.23,
    "vae": 0.46,
    "image_encoder": 0.80,
}
_I2V = frozenset({Task.I2V})

PRESETS = (
    Preset(
        name="framepack",
        family="framepack",
        repo_id="lllyasviel/FramePackI2V_HY",
        tasks=_I2V,
        description="FramePack (HunyuanVideo 13B): long image-to-video in sections, anti-drifting; "
        "optional end image",
        width=832,
        height=480,
        num_frames=145,
        fps=30.0,
        steps=30,
        guidance=9.0,
        parts_gib=_PARTS,
        companions=_COMPANIONS,
    ),
    Preset(
        name="framepack-f1",
        family="framepack",
        repo_id="lllyasviel/FramePack_F1_I2V_HY_20250503",
        tasks=_I2V,
        options={"sampling_type": "vanilla"},
        description="FramePack-F1: forward-only sections, more dynamic motion; start image only",
        width=832,
        height=480,
        num_frames=145,
        fps=30.0,
        steps=30,
        guidance=9.0,
        parts_gib=_PARTS,
        companions=_COMPANIONS,
    ),
    Preset(
        name="framepack-tiny",
        family="framepack",
        repo_id=None,
        tasks=_I2V,
        tiny=True,
        options={"latent_window_size": 2},
        description="FramePack classes with tiny random weights, for tests and CPU demos",
        width=64,
        height=64,
        num_frames=9,
        fps=30.0,
        steps=2,
        guidance=9.0,
        parts_gib={part: 0.001 for part in _PARTS},
    ),
)


def sections_for(num_frames: int, window: int) -> int:
    """How many sections make at least ``num_frames``: each adds ``4 * window`` frames to the first."""
    return max(1, math.ceil((num_frames - 1) / (4 * window)))


class FramePackBackend(Backend):
    """FramePack: ``HunyuanVideoFramepackPipeline`` with a start image (and optionally an end image).

    The pipeline makes ``sections`` windows of ``latent_window_size`` latent frames, each
    conditioned on a packed history of the frames made so far, so memory stays flat as
    clips get longer. A run makes ``4 * window * sections + 1`` frames, the smallest such
    count that covers the request, and returns the first ``num_frames`` of them (with an end
    image the count must fit exactly, so the end image stays the last frame). Progress
    counts every step of every section.

    Real weights come from three repos: the FramePack transformer (the preset's repo), the
    HunyuanVideo base for text encoders and VAE, and FLUX Redux's SigLIP image encoder. A
    diffusers folder holding all of them (``save_pretrained`` of the assembled pipeline)
    loads directly.
    """

    info: ClassVar[BackendInfo] = BackendInfo(
        family="framepack",
        label="FramePack",
        tasks=_I2V,
        presets=PRESETS,
        rules=RULES,
        options=FramePackOptions,
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None

    # ---- tiny build -----------------------------------------------------------------------------

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        """Real FramePack classes from tiny configs, seeded weights and in-memory tokenizers."""
        hunyuan_tiny.build_framepack(folder)

    # ---- load -----------------------------------------------------------------------------------

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        """Load a full FramePack folder, or the transformer repo joined with its two companions."""
        import torch
        from diffusers import HunyuanVideoFramepackPipeline

        if source.kind == "single_file":
            raise InvalidRequest(
                "FramePack loads from diffusers folders only (diffusers cannot read its transformer "
                "from a single file); pass a folder with model_index.json as --weights",
                param="weights",
            )
        dtype = torch.float32 if plan.device == "cpu" else torch_dtype(plan.dtype)
        if (source.path / "model_index.json").is_file():
            self.pipe = HunyuanVideoFramepackPipeline.from_pretrained(
                str(source.path), dtype=dtype, local_files_only=True
            )
        else:
            self.pipe = self._assemble(source, dtype)
        self.source, self.plan = source, plan
        apply_plan(self.pipe, plan)
        enable_gpu_vae_tiling(self.pipe, plan)

    def _assemble(self, source: WeightSource, dtype: Any) -> Any:
        """Transformer from ``source``; text encoders, VAE and image encoder from the cached companions."""
        from diffusers import HunyuanVideoFramepackPipeline, HunyuanVideoFramepackTransformer3DModel
        from transformers import SiglipImageProcessor, SiglipVisionModel

        from reelgen.core.weights import sha256_file, weight_hashes

        # 1. Find both companions first, so one error names everything that is missing.
        missing: list[str] = []
        base = _cached_snapshot(BASE_REPO, BASE_PARTS, missing)
        redux = _cached_snapshot(REDUX_REPO, REDUX_PARTS, missing)
        if base is None or redux is None:
            raise ModelNotAvailable(
                f"{self.preset.name} also needs parts of other repos in the Hugging Face cache "
                f"({settings.hf_cache_dir()}): {'; '.join(missing)}. "
                f"Fetch them with: reelgen pull {self.preset.name}",
                param="model",
            )
        # 2. Load the parts and join them in one pipeline; the base's own transformer is not read.
        transformer = HunyuanVideoFramepackTransformer3DModel.from_pretrained(
            str(source.path), dtype=dtype, local_files_only=True
        )
        pipe = HunyuanVideoFramepackPipeline.from_pretrained(
            str(base),
            transformer=transformer,
            dtype=dtype,
            local_files_only=True,
            image_encoder=SiglipVisionModel.from_pretrained(
                str(redux), subfolder="image_encoder", dtype=dtype, local_files_only=True
            ),
            feature_extractor=SiglipImageProcessor.from_pretrained(
                str(redux), subfolder="feature_extractor", local_files_only=True
            ),
        )
        # 3. The run record names every weight file used, companions included.
        hashes = dict(weight_hashes(source))
        for repo, folder, parts in ((BASE_REPO, base, BASE_PARTS), (REDUX_REPO, redux, REDUX_PARTS)):
            for part in parts:
                for file in sorted((folder / part).glob("*.safetensors")):
                    hashes[f"{repo}/{part}/{file.name}"] = sha256_file(file)
        source.hashes = hashes
        return pipe

    # ---- checks ---------------------------------------------------------------------------------

    def validate_inputs(self, request: GenerationRequest) -> None:
        options = FramePackOptions.model_validate(request.options)
        if not request.end_image:
            return
        if options.sampling_type != "inverted_anti_drifting":
            raise InvalidRequest(
                "end_image needs options.sampling_type 'inverted_anti_drifting' (sections are made "
                "backwards from the end); vanilla sampling (FramePack-F1) takes a start image only",
                param="end_image",
            )
        # Extra frames are cut from the end, which would cut the end image off: the clip must fit exactly.
        step = 4 * options.latent_window_size
        frames = request.num_frames or 0
        if (frames - 1) % step:
            below = (frames - 1) // step * step + 1
            near = [n for n in (below, below + step) if n > 1]
            raise InvalidRequest(
                f"with an end image the clip must end on it, so num_frames must be {step}k+1 "
                f"(latent_window_size {options.latent_window_size}); nearest valid: "
                f"{' or '.join(str(n) for n in near)}",
                param="num_frames",
            )

    # ---- generate -------------------------------------------------------------------------------

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        """Make enough sections to cover ``num_frames``; returns the first ``num_frames`` frames."""
        from reelgen.core import media

        assert request.width and request.height and request.num_frames and request.steps
        assert request.seed is not None and request.guidance is not None and request.fps
        options = FramePackOptions.model_validate(request.options)
        width, height = request.width, request.height

        # 1. LoRAs go into the transformer; a cached pipeline drops the previous run's first.
        self.lora_records = apply_loras(self.pipe, request.loras)

        # 2. Inputs: the start (and end) image, and a section count that covers the request.
        kwargs: dict[str, Any] = {
            "image": media.load_fitted(request.start_image or "", width, height, "start_image")
        }
        if request.end_image:
            kwargs["last_image"] = media.load_fitted(request.end_image, width, height, "end_image")
        if options.true_cfg_scale > 1.0:
            kwargs["negative_prompt"] = request.negative_prompt or ""
        if self.preset.tiny:
            kwargs["prompt_template"] = hunyuan_tiny.prompt_template(self.pipe)
        window = options.latent_window_size
        sections = sections_for(request.num_frames, window)

        # 3. Denoise every section with progress and cancel between steps; decode as it goes.
        tracker = progress.stage("denoise", sections * request.steps)
        result = self.pipe(
            prompt=request.prompt,
            width=width,
            height=height,
            # The pipeline counts sections as ceil(num_frames / (4 * window - 3)).
            num_frames=sections * (4 * window - 3),
            latent_window_size=window,
            sampling_type=options.sampling_type,
            num_inference_steps=request.steps,
            guidance_scale=request.guidance,
            true_cfg_scale=options.true_cfg_scale,
            generator=generator(request.seed),
            output_type="np",
            callback_on_step_end=_counting_callback(tracker, latent_preview),
            callback_on_step_end_tensor_inputs=["latents"],
            **kwargs,
        )
        frames = frames_to_uint8(result.frames[0][: request.num_frames])
        return Video(frames, to_fraction(request.fps), extra={"sections": sections})

    # ---- memory ---------------------------------------------------------------------------------

    def working_gib(self, request: GenerationRequest) -> float:
        """One section's activations: its window plus the packed history (about 5 latent frames' worth)."""
        window = FramePackOptions.model_validate(
            {**self.preset.options, **request.options}
        ).latent_window_size
        return working_gib_for(request, dim=20 if self.preset.tiny else 3072, latent_frames=window + 5)


def _counting_callback(tracker: StageTracker, preview: Callable[[Any], Any]) -> Callable[..., dict[str, Any]]:
    """A ``callback_on_step_end`` that counts steps across sections (the pipeline restarts ``i`` per section)."""

    def on_step_end(pipe: Any, i: int, t: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        latents = kwargs.get("latents")
        tracker.advance(None, (lambda: preview(latents)) if latents is not None else None)
        return kwargs

    return on_step_end


def _cached_snapshot(repo: str, parts: tuple[str, ...], missing: list[str]) -> Path | None:
    """``repo``'s snapshot in the HF cache if it has ``parts``; else note how to fetch it in ``missing``."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        folder = Path(snapshot_download(repo, local_files_only=True, cache_dir=settings.hf_cache_dir()))
    except (LocalEntryNotFoundError, FileNotFoundError, OSError, ValueError):
        folder = None
    if folder is not None and all((folder / part).is_dir() for part in parts):
        return folder
    missing.append(f"{repo} ({', '.join(parts)})")
    return None
