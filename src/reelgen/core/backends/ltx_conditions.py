"""Between LTX requests and pipeline tensors: images and clips in as conditions and latents, previews out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reelgen.core import media
from reelgen.core.backends.base import latent_preview
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.types import Video

if TYPE_CHECKING:
    import numpy as np
    import torch
    from PIL import Image

#: LTX's VAE packs 8 frames into one latent frame after the first: clips are 8k+1 frames long.
FRAME_STEP = 8


def largest_valid(frames: int) -> int:
    """The longest 8k+1 clip that fits in ``frames`` frames (at least 1)."""
    return max(1, (frames - 1) // FRAME_STEP * FRAME_STEP + 1)


def denoise_steps(steps: int, strength: float) -> int:
    """Steps an LTXConditionPipeline actually runs at ``denoise_strength=strength``."""
    return steps if strength >= 1.0 else min(int(steps * strength), steps)


def context_frames(request: GenerationRequest, source_frames: int | None = None) -> int:
    """How many frames from the end of the source clip an ``extend`` run starts from.

    ``options.extend_context_frames`` when set; otherwise about half the new
    clip, as long as the source has that many, so half of the output is new.
    """
    assert request.num_frames is not None
    wanted = request.options.get("extend_context_frames")
    if wanted is None:
        wanted = largest_valid((request.num_frames - 1) // 2 + 1)
        if source_frames is not None:
            wanted = min(wanted, largest_valid(source_frames))
    return int(wanted)


def check_context(request: GenerationRequest) -> None:
    """Reject an ``extend_context_frames`` that is not 8k+1 or leaves no frame to generate."""
    assert request.num_frames is not None
    wanted = request.options.get("extend_context_frames")
    if wanted is None:
        return
    if (wanted - 1) % FRAME_STEP or wanted >= request.num_frames:
        below = largest_valid(min(wanted, request.num_frames - 1))
        raise InvalidRequest(
            f"options.extend_context_frames {wanted} must be 8k+1 and below num_frames "
            f"({request.num_frames}); try {below}",
            param="options.extend_context_frames",
        )


def image_conditions(request: GenerationRequest) -> list[Any]:
    """One condition per keyframe, plus the start image at frame 0 and the end image at the last frame."""
    from diffusers.pipelines.ltx.pipeline_ltx_condition import LTXVideoCondition

    assert request.width is not None and request.height is not None and request.num_frames is not None
    w, h = request.width, request.height
    pinned: list[tuple[str, str, int, float]] = []
    if request.start_image:
        pinned.append(("start_image", request.start_image, 0, 1.0))
    for i, key in enumerate(request.keyframes):
        pinned.append((f"keyframes[{i}].image", key.image, key.frame, key.strength))
    if request.end_image:
        pinned.append(("end_image", request.end_image, request.num_frames - 1, 1.0))
    return [
        LTXVideoCondition(image=media.load_fitted(path, w, h, param), frame_index=frame, strength=strength)
        for param, path, frame, strength in pinned
    ]


def read_source(request: GenerationRequest) -> Video:
    assert request.source_video is not None
    return media.read_video(request.source_video, param="source_video")


def extend_condition(request: GenerationRequest, source: Video) -> tuple[Any, int]:
    """The last frames of ``source`` as a condition pinned at frame 0, and how many there are."""
    from diffusers.pipelines.ltx.pipeline_ltx_condition import LTXVideoCondition

    assert request.width is not None and request.height is not None
    context = context_frames(request, source.num_frames)
    if source.num_frames < context:
        raise InvalidRequest(
            f"source_video has {source.num_frames} frames; options.extend_context_frames asks for "
            f"{context}; use at most {largest_valid(source.num_frames)}",
            param="options.extend_context_frames",
        )
    tail = Video(source.frames[-context:], source.fps)
    frames = media.fit_video(tail, request.width, request.height)
    return LTXVideoCondition(video=frames, frame_index=0, strength=1.0), context


def source_clip(request: GenerationRequest, source: Video) -> list[Image.Image]:
    """The first ``num_frames`` frames of the source clip, fitted to the request's size."""
    assert request.width is not None and request.height is not None and request.num_frames is not None
    if source.num_frames < request.num_frames:
        raise InvalidRequest(
            f"source_video has {source.num_frames} frames; v2v makes num_frames={request.num_frames} "
            f"from the first {request.num_frames} of them; ask for at most "
            f"{largest_valid(source.num_frames)} frames",
            param="num_frames",
        )
    return media.fit_video(source, request.width, request.height, request.num_frames)


