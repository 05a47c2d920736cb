"""HunyuanVideo 1.5 backend (480p and 720p, text- and image-to-video) with per-step progress via stephook."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.backends import hunyuan_tiny
from reelgen.core.backends.base import (
    Backend,
    BackendInfo,
    Preset,
    apply_plan,
    frames_to_uint8,
    generator,
    latent_preview,
)
from reelgen.core.backends.hunyuan import enable_gpu_vae_tiling, fresh_scheduler, working_gib_for
from reelgen.core.backends.stephook import report_steps
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction

if TYPE_CHECKING:
    from reelgen.core.progress import Progress
    from reelgen.core.spec.memory import MemoryPlan
    from reelgen.core.weights import WeightSource

GIB = 1024**3

# Sides: the VAE compresses 16x spatially (patch 1); frames 4k+1 (VAE 4x temporal).
RULES = SizeRules(label="HunyuanVideo 1.5", multiple=16, frame_step=4, frame_offset=1)

#: Pixel side whose square area the checkpoint was trained at (the transformer's ``target_size``):
#: "480p" means about 640x640 pixels of area (848x480 at 16:9), "720p" about 960x960 (1280x720).
TARGET_SIZE = {"480p": 640, "720p": 960, "tiny": hunyuan_tiny.TARGET_SIZE_15}


class Hunyuan15Options(BaseModel):
    """HunyuanVideo 1.5 knobs beyond the common request."""

    model_config = ConfigDict(extra="forbid")

    flow_shift: float | None = Field(
        default=None,
        gt=0.0,
        description="Timestep shift of the flow scheduler; None keeps the checkpoint's.",
    )


#: Resident 16-bit sizes: transformer 8.33B params, Qwen2.5-VL-7B text model 7.07B, ByT5-small
#: glyph encoder 0.22B, VAE 1.26B, SigLIP so400m image encoder 0.43B (i2v).
_PARTS = {"transformer": 15.51, "text_encoder": 13.17, "text_encoder_2": 0.41, "vae": 2.35}
_PARTS_I2V = {**_PARTS, "image_encoder": 0.80}
_TINY_PARTS = {"transformer": 0.001, "text_encoder": 0.001, "text_encoder_2": 0.001, "vae": 0.001}
_REPO = "hunyuanvideo-community/HunyuanVideo-1.5-Diffusers-{}"


def _preset(name: str, variant: str, width: int, height: int, **kw: Any) -> Preset:
    resolution, task = variant.split("-")
    defaults: dict[str, Any] = dict(num_frames=121, fps=24.0, steps=50, guidance=6.0)
    return Preset(
        name=name,
        family="hunyuan15",
        variant=variant,
        tasks=frozenset({Task(task)}),
        repo_id=None if resolution == "tiny" else _REPO.format(f"{resolution}_{task}"),
        width=width,
        height=height,
        **{**defaults, **kw},
    )


PRESETS = (
    _preset(
        "hunyuan15-480p",
        "480p-t2v",
        848,
        480,
        parts_gib=_PARTS,
        description="HunyuanVideo 1.5 (8.3B) text-to-video at 480p",
    ),
    _preset(
        "hunyuan15-480p-i2v",
        "480p-i2v",
        848,
        480,
        parts_gib=_PARTS_I2V,
        description="HunyuanVideo 1.5 (8.3B) image-to-video at 480p (sizes from its aspect buckets)",
    ),
    _preset(
        "hunyuan15-720p",
        "720p-t2v",
        1280,
        720,
        parts_gib=_PARTS,
        description="HunyuanVideo 1.5 (8.3B) text-to-video at 720p",
    ),
    _preset(
        "hunyuan15-720p-i2v",
        "720p-i2v",
        1280,
        720,
        parts_gib=_PARTS_I2V,
        description="HunyuanVideo 1.5 (8.3B) image-to-video at 720p (sizes from its aspect buckets)",
    ),
    _preset(
        "hunyuan15-tiny",
        "tiny-t2v",
        64,
        64,
        num_frames=9,
        steps=2,
        tiny=True,
        parts_gib=_TINY_PARTS,
        description="HunyuanVideo 1.5 classes with tiny random weights, for tests and CPU demos",
    ),
    _preset(
        "hunyuan15-i2v-tiny",
        "tiny-i2v",
        64,
        64,
        num_frames=9,
        steps=2,
        tiny=True,
        parts_gib={**_TINY_PARTS, "image_encoder": 0.001},
        description="HunyuanVideo 1.5 image-to-video classes with tiny random weights",
    ),
)


class Hunyuan15Backend(Backend):
    """HunyuanVideo 1.5: ``HunyuanVideo15Pipeline`` (t2v) or ``HunyuanVideo15ImageToVideoPipeline`` (i2v).

    These pipelines take no step callback, so progress, previews and cancel come from
    wrapping the scheduler's ``step`` for the duration of a call (``stephook``). The i2v
    pipeline picks its own size from the image's aspect ratio among fixed buckets, so an i2v
    request must name one of those buckets. Classifier-free guidance lives in the pipeline's
    guider, which gets the request's ``guidance`` on every run. diffusers has no LoRA loader
    for these pipelines yet.
    """

    info: ClassVar[BackendInfo] = BackendInfo(
        family="hunyuan15",
        label="HunyuanVideo 1.5",
        tasks=frozenset({Task.T2V, Task.I2V}),
        presets=PRESETS,
        rules=RULES,
        options=Hunyuan15Options,
        supports_lora=False,
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None
        self._scheduler_config: dict[str, Any] = {}

    @property
    def i2v(self) -> bool:
        return self.preset.variant.endswith("i2v")

    # ---- tiny build -----------------------------------------------------------------------------

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        """Real HunyuanVideo 1.5 classes from tiny configs, seeded weights and in-memory tokenizers."""
        hunyuan_tiny.build_hunyuan15(folder, image=preset.variant.endswith("i2v"), guidance=preset.guidance)

    # ---- load -----------------------------------------------------------------------------------

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        import torch
        from diffusers import HunyuanVideo15ImageToVideoPipeline, HunyuanVideo15Pipeline

        if source.kind == "single_file":
            raise InvalidRequest(
                f"{self.preset.name} loads from a diffusers folder only (diffusers cannot read a "
                "HunyuanVideo 1.5 transformer from a single file); pass the folder as --weights",
                param="weights",
            )
        dtype = torch.float32 if plan.device == "cpu" else torch_dtype(plan.dtype)
        cls = HunyuanVideo15ImageToVideoPipeline if self.i2v else HunyuanVideo15Pipeline
        self.pipe = cls.from_pretrained(str(source.path), dtype=dtype, local_files_only=True)
        if self.preset.tiny:
            self.pipe.prompt_template_encode_start_idx = hunyuan_tiny.system_prompt_tokens(self.pipe)
        self.source, self.plan = source, plan
        self._scheduler_config = dict(self.pipe.scheduler.config)
        apply_plan(self.pipe, plan)
        enable_gpu_vae_tiling(self.pipe, plan)

    # ---- checks ---------------------------------------------------------------------------------

    def validate_inputs(self, request: GenerationRequest) -> None:
        if request.end_image:
            raise InvalidRequest(
                f"{self.preset.name} animates a start image only and cannot pin a last frame; "
                "for first+last frame use framepack",
                param="end_image",
            )
        if self.i2v and request.width and request.height:
            check_bucket(request.width, request.height, self.preset)

    # ---- generate -------------------------------------------------------------------------------

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        """Run one request; returns ``num_frames`` frames at ``request.fps``."""
        from reelgen.core import media

        assert request.width and request.height and request.num_frames and request.steps
        assert request.seed is not None and request.guidance is not None and request.fps
        options = Hunyuan15Options.model_validate(request.options)

        # 1. Task inputs: i2v reads its size from the image, which is fitted to a bucket.
        kwargs: dict[str, Any] = {}
        if self.i2v:
            kwargs["image"] = media.load_fitted(
                request.start_image or "", request.width, request.height, "start_image"
            )
        else:
            kwargs.update(width=request.width, height=request.height)

        # 2. Guidance scale lives in the guider; the sampler gets the request's flow shift.
        self.pipe.guider = self.pipe.guider.new(guidance_scale=request.guidance)
        self.pipe.scheduler = fresh_scheduler(self.pipe, self._scheduler_config, options.flow_shift)

        # 3. Denoise; every scheduler step reports progress and checks cancel; decode to frames.
        tracker = progress.stage("denoise", request.steps)
        with report_steps(self.pipe.scheduler, tracker, latent_preview):
            result = self.pipe(
                prompt=request.prompt,
                negative_prompt=request.negative_prompt or None,
                num_frames=request.num_frames,
                num_inference_steps=request.steps,
                generator=generator(request.seed),
                output_type="np",
                **kwargs,
            )
        return Video(frames_to_uint8(result.frames[0]), to_fraction(request.fps))

    # ---- memory ---------------------------------------------------------------------------------

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak; about 2000 text, glyph and image tokens join the video tokens."""
        return working_gib_for(request, dim=16 if self.preset.tiny else 2048, text_tokens=2000)


