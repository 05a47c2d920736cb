"""Diffusers plumbing every family shares: single files, seeds, progress, frames, LoRAs, inputs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from reelgen.core.backends.lora_loading import apply_loras as apply_loras
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import StageTracker
from reelgen.core.spec.family import Preset
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.types import Video, to_fraction

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import torch
    from PIL import Image

    from reelgen.core.weights import WeightSource


def silence_library_bars() -> None:
    """Turn off diffusers' and transformers' own loading and saving bars: reelgen reports progress itself.

    Pipelines' step bars are turned off per pipeline by the template; these are the
    bars of ``from_pretrained``/``save_pretrained`` ("Loading pipeline components ...").
    """
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    diffusers_logging.disable_progress_bar()
    transformers_logging.disable_progress_bar()


def single_file_transformer(model_cls: Any, source: WeightSource, preset: Preset, dtype: Any) -> Any:
    """The transformer in a single checkpoint file, configured from the preset's diffusers folder.

    The other parts (text encoder, VAE, scheduler) come from ``source.base``;
    without it the error says how to get it.
    """
    if source.base is None:
        raise InvalidRequest(
            f"single-file checkpoint {source.path} needs the rest of {preset.name} (text encoder, VAE, "
            f"configs) from a diffusers folder, and {preset.repo_id or 'its repo'} is not in the "
            f"Hugging Face cache. Fetch it with `reelgen pull {preset.name}`, or pass the diffusers "
            "folder as --weights",
            param="weights",
        )
    try:
        return model_cls.from_single_file(
            str(source.path),
            config=str(source.base),
            subfolder="transformer",
            dtype=dtype,
            local_files_only=True,
        )
    except (ValueError, KeyError, RuntimeError, OSError) as exc:
        raise InvalidRequest(
            f"weights file {source.path} is not a {model_cls.__name__} checkpoint matching "
            f"{preset.name} ({exc})",
            param="weights",
        ) from None


def generator(seed: int) -> torch.Generator:
    """A CPU generator: the same seed gives the same noise on any device."""
    import torch

    return torch.Generator("cpu").manual_seed(seed)


def step_callback(
    tracker: StageTracker,
    preview: Callable[[Any], np.ndarray | None] | None = None,
    deferred: bool | None = None,
) -> Callable[..., dict[str, Any]]:
    """A ``callback_on_step_end`` that reports progress and raises Cancelled between steps.

    Raising (not ``pipe._interrupt``) is what stops a diffusers pipeline
    without decoding a half-denoised video. Steps are counted across the call
    rather than read from ``i``, which diffusion-forcing pipelines (SkyReels-V2)
    restart in every window of a long video.

    Previews of latents on a GPU are ``deferred`` (the default there): the
    loop never waits for the GPU (see ``DeferredPreviews``).
    """
    done = 0
    previews: DeferredPreviews | None = None

    def on_step_end(pipe: Any, i: int, t: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        nonlocal done, previews
        done += 1
        latents = kwargs.get("latents")
        if preview is None or latents is None:
            tracker.advance(done)
            return kwargs
        if deferred if deferred is not None else getattr(latents, "is_cuda", False):
            previews = previews or DeferredPreviews(preview)
            ready = previews.take()
            # The last step's picture would arrive after the loop, with nothing left to carry it.
            if done < tracker.total and tracker.progress.wants_preview(done, tracker.total):
                previews.request(latents)
            tracker.advance(done, ready=ready)
        else:
            tracker.advance(done, lambda: preview(latents))
        return kwargs

    return on_step_end


class DeferredPreviews:
    """Latent previews made beside the denoising loop instead of inside it.

    Making a preview copies latents to the host, which waits for every step queued
    on the GPU and leaves it idle until the loop queues the next one. Here a wanted
    step's latents are copied on the device (asynchronously, in stream order) and
    the preview is made from that copy on a helper thread; the picture goes out
    with the first step event after it is ready, so it shows a step or two back.
    One is made at a time; a step that wants one while the last is still on its
    way is skipped.
    """

    _pool: ThreadPoolExecutor | None = None

    def __init__(self, preview: Callable[[Any], np.ndarray | None]) -> None:
        self.preview = preview
        self.pending: Future[np.ndarray | None] | None = None

    @classmethod
    def pool(cls) -> ThreadPoolExecutor:
        if cls._pool is None:
            cls._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reelgen-preview")
        return cls._pool

    def request(self, latents: Any) -> None:
        if self.pending is None:
            self.pending = self.pool().submit(self.preview, latents.detach().clone())

    def take(self) -> np.ndarray | None:
        """The preview made since the last call, or None (not asked for, not ready, or failed)."""
        if self.pending is None or not self.pending.done():
            return None
        made, self.pending = self.pending, None
        if made.exception() is not None:
            log.warning("a latent preview failed: %s", made.exception())
            return None
        return made.result()


def frames_to_uint8(frames: Any) -> np.ndarray:
    """Pipeline output (T, H, W, 3) floats in [0, 1] -> uint8; NaN and infinity become black, not garbage."""
    if hasattr(frames, "detach"):
        frames = frames.detach().float().cpu().numpy()
    arr = np.nan_to_num(np.asarray(frames, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    return (np.clip(arr, 0.0, 1.0) * 255.0).round().astype(np.uint8)


#: Frames converted per slice on the device: bounds the float32 temporaries to a few hundred MB at 4K.
_DEVICE_SLICE = 16


def _tensor_frames_to_uint8(frames: Any) -> tuple[np.ndarray, np.ndarray]:
    """(T, H, W, 3) float frames as a tensor -> uint8 frames and a per-frame NaN flag, computed where they lie.

    On a GPU this replaces seconds of NumPy work on 121 float32 frames with
    milliseconds, and only uint8 crosses to the host (a quarter of the bytes).
    The arithmetic is the NumPy path's, in float32, so the pixels are identical.
    """
    import torch

    pixels, nan = [], []
    with torch.no_grad():
        for start in range(0, frames.shape[0], _DEVICE_SLICE):
            part = frames[start : start + _DEVICE_SLICE].detach().float()
            # An overflow to infinity is as broken as NaN (it was white, unrecorded): both black, both noted.
            nan.append((~torch.isfinite(part.reshape(part.shape[0], -1))).any(dim=1))
            part = (
                torch.nan_to_num(part, nan=0.0, posinf=0.0, neginf=0.0).clamp_(0.0, 1.0).mul_(255.0).round_()
            )
            pixels.append(part.to(torch.uint8).contiguous())
        return torch.cat(pixels).cpu().numpy(), torch.cat(nan).cpu().numpy()


def video_of(frames: Any, fps: float, **extra: Any) -> Video:
    """A pipeline's float frames (T, H, W, 3) in [0, 1] as a ``Video``, noting which frames held NaN or infinity.

    ``frames`` is a NumPy array (``output_type="np"``) or a tensor, converted on
    its own device. NaN turns black in uint8; the record of where it was lets the
    quality check say "NaN" rather than only "black".
    """
    if hasattr(frames, "detach"):
        pixels, nan = _tensor_frames_to_uint8(frames)
    else:
        arr = np.asarray(frames, dtype=np.float32)
        nan = np.asarray((~np.isfinite(arr.reshape(arr.shape[0], -1))).any(axis=1))
        pixels = frames_to_uint8(arr)
    if nan.any():
        extra["nan_frames"] = [int(i) for i in np.flatnonzero(nan)]
    return Video(pixels, to_fraction(fps), extra=extra)


def latent_preview(
    latents: Any,
    rgb_factors: list[list[float]] | None = None,
    max_side: int = 96,
    rgb_bias: tuple[float, float, float] | None = None,
) -> np.ndarray:
    """Project (B, C, F, H, W) latents to small uint8 RGB frames without the VAE.

    ``rgb_factors`` is the family's C x 3 linear map; without it (or when the
    channel count differs, as in tiny models) a fixed seeded projection is used.
    With ``rgb_bias`` the map is a fitted one onto RGB in [-1, 1], shown as it is
    (true colours); without, the result is stretched to the full range.
    """
    import torch

    lat = latents[0].detach().float().cpu()  # C, F, H, W
    channels = lat.shape[0]
    fitted = rgb_factors is not None and len(rgb_factors) == channels
    if fitted:
        weight = torch.tensor(rgb_factors, dtype=torch.float32)
    else:
        weight = torch.randn(channels, 3, generator=torch.Generator().manual_seed(channels))
        weight /= channels**0.5
    rgb = torch.einsum("cfhw,cr->fhwr", lat, weight)
    if fitted and rgb_bias is not None:
        rgb = ((rgb + torch.tensor(rgb_bias)) + 1.0) / 2.0
    else:
        lo, hi = rgb.amin(), rgb.amax()
        rgb = (rgb - lo) / (hi - lo + 1e-6)
    stride = max(1, max(rgb.shape[1], rgb.shape[2]) // max_side)
    return (rgb[:, ::stride, ::stride].clamp(0.0, 1.0) * 255).round().to(torch.uint8).numpy()


def start_image(request: ResolvedRequest) -> Image.Image:
    """The request's start image, scaled to cover the output size and centre-cropped."""
    from reelgen.core import media

    if not request.start_image:
        raise InvalidRequest(
            f"task {request.task.value} needs a start image (start_image)", param="start_image"
        )
    return media.load_fitted(request.start_image, request.width, request.height, "start_image")


def end_image(request: ResolvedRequest) -> Image.Image | None:
    from reelgen.core import media

    if not request.end_image:
        return None
    return media.load_fitted(request.end_image, request.width, request.height, "end_image")
