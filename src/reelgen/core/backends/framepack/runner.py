"""The FramePack runner: sections of image-to-video on the HunyuanVideo base, joined from three repos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from reelgen.core import settings
from reelgen.core.backends import companions, plumbing
from reelgen.core.backends.framepack import presets as fp
from reelgen.core.backends.hunyuan.runner import HunyuanBase
from reelgen.core.backends.stephook import call_counting_steps
from reelgen.core.errors import ModelNotAvailable
from reelgen.core.progress import StageTracker
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.types import Video

if TYPE_CHECKING:
    from reelgen.core.weights import WeightSource


class FramePackRunner(HunyuanBase):
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

    distilled_guidance = True
    pipelines: ClassVar[dict[Task, str]] = {Task.I2V: "HunyuanVideoFramepackPipeline"}

    def from_pretrained(self, cls: Any, source: WeightSource, dtype: Any) -> Any:
        if (source.path / "model_index.json").is_file():
            return super().from_pretrained(cls, source, dtype)
        return self._assemble(cls, source, dtype)

    def _assemble(self, cls: Any, source: WeightSource, dtype: Any) -> Any:
        """Transformer from ``source``; text encoders, VAE and image encoder from the cached companions."""
        from diffusers import HunyuanVideoFramepackTransformer3DModel
        from transformers import SiglipImageProcessor, SiglipVisionModel

        # 1. Find both companions first, so one error names everything that is missing.
        base = companions.cached(fp.BASE_REPO, fp.BASE_PARTS)
        redux = companions.cached(fp.REDUX_REPO, fp.REDUX_PARTS)
        if base is None or redux is None:
            missing = [
                f"{repo} ({', '.join(parts)})"
                for repo, parts, folder in (
                    (fp.BASE_REPO, fp.BASE_PARTS, base),
                    (fp.REDUX_REPO, fp.REDUX_PARTS, redux),
                )
                if folder is None
            ]
            raise ModelNotAvailable(
                f"{self.preset.name} also needs parts of other repos in the Hugging Face cache "
                f"({settings.hf_cache_dir()}): {'; '.join(missing)}. "
                f"Fetch them with: reelgen pull {self.preset.name}",
                param="model",
            )
        # 2. Load the parts and join them in one pipeline; the base's own transformer is not read.
        pipe = cls.from_pretrained(
            str(base),
            transformer=HunyuanVideoFramepackTransformer3DModel.from_pretrained(
                str(source.path), dtype=dtype, local_files_only=True
            ),
            image_encoder=SiglipVisionModel.from_pretrained(
                str(redux), subfolder="image_encoder", dtype=dtype, local_files_only=True
            ),
            feature_extractor=SiglipImageProcessor.from_pretrained(
                str(redux), subfolder="feature_extractor", local_files_only=True
            ),
            dtype=dtype,
            local_files_only=True,
        )
        # 3. The run record names every weight file used, companions included.
        companions.record(source, fp.BASE_REPO, base, fp.BASE_PARTS)
        companions.record(source, fp.REDUX_REPO, redux, fp.REDUX_PARTS)
        return pipe

    def sections(self, request: ResolvedRequest) -> int:
        return fp.sections_for(request.num_frames, request.options_as(fp.FramePackOptions).latent_window_size)

    def denoise_steps(self, request: ResolvedRequest) -> int:
        return self.sections(request) * request.steps

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        options = request.options_as(fp.FramePackOptions)
        window = options.latent_window_size
        return {
            **self.distilled_inputs(request, options.true_cfg_scale),
            "image": plumbing.start_image(request),
            "last_image": plumbing.end_image(request),
            # The pipeline counts sections as ceil(num_frames / (4 * window - 3)).
            "num_frames": self.sections(request) * (4 * window - 3),
            "latent_window_size": window,
            "sampling_type": options.sampling_type,
        }

    def call(self, pipe: Any, kwargs: dict[str, Any], tracker: StageTracker) -> Any:
        # The step callback's index restarts in every section; the scheduler's steps run on.
        return call_counting_steps(pipe, kwargs, tracker, self.preview)

    def to_video(self, result: Any, request: ResolvedRequest) -> Video:
        """The first ``num_frames`` of the sections' frames."""
        frames = result.frames[0][: request.num_frames]
        return plumbing.video_of(frames, request.fps, sections=self.sections(request))