# ---- aspect buckets of the i2v pipeline ------------------------------------------------------------


@cache
def buckets(target_size: int, step: int = 16, max_ratio: float = 4.0) -> tuple[tuple[int, int], ...]:
    """The (height, width) pairs of about ``target_size``² pixels the i2v pipeline resizes to.

    Same enumeration as HunyuanVideo 1.5's data utils: all side pairs in ``step``
    units whose area fits ``(target_size / step)²`` units, at most ``max_ratio`` long.
    """
    units = round((target_size / step) ** 2)
    out: list[tuple[int, int]] = []
    a, b = units, 1
    while a > 0:
        if max(a, b) / min(a, b) <= max_ratio:
            out.append((a * step, b * step))
        if (b + 1) * a <= units:
            b += 1
        else:
            a -= 1
    return tuple(out)


def closest_bucket(width: int, height: int, target_size: int) -> tuple[int, int]:
    """The (width, height) the i2v pipeline picks for a ``width`` x ``height`` image.

    Mirrors its rule: among the buckets whose height/width lies between the image's and
    square (or beyond square), the one with the nearest ratio; ties go to the first listed.
    """
    aspect = height / width
    candidates = []
    for h, w in buckets(target_size):
        diff = round(h / w, 5) - aspect
        if (diff <= 0) if aspect >= 1 else (diff >= 0):
            candidates.append((abs(diff), h, w))
    _, h, w = min(candidates, key=lambda c: c[0])
    return w, h


def check_bucket(width: int, height: int, preset: Preset) -> None:
    """Raise InvalidRequest naming the nearest valid sizes unless the pipeline would keep ``width`` x ``height``."""
    target = TARGET_SIZE[preset.variant.split("-")[0]]
    if closest_bucket(width, height, target) == (width, height):
        return
    valid = [(w, h) for h, w in buckets(target) if closest_bucket(w, h, target) == (w, h)]
    near = sorted(valid, key=lambda s: abs(math.log(s[1] / s[0]) - math.log(height / width)))[:2]
    raise InvalidRequest(
        f"size {width}x{height} is not one of {preset.name}'s image-to-video sizes (it resizes the "
        f"image to the bucket nearest its aspect ratio); nearest valid: "
        f"{' or '.join(f'{w}x{h}' for w, h in near)}",
        param="width",
    )