def encode_clip(pipe: Any, frames: list[Image.Image], width: int, height: int) -> torch.Tensor:
    """VAE latents of ``frames``, normalised the way LTXConditionPipeline expects ``latents``."""
    import torch

    vae = pipe.vae
    with torch.no_grad():
        pixels = pipe.video_processor.preprocess_video(frames, height, width)
        pixels = pixels.to(pipe._execution_device, dtype=vae.dtype)
        # The distribution's mode, not a sample: the denoise strength alone decides how much changes.
        latents = vae.encode(pixels).latent_dist.mode()
        return pipe._normalize_latents(latents, vae.latents_mean, vae.latents_std, vae.config.scaling_factor)


# ---- previews ----------------------------------------------------------------------------------

#: Linear map from LTX-Video's 128 normalised latent channels to RGB, with its bias, as fitted
#: for ComfyUI's LTXV latent previews. Rows are channels; columns R, G, B.
_RGB_TABLE = """
    0.011202 -0.00063815 -0.010021   0.086031 0.065813 0.00095409   -0.012576 -0.0075734 -0.0040528
    0.0094063 -0.0021688 0.0026093   0.0037636 0.012765 0.0091548   0.021024 -0.0052973 0.0034373
    -0.0088896 -0.019703 -0.018761   -0.01316 -0.010523 0.0019709   -0.0015152 -0.0069891 -0.007581
    -0.0017247 0.0004656 -0.0033839   0.013617 0.0047077 -0.0020045   0.010256 0.0077318 0.013948
    -0.016108 -0.0062151 0.0011561   0.0073407 0.015628 0.00044865   0.00095357 -0.0029518 -0.01476
    0.019143 0.010868 0.012264   0.0044575 3.6682e-05 -0.0068508   -0.00045681 0.003257 0.0077929
    0.033902 0.033405 0.037454   -0.023001 -0.0024877 -0.0031033   0.050265 0.038841 0.033539
    -0.0041018 -0.0011095 0.0015859   -0.12689 -0.13107 -0.21005   0.026276 0.014189 -0.0035963
    -0.0048679 0.0088486 0.0078029   -0.001661 -0.0048597 -0.005206   -0.002101 0.002361 0.0093796
    -0.022482 -0.021305 -0.015087   -0.015753 -0.010646 -0.0065083   -0.0046975 0.0050288 -0.006739
    0.011951 0.020712 0.016191   -0.0063704 -0.0084827 -0.0095483   0.007261 -0.0099326 -0.022978
    -0.00091904 0.0062882 0.009572   -0.037178 -0.037123 -0.056713   -0.13373 -0.1072 -0.053801
    -0.0053702 0.0081256 0.0088397   -0.15247 -0.21437 -0.21843   0.031441 0.0070335 -0.0097541
    0.0021528 -0.0089817 -0.021023   0.0038461 -0.0058957 -0.015014   -0.004347 -0.01294 -0.015972
    -0.0054781 -0.010842 -0.0030204   -0.0065347 0.0030806 -0.010163   -0.0050414 -0.0071503 -0.00089686
    -0.0085851 -0.0024351 0.0010674   -0.0090016 -0.0096493 0.0015692   0.0050914 0.012099 0.019968
    0.013758 0.011669 0.0081958   -0.010518 -0.011575 -0.0041307   -0.02841 -0.031266 -0.022149
    0.0029336 0.036511 0.018717   -0.016703 -0.016696 -0.0044529   0.048818 0.040063 0.008741
    -0.015066 -0.00057328 0.0029785   -0.017613 -0.0081034 0.013086   -0.0092633 0.010803 -0.0063489
    0.0030851 0.0004775 0.012347   -0.022785 -0.023043 -0.026005   -0.024787 -0.015389 -0.022104
    -0.023572 0.0010544 0.012361   -0.0078915 -0.0012271 -0.0060968   -0.011478 -0.0012543 0.0062679
    -0.054229 0.026644 0.0063394   0.0044216 -0.0073338 -0.010464   -0.0045013 0.0016082 0.01442
    0.013673 0.0088877 0.0041253   -0.010145 0.0090072 0.015695   -0.0056234 0.0011847 0.0081261
    -0.0037171 -0.0053538 0.001259   0.029476 0.021424 0.030424   -0.034925 -0.02434 -0.025316
    -0.034127 -0.022406 -0.010589   -0.017342 -0.013249 -0.010719   -0.0021478 -0.0086051 -0.0029878
    0.0012089 -0.0042391 -0.0068569   0.00090411 -0.0066886 -6.7547e-05   0.016048 -0.010057 -0.028929
    0.001229 0.010163 0.018861   0.017264 0.00027257 0.013785   -0.013482 -0.0036427 0.00067481
    0.0046782 -0.0052423 0.0024467   -0.0059113 -0.0062244 -0.0018162   0.015496 0.014582 0.0019514
    0.0074958 0.0015886 -0.0082305   0.019086 0.001636 -0.0039674   -0.0057021 -0.0027307 -0.0041066
    0.001745 0.014602 0.025794   -0.00082788 0.0022902 0.0045161   0.011632 0.0089193 -0.0072813
    0.0075721 0.0026784 0.011393   0.0051939 0.0036903 0.014049   -0.018383 -0.022529 -0.024477
    0.00058842 -0.0057874 -0.01477   -0.016125 -0.0086101 -0.014533   0.02054 0.020729 0.0064338
    0.0033587 -0.011226 -0.016444   -0.0014742 -0.010489 0.0017097   0.02813 0.023546 0.032791
    -0.018532 -0.012842 -0.0087756   -0.0080533 -0.010771 -0.017536   -0.0039009 0.01615 0.033359
    -0.0074554 -0.014154 -0.006191   0.0034734 -0.01137 -0.010581   0.011476 0.0039281 0.0028231
    0.0071639 -0.0014741 -0.0038066   0.002225 -0.0087552 -0.0095719   0.024146 0.021696 0.028056
    -0.0054365 -0.024291 -0.017802   0.0074263 0.01051 0.012705   0.0062669 0.0062658 0.019211
    0.016378 0.0094933 0.0066971   0.017173 0.023601 0.023296   -0.014568 -0.0098279 -0.011556
    0.014431 0.01443 0.0066362   -0.006823 0.018863 0.014555   0.0061156 0.00347 -0.0026662
    -0.0026983 -0.0059402 -0.0092276   0.010235 0.0074173 -0.0076243   -0.013255 0.019322 -0.00092153
    0.0024222 -0.0048039 -0.015759   0.026244 0.025951 0.020249   0.015711 0.018498 0.0027407
    -0.0021714 0.0047214 -0.022443   -0.0074747 0.0074166 0.01443   -0.0083906 -0.0079776 0.0097927
    0.038321 0.0096622 -0.019268   -0.014605 -0.0067032 0.0039675
"""
LTX_RGB_FACTORS = [[float(v) for v in _RGB_TABLE.split()[i : i + 3]] for i in range(0, 384, 3)]
LTX_RGB_BIAS = (-0.0571, -0.1657, -0.2512)


def ltx_latent_preview(latents: Any, max_side: int = 96) -> np.ndarray:
    """Small RGB frames from (B, C, F, H, W) latents: LTX's fitted map for 128 channels, else the fallback."""
    import torch

    if latents.shape[1] != len(LTX_RGB_FACTORS):
        return latent_preview(latents, max_side=max_side)
    lat = latents[0].detach().float().cpu()
    rgb = torch.einsum("cfhw,cr->fhwr", lat, torch.tensor(LTX_RGB_FACTORS)) + torch.tensor(LTX_RGB_BIAS)
    rgb = ((rgb + 1.0) / 2.0).clamp(0.0, 1.0)
    stride = max(1, max(rgb.shape[1], rgb.shape[2]) // max_side)
    return (rgb[:, ::stride, ::stride] * 255).round().to(torch.uint8).numpy()
