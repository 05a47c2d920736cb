"""Wan 2.1 VACE: one pipeline for every task, steered by a conditioning video, its mask and reference images.

VACE reads a clip the length of the output in which some frames are given
(black in the mask: keep) and the rest are grey placeholders (white: make).
A start image is frame 0, an end image the last frame, keyframes sit at their
indices, and an extend run starts with the source clip's last frames and
drops them again from the output. Reference images (people, objects, a
style) ride along as extra latent frames the output does not contain.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.types import Video

if TYPE_CHECKING:
    from PIL import Image

#: The preset variant of every VACE checkpoint.
VACE = "vace"
VACE_TASKS = frozenset({Task.T2V, Task.I2V, Task.EXTEND, Task.KEYFRAMES})
#: Frames of the source clip a VACE extend run sees before the new ones, unless options say otherwise.
VACE_CONTEXT_FRAMES = 8
#: The grey VACE fills frames to be made with (its reference code uses mid-grey).
PLACEHOLDER = (128, 128, 128)

_COMMON: dict[str, Any] = dict(
    patch_size=(1, 2, 2),
    attention_head_dim=128,
    text_dim=4096,
    freq_dim=256,
    cross_attn_norm=True,
    qk_norm="rms_norm_across_heads",
    eps=1e-6,
    in_channels=16,
    out_channels=16,
    vace_in_channels=96,  # 16 latent channels kept, 16 to make, 64 of mask (8x8 pixels per latent)
)
#: WanVACETransformer3DModel of Wan2.1-VACE-1.3B: the T2V 1.3B plus a VACE block beside every other layer.
TRANSFORMER_1_3B: dict[str, Any] = dict(
    _COMMON, num_attention_heads=12, ffn_dim=8960, num_layers=30, vace_layers=list(range(0, 30, 2))
)
#: WanVACETransformer3DModel of Wan2.1-VACE-14B: the T2V 14B plus a VACE block beside every fifth layer.
TRANSFORMER_14B: dict[str, Any] = dict(
    _COMMON, num_attention_heads=40, ffn_dim=13824, num_layers=40, vace_layers=list(range(0, 40, 5))
)


#: Keyframes weaker than this would fall on VACE's "make" side of its mask and be ignored.
MIN_KEYFRAME_STRENGTH = 0.5


def check(request: ResolvedRequest, context_frames: int | None) -> None:
    """What VACE cannot do: keyframes too weak to be kept, a context off the 4-frame grid or outside extend."""
    for i, key in enumerate(request.keyframes):
        if key.strength < MIN_KEYFRAME_STRENGTH:
            # Said without the field first: "--keyframe 0.2: ..." read as a frame number.
            raise InvalidRequest(
                f"the keyframe at frame {key.frame} has strength {key.strength:g}, and Wan VACE keeps a "
                f"keyframe (keyframes) only at strength {MIN_KEYFRAME_STRENGTH} or more (its mask says how "
                "firmly); raise it, or use LTX-Video for faint keyframes",
                param=f"keyframes[{i}].strength",
            )
    if context_frames is not None and request.task is not Task.EXTEND:
        # conditions() reads it only for extend: on another task it would be accepted and do nothing.
        raise InvalidRequest(
            "options.extend_context_frames sets how much of the clip Wan VACE extends from; it applies "
            f"only to task extend, and this request is {request.task.value}. Leave it unset, or ask for "
            "task extend with a source_video",
            param="options.extend_context_frames",
        )
    if context_frames is not None and context_frames % 4:
        below = context_frames - context_frames % 4
        raise InvalidRequest(
            f"options.extend_context_frames {context_frames} must be a multiple of 4 (Wan VACE keeps the "
            f"output at 4k+1 frames); nearest valid: {below or 4} or {below + 4}",
            param="options.extend_context_frames",
        )


def context_length(asked: int | None, have: int, clip_fps: float, fps: float) -> int:
    """Frames of a source clip of ``have`` frames an extend run at ``fps`` sees: as asked (or 8), at most
    the clip's at that rate, a multiple of 4."""
    from reelgen.core.backends.source_clip import frames_at

    available = frames_at(have, clip_fps, fps)
    wanted = min(asked or VACE_CONTEXT_FRAMES, available)
    context = wanted - wanted % 4
    if context < 4:
        # As few frames as reach over the 4 frames' time at ``fps`` (``frames_at`` the other way round).
        need = math.ceil(3 * clip_fps / fps - 1e-6) + 1
        own = f" ({have} at its own {clip_fps:g})" if available != have else ""
        nearer = f", or a --fps nearer its own {clip_fps:g}" if fps < clip_fps else ""
        raise InvalidRequest(
            f"source_video has {available} frame{'s' * (available != 1)} at {fps:g} fps{own}; Wan VACE extends "
            "from at least 4; "
            f"give a longer clip (at least {need} frames at its {clip_fps:g} fps){nearer}",
            param="source_video",
        )
    return context


def _blank(width: int, height: int) -> Image.Image:
    from PIL import Image

    return Image.new("RGB", (width, height), PLACEHOLDER)


def _mask(width: int, height: int, strength: float | None) -> Image.Image:
    """Black keeps a frame, white makes it; a keyframe below full strength is kept on a grey mask."""
    from PIL import Image

    return Image.new("L", (width, height), 255 if strength is None else round(255 * (1 - strength)))


def conditions(request: ResolvedRequest, context_frames: int | None) -> tuple[dict[str, Any], int]:
    """The pipeline's ``video``, ``mask``, ``reference_images`` and ``num_frames`` for ``request``.

    Returns them with the count of leading frames the output must drop (the
    extend context). A text-only run with no reference images gets none of it.
    """
    from reelgen.core import media
    from reelgen.core.backends import plumbing, source_clip

    width, height, frames = request.width, request.height, request.num_frames
    given: dict[int, Image.Image] = {}
    strength: dict[int, float] = {}
    drop = 0
    if request.task is not Task.EXTEND:
        # One clip holds every image the request pins, whichever of them set its task: a start image
        # beside keyframes was dropped when the keyframes alone were read (ComfyUI's WanVaceToVideo
        # and Wan2GP put all of them in the one control video too).
        if request.start_image:
            given[0] = plumbing.start_image(request)
        for i, key in enumerate(request.keyframes):
            given[key.frame] = media.load_fitted(key.image, width, height, f"keyframes[{i}].image")
            strength[key.frame] = key.strength
        end = plumbing.end_image(request)
        if end is not None:
            given[frames - 1] = end
    else:
        most = context_frames or VACE_CONTEXT_FRAMES  # context_length takes no more: only the end is kept
        clip, have = source_clip.read_tail(request.source_video or "", request.fps, most, whole=True)
        drop = context_length(context_frames, have, float(clip.fps), request.fps)
        context = Video(source_clip.tail(clip, request.fps, drop), clip.fps)  # at the run's frame rate
        given = dict(enumerate(media.fit_video(context, width, height)))
    total = drop + frames
    inputs: dict[str, Any] = {"num_frames": total}
    if given:
        inputs["video"] = [given.get(i) or _blank(width, height) for i in range(total)]
        inputs["mask"] = [
            _mask(width, height, strength.get(i, 1.0) if i in given else None) for i in range(total)
        ]
    if request.reference_images:
        inputs["reference_images"] = [
            media.load_image(path, f"reference_images[{i}]")
            for i, path in enumerate(request.reference_images)
        ]
    return inputs, drop
