"""What the LTX-Video and LTX-2 runners share: images pinned at frames, packed-token previews, frame rate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from reelgen.core import media
from reelgen.core.backends import plumbing
from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.progress import StageTracker
from reelgen.core.spec.request import ResolvedRequest, Task

#: The task whose pipeline is the condition pipeline (images pinned anywhere, clips as conditions).
CONDITION_TASK = Task.KEYFRAMES


@dataclass(frozen=True)
class Pin:
    """An image the clip must show at ``frame``, and the request field it came from."""

    param: str
    path: str
    frame: int
    strength: float

    def image(self, request: ResolvedRequest) -> Any:
        return media.load_fitted(self.path, request.width, request.height, self.param)


def pins(request: ResolvedRequest) -> list[Pin]:
    """The start image at frame 0, every keyframe at its frame, the end image at the last frame."""
    out: list[Pin] = []
    if request.start_image:
        out.append(Pin("start_image", request.start_image, 0, 1.0))
    out += [
        Pin(f"keyframes[{i}].image", k.image, k.frame, k.strength) for i, k in enumerate(request.keyframes)
    ]
    if request.end_image:
        out.append(Pin("end_image", request.end_image, request.num_frames - 1, 1.0))
    return out


def only_a_start_image(request: ResolvedRequest) -> bool:
    """Whether the one thing pinned is a full-strength image at frame 0 (the image-to-video pipelines)."""
    pinned = pins(request)
    return len(pinned) == 1 and pinned[0].frame == 0 and pinned[0].strength == 1.0


class LTXFamilyRunner(DiffusersBackend):
    """A runner of the LTX families: their pipelines hand the step callback packed tokens (B, N, C).

    Condition pipelines add the pinned images' tokens to the clip's own,
    before them (LTX-Video) or after them (LTX-2); previews show the clip's.
    """

    #: Whether a condition pipeline puts the pinned images' tokens before the clip's own.
    condition_tokens_first: ClassVar[bool] = False

    def latents_to_rgb(self, latents: Any) -> np.ndarray:
        """Unpacked (B, C, F, H, W) latents as small uint8 RGB frames."""
        return plumbing.latent_preview(latents, self.rgb_factors)

    def common_inputs(self, request: ResolvedRequest) -> dict[str, Any]:
        # The frame rate scales the temporal position embedding.
        return {**super().common_inputs(request), "frame_rate": request.fps}

    def call(self, pipe: Any, kwargs: dict[str, Any], tracker: StageTracker) -> Any:
        preview = self._packed_preview(pipe, kwargs["num_frames"], kwargs["height"], kwargs["width"])
        return pipe(
            **kwargs,
            callback_on_step_end=plumbing.step_callback(tracker, preview),
            callback_on_step_end_tensor_inputs=["latents"],
        )

    def _packed_preview(self, pipe: Any, num_frames: int, height: int, width: int) -> Any:
        frames = (num_frames - 1) // pipe.vae_temporal_compression_ratio + 1
        height //= pipe.vae_spatial_compression_ratio
        width //= pipe.vae_spatial_compression_ratio
        patch, patch_t = pipe.transformer_spatial_patch_size, pipe.transformer_temporal_patch_size
        tokens = (frames // patch_t) * (height // patch) * (width // patch)

        def preview(latents: Any) -> np.ndarray:
            own = latents[:, -tokens:] if self.condition_tokens_first else latents[:, :tokens]
            return self.latents_to_rgb(pipe._unpack_latents(own, frames, height, width, patch, patch_t))

        return preview
