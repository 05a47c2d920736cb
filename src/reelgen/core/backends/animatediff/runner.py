"""The AnimateDiff runner: an SD1.5 UNet with a motion adapter, FreeNoise for long clips, camera-move LoRAs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from reelgen.core.backends import companions, plumbing, source_clip
from reelgen.core.backends.animatediff import presets as ap
from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.types import Video

if TYPE_CHECKING:
    from reelgen.core.weights import WeightSource


class AnimateDiffRunner(DiffusersBackend):
    """AnimateDiff through diffusers; text-to-video and video-to-video share the UNet and motion module.

    Clips longer than the 16 frames the motion module was trained on run with
    FreeNoise (overlapping 16-frame windows, stride 4). ``options.camera_motion``
    adds one of guoyww's camera-move LoRAs on top of any user LoRAs.
    """

    pipelines: ClassVar[dict[Task, str]] = {
        Task.T2V: "AnimateDiffPipeline",
        Task.V2V: "AnimateDiffVideoToVideoPipeline",
    }
    rgb_factors = ap.SD15_LATENT_RGB_FACTORS

    def from_pretrained(self, cls: Any, source: WeightSource, dtype: Any) -> Any:
        """A saved AnimateDiff folder as it is; an SD1.5 folder joined with the preset's motion adapter."""
        import torch

        extra: dict[str, Any] = {}
        if not (source.path / "motion_adapter").is_dir():
            extra["motion_adapter"] = self._motion_adapter(source, dtype)
        half = dtype == torch.float16 and any(source.path.glob("unet/*.fp16.safetensors"))
        return cls.from_pretrained(
            str(source.path), dtype=dtype, variant="fp16" if half else None, local_files_only=True, **extra
        )

    def _motion_adapter(self, source: WeightSource, dtype: Any) -> Any:
        from diffusers import MotionAdapter

        repo = self.preset.variant
        if not repo:
            raise InvalidRequest(
                f"{source.path} is an SD1.5 folder without a motion_adapter/ and {self.preset.name} "
                "names no motion adapter; give a saved AnimateDiff folder",
                param="weights",
            )
        folder = companions.require(repo, f"the motion adapter of {self.preset.name}")
        adapter = MotionAdapter.from_pretrained(str(folder), dtype=dtype, local_files_only=True)
        companions.record(source, repo, folder)  # the record names the adapter's files too
        return adapter

    def after_load(self) -> None:
        from diffusers import DDIMScheduler

        # 1. AnimateDiff wants DDIM with a linear beta schedule and no sample clipping.
        self.pipe.scheduler = DDIMScheduler.from_config(
            self.pipe.scheduler.config,
            beta_schedule="linear",
            clip_sample=False,
            timestep_spacing="linspace",
            steps_offset=1,
        )
        # 2. FreeNoise swaps the motion modules' transformer blocks; it goes in before placement,
        # since offload hooks cannot be laid over blocks swapped in later (sequential offload
        # leaves their source weights on the meta device). So the video-to-video sibling is
        # built now too.
        for task in self.pipelines:
            self.pipeline_for(task).enable_free_noise(
                context_length=ap.CONTEXT_FRAMES, context_stride=ap.CONTEXT_STRIDE
            )

    def generate(self, request: ResolvedRequest, progress: Progress) -> Video:
        """Size the FreeNoise windows for this clip (no module changes: the blocks are FreeNoise already)."""
        frames = request.num_frames
        windows = ap.free_noise_windows(frames)
        pipe = self.pipeline_for(request.task)
        pipe.enable_free_noise(
            context_length=min(ap.CONTEXT_FRAMES, frames), context_stride=ap.CONTEXT_STRIDE
        )
        if windows is not None:
            message = (
                f"{frames} frames run as FreeNoise windows of {windows['context_length']} "
                f"(stride {windows['context_stride']})"
            )
            progress.emit(ProgressEvent("free_noise", 0, 0, 0.0, message=message))
        return super().generate(request, progress)

    def common_inputs(self, request: ResolvedRequest) -> dict[str, Any]:
        inputs = super().common_inputs(request)
        if request.task is Task.V2V:
            del inputs["num_frames"]  # the clip sets it
        return inputs

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        options = request.options_as(ap.AnimateDiffOptions)
        # The camera move joins the user's LoRAs (applied just before) in the shared UNet.
        if options.camera_motion is not None:
            self.lora_records.append(self._apply_camera_motion(options))
        chunk = options.decode_chunk_size
        if self.plan is not None and self.plan.recipe == ap.LOW_VRAM:
            chunk = min(chunk, ap.LOW_VRAM_DECODE_CHUNK)
        inputs: dict[str, Any] = {"decode_chunk_size": chunk}
        if request.task is Task.V2V:
            inputs.update(
                video=source_clip.source_frames(request, self.spec.rules_for(self.preset)),
                strength=request.source_strength,
            )
        return inputs

    def _apply_camera_motion(self, options: ap.AnimateDiffOptions) -> dict[str, Any]:
        """Load the camera-move LoRA from the HF cache and activate it beside the user's LoRAs."""
        from reelgen.core.weights import sha256_file

        assert options.camera_motion is not None
        repo = ap.CAMERA_MOTIONS[options.camera_motion]
        what = f"camera_motion {options.camera_motion!r}"
        folder = companions.require(repo, what, "options.camera_motion")
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

    def to_video(self, result: Any, request: ResolvedRequest) -> Video:
        return plumbing.video_of(
            result.frames[0], request.fps, free_noise=ap.free_noise_windows(request.num_frames)
        )
