"""SkyReels-V2 diffusion forcing as data: its options, the windows a clip is cut into, and their checks."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import MAX_FLOW_SHIFT

#: The Wan VAE packs 4 frames into one latent frame after the first.
FRAME_STEP = 4


class SkyReelsOptions(BaseModel):
    """Diffusion-forcing windows (DF models only): how long videos are cut into overlapping chunks."""

    model_config = ConfigDict(extra="forbid")

    base_num_frames: int = Field(default=97, ge=5, description="frames per window: 97 at 540P, 121 at 720P")
    overlap_history: int = Field(
        default=17, ge=1, description="frames each window (or extend) reuses; 17 or 37"
    )
    addnoise_condition: float = Field(
        default=20.0, ge=0, le=60, description="noise on reused frames; ~20 smooths joins"
    )
    ar_step: int = Field(default=0, ge=0, description="0 = synchronous; 5 = asynchronous (slower, steadier)")
    causal_block_size: int | None = Field(
        default=None, ge=1, description="frames per causal block; 5 with ar_step 5"
    )
    flow_shift: float | None = Field(
        default=None,
        gt=0,
        le=MAX_FLOW_SHIFT,
        description="scheduler shift (any SkyReels model); None keeps the checkpoint's",
    )


#: The options that shape diffusion-forcing windows; a one-window model takes none of them.
WINDOW_OPTIONS = ("base_num_frames", "overlap_history", "addnoise_condition", "ar_step", "causal_block_size")


def latent_frames(frames: int) -> int:
    return (frames - 1) // FRAME_STEP + 1


def extend_frames(num_frames: int, overlap: int) -> int:
    """Frames to ask the DF video-to-video pipeline for, so that ``num_frames`` new ones follow the source.

    The pipeline's clip opens by re-rendering the ``overlap`` source frames it
    was given, and every latent frame after those decodes to ``FRAME_STEP``
    new frames: ``num_frames`` (4k+1) new frames take k+1 latent frames, and
    the ``FRAME_STEP - 1`` frames past the asked count are dropped.
    """
    return overlap + num_frames + FRAME_STEP - 1


@dataclass(frozen=True)
class Window:
    """One diffusion-forcing window: latent frames denoised together, of which ``ready`` are given."""

    frames: int
    ready: int


def df_windows(
    num_frames: int,
    options: SkyReelsOptions,
    *,
    extend: bool = False,
    image: bool = False,
    end_image: bool = False,
    overlap: int | None = None,
) -> list[Window]:
    """The windows diffusers' DF pipelines cut ``num_frames`` into (mirrors their long-video loop).

    ``num_frames`` is what the pipeline is asked for (``extend_frames`` when
    extending). ``extend`` starts every window, the first included, from reused
    frames (the source clip's last ``overlap`` frames); t2v/i2v reuse only from
    the second window on, and only when the clip is longer than one window. A
    start image is the first window's one given frame; an end image is
    appended to the last window.
    """
    block = options.causal_block_size or 1
    total = latent_frames(num_frames)
    base = latent_frames(options.base_num_frames)
    reused = latent_frames(overlap or options.overlap_history)
    ready = reused - reused % block
    first_ready = ready if extend else int(image)
    if not extend and num_frames <= options.base_num_frames:
        windows = [Window(total, first_ready)]
    else:
        count = 1 + (total - base - 1) // (base - reused) + 1
        windows = [Window(min(total, base) if extend else base, first_ready)]
        for k in range(1, count):
            left = total - (k * (base - reused) + reused)
            windows.append(Window(min(left + reused, base), ready))
    if end_image:
        last = windows[-1]
        windows[-1] = Window(last.frames + last.ready, last.ready)
    return windows


def model_calls(windows: list[Window], steps: int, options: SkyReelsOptions) -> int:
    """Denoising calls over all windows: each causal block lags the one before by ``ar_step`` steps."""
    block = options.causal_block_size or 1
    pending = (w.frames // block - w.ready // block for w in windows)
    return sum(steps + max(0, p - 1) * options.ar_step for p in pending)


def request_windows(
    request: ResolvedRequest, options: SkyReelsOptions, overlap: int | None = None
) -> list[Window]:
    """The windows ``request`` runs in; ``overlap`` is what an extended clip lends (default: all asked)."""
    extend = request.task is Task.EXTEND
    frames = request.num_frames
    if extend:
        frames = extend_frames(frames, overlap or options.overlap_history)
    return df_windows(
        frames,
        options,
        extend=extend,
        image=request.task is Task.I2V,
        end_image=bool(request.end_image),
        overlap=overlap,
    )


def check_windows(request: ResolvedRequest, label: str) -> None:
    """Refuse window settings diffusers' DF pipelines would fail on (or silently mangle)."""
    options = request.options_as(SkyReelsOptions)
    for name in ("base_num_frames", "overlap_history"):
        value = getattr(options, name)
        if (value - 1) % FRAME_STEP:
            near = value - (value - 1) % FRAME_STEP
            raise InvalidRequest(
                f"options.{name} {value} is not 4k+1 ({label}); nearest valid: {near} or {near + FRAME_STEP}",
                param=f"options.{name}",
            )
    if options.overlap_history >= options.base_num_frames:
        raise InvalidRequest(
            f"options.overlap_history {options.overlap_history} must be below options.base_num_frames "
            f"{options.base_num_frames}, or no window would add a new frame",
            param="options.overlap_history",
        )
    if request.task is Task.I2V and request.num_frames > options.base_num_frames:
        _check_long_i2v(request, options)
    _check_blocks(request, options)


def _check_long_i2v(request: ResolvedRequest, options: SkyReelsOptions) -> None:
    """Limits of diffusers' DF image-to-video past one window (in 0.42 other lengths fail mid-run)."""
    base, n = options.base_num_frames, request.num_frames
    if request.end_image:
        raise InvalidRequest(
            f"end_image: pinning the last frame needs the clip in one window, and {n} frames (num_frames) "
            f"is over options.base_num_frames {base}; ask for at most {base} frames, or raise base_num_frames",
            param="end_image",
        )
    # Every window must be full: base + k * (base - overlap), counted in latent frames.
    stride = FRAME_STEP * (latent_frames(base) - latent_frames(options.overlap_history))
    if (n - base) % stride:
        below = n - (n - base) % stride
        raise InvalidRequest(
            f"num_frames: image-to-video over {base} frames must be {base} + k*{stride} frames long with "
            f"these windows; nearest valid: {below} or {below + stride}",
            param="num_frames",
        )


def _check_blocks(request: ResolvedRequest, options: SkyReelsOptions) -> None:
    block = options.causal_block_size or 1
    for window in request_windows(request, options):
        if window.frames % block:
            raise InvalidRequest(
                f"options.causal_block_size {block} does not divide a window of {window.frames} latent frames "
                f"(num_frames {request.num_frames}, base_num_frames {options.base_num_frames}); "
                "with causal blocks of 5 use 97 or 121-frame windows and overlap_history 17 or 37",
                param="options.causal_block_size",
            )
