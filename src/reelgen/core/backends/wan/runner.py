"""The Wan 2.1 / 2.2 runner: text, image (first/last frame) and video to video through diffusers."""

from __future__ import annotations

import logging
import weakref
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from reelgen.core.backends import plumbing, source_clip
from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.backends.wan import configs, tiles, vace
from reelgen.core.backends.wan import presets as wp
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.types import Video

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from reelgen.core.progress import Progress
    from reelgen.core.spec.memory import MemoryPlan
    from reelgen.core.weights import WeightSource


class WanRunner(DiffusersBackend):
    """Wan 2.1 (1.3B, 14B, I2V, FLF2V) and Wan 2.2 (A14B two-expert, TI2V-5B) video models."""

    pipelines: ClassVar[dict[Task, str]] = {
        Task.T2V: "WanPipeline",
        Task.I2V: "WanImageToVideoPipeline",
        Task.V2V: "WanVideoToVideoPipeline",
    }
    # Wan's VAE and CLIP image encoder lose detail in half precision; they are small.
    part_dtypes: ClassVar[dict[str, str]] = {"vae": "float32", "image_encoder": "float32"}
    single_file_class = "WanTransformer3DModel"
    frames_on_device = True
    rgb_factors = configs.LATENT_RGB_FACTORS
    #: The VAE tiles (height, width, strides in pixels) the last run chose from its plan's room, or
    #: diffusers' own when its decode ran out of memory in those; None when it decoded untiled or its
    #: plan sized no tiles (no tiling, or diffusers' own after a step down).
    vae_tiles: tuple[int, int, int, int] | None = None

    @property
    def lora_into_second_transformer(self) -> bool:  # type: ignore[override]
        return self.preset.variant in wp.TWO_EXPERT_VARIANTS

    def pipeline_class(self, task: Task) -> Any:
        if self.preset.variant == vace.VACE:
            import diffusers

            return diffusers.WanVACEPipeline
        return _image_pipeline_class() if task is Task.I2V else super().pipeline_class(task)

    def pipeline_task(self, request: ResolvedRequest) -> Task:
        # VACE runs every task through its one pipeline, told apart by the conditioning video.
        return self.main_task() if self.preset.variant == vace.VACE else request.task

    def sibling_kwargs(self, task: Task) -> dict[str, Any]:
        # TI2V-5B's image path is the text pipeline's weights with the first latent frame pinned.
        return {"expand_timesteps": True} if task is Task.I2V else {}

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        if source.kind == "single_file" and self.preset.variant in wp.TWO_EXPERT_VARIANTS:
            raise InvalidRequest(
                f"{self.preset.name} has two transformer experts; a single checkpoint file cannot hold both. "
                "Give a diffusers folder (--weights DIR) instead",
                param="weights",
            )
        super().load(source, plan)

    def after_load(self) -> None:
        self._drop = 0  # leading frames a VACE extend run made from the source clip
        self._boundary_default = self.pipe.config.get("boundary_ratio")
        self._scheduler_config = dict(self.pipe.scheduler.config)

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        options = request.options_as(wp.WanOptions)
        inputs: dict[str, Any] = {}
        if self.preset.variant == vace.VACE:
            inputs, self._drop = vace.conditions(request, options.extend_context_frames)
        elif request.task is Task.I2V:
            inputs["image"] = plumbing.start_image(request)
            if request.end_image:
                inputs["last_image"] = plumbing.end_image(request)
        elif request.task is Task.V2V:
            # The video-to-video pipeline takes the clip and strength instead of a frame count.
            inputs = {
                "video": source_clip.source_frames(request, self.spec.rules_for(self.preset)),
                "strength": request.source_strength,
            }
        if self.preset.variant in wp.TWO_EXPERT_VARIANTS:
            pipe.register_to_config(boundary_ratio=options.boundary_ratio or self._boundary_default)
            inputs["guidance_scale_2"] = request.guidance_2
        pipe.scheduler = self._scheduler(options.flow_shift)
        return inputs

    def generate(self, request: ResolvedRequest, progress: Progress) -> Video:
        self.fit_vae_tiles(request)
        return super().generate(request, progress)

    def fit_vae_tiles(self, request: ResolvedRequest) -> None:
        """Under a plan that tiles the decode, tiles as large as the plan's room holds (or none).

        diffusers' 256-pixel tiles decode 832x480 in 15 overlapping pieces, twice the
        untiled time; the room a budget leaves usually holds three or four larger ones.
        The cost per tile pixel is the Wan 2.1 VAE's (TI2V-5B's VAE keeps diffusers' tiles).
        """
        plan, vae = self.plan, getattr(self.pipe, "vae", None)
        self.vae_tiles = None
        if (
            plan is None
            or not plan.vae_tiling
            or plan.room_gib is None
            or vae is None
            or self.preset.variant == wp.TI2V
        ):
            return
        chosen = tiles.vae_tiles(request.width, request.height, request.num_frames, plan.room_gib)
        if chosen is None:
            vae.disable_tiling()
        else:
            vae.enable_tiling(*chosen)
        self.vae_tiles = chosen
        if chosen != tiles.DEFAULT_TILES:
            self._guard_decode(vae)

    def _guard_decode(self, vae: Any) -> None:
        """Once per VAE: a decode that runs out of memory in the tiles chosen from the room (an
        estimate) decodes again in diffusers' small tiles, instead of the whole run, denoising
        included, stepping down a rung and starting over."""
        import torch

        if getattr(vae, "_reelgen_decode_guard", False):
            return
        decode, runner = vae.decode, weakref.ref(self)  # the hook must not keep an unloaded model alive

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return decode(*args, **kwargs)
            except torch.OutOfMemoryError:
                owner = runner()
                if owner is None or owner.vae_tiles == tiles.DEFAULT_TILES:
                    raise
                tried = (
                    "untiled" if owner.vae_tiles is None else "in {}x{} tiles".format(*owner.vae_tiles[:2])
                )
                log.warning(
                    "the VAE decode ran out of memory %s; decoding again in diffusers' %d-pixel tiles",
                    tried,
                    tiles.VAE_TILE,
                )
                torch.cuda.empty_cache()
                vae.enable_tiling(*tiles.DEFAULT_TILES)
                owner.vae_tiles = tiles.DEFAULT_TILES
                return decode(*args, **kwargs)

        vae.decode = guarded
        vae._reelgen_decode_guard = True

    def common_inputs(self, request: ResolvedRequest) -> dict[str, Any]:
        inputs = super().common_inputs(request)
        if request.task is Task.V2V:
            del inputs["num_frames"]
        return inputs

    def to_video(self, result: Any, request: ResolvedRequest) -> Video:
        """The frames made; a VACE extend run drops the source frames it started from."""
        frames = self.frames_of(result)
        if self.preset.variant == vace.VACE:
            frames = frames[self._drop :]
        return plumbing.video_of(frames, request.fps)

    def _scheduler(self, flow_shift: float | None) -> Any:
        """A fresh scheduler from the checkpoint's config, with the request's flow shift if any."""
        cls = type(self.pipe.scheduler)
        if flow_shift is None:
            return cls.from_config(self._scheduler_config)
        key = "flow_shift" if "flow_shift" in self._scheduler_config else "shift"
        return cls.from_config(self._scheduler_config, **{key: flow_shift})


@cache
def _image_pipeline_class() -> Any:
    """WanImageToVideoPipeline whose CLIP branch sees one image unless the transformer embeds a pair.

    Stock diffusers hands CLIP both frames whenever ``last_image`` is given, which
    only FLF2V's transformer (``pos_embed_seq_len``) accepts. Wan 2.1 I2V models
    take the start image's CLIP features and get the last frame through the
    latent condition and mask, as ComfyUI's first-last-frame workflow does.
    """
    from diffusers import WanImageToVideoPipeline

    stock: Any = WanImageToVideoPipeline

    class WanImageToVideoFirstLast(stock):
        def encode_image(self, image: Any, device: Any = None) -> Any:
            transformer = getattr(self, "transformer", None)
            pairs = transformer is not None and transformer.config.get("pos_embed_seq_len")
            if isinstance(image, list) and not pairs:
                image = image[0]
            return stock.encode_image(self, image, device)

    return WanImageToVideoFirstLast
