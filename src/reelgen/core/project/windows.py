"""Long scenes: how a scene is cut into model-sized windows, colour-matched across boundaries, and joined."""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import SEED_LIMIT, Task
from reelgen.core.spec.rules import SizeRules, counted
from reelgen.core.types import Audio, Video

#: The least and most a colour match may scale a channel by: a real drift is gentle, a scene cut is not.
GAIN_RANGE = (0.5, 2.0)


class WindowSpec(BaseModel):
    """One window of a scene: how many frames the model makes, which it keeps, its prompt and seed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int
    frames: int
    #: Leading frames dropped when joining: a first-frame window starts on the last frame before it.
    keep_from: int
    prompt: str
    seed: int


def split(
    total: int,
    window: int,
    rules: SizeRules,
    continuation: Task | None,
    prompts: list[str],
    prompt: str,
    seed: int,
) -> tuple[WindowSpec, ...]:
    """Windows that together make ``total`` frames, each at most ``window`` long and valid for ``rules``.

    A scene that fits in one window is one window (its length snapped up to a
    count the model takes; the clip is trimmed back). Later windows continue
    the one before: ``EXTEND`` windows hold only new frames, ``I2V`` windows
    begin with the previous window's last frame, which the join drops.
    """

    def spec(index: int, frames: int, keep_from: int) -> WindowSpec:
        text = prompts[index] if index < len(prompts) else prompt
        return WindowSpec(
            index=index, frames=frames, keep_from=keep_from, prompt=text, seed=(seed + index) % SEED_LIMIT
        )

    if total <= window or continuation is None:
        return (spec(0, rules.snap_frames(total), 0),)
    keep_from = 1 if continuation is Task.I2V else 0
    if window - keep_from < 1:
        # A first-frame window spends its first frame on the one before, so one frame leaves none new.
        raise InvalidRequest(
            f"windows.frames: a window of {counted(window, 'frame')} cannot continue a scene: each window "
            f"after the first begins on the last frame of the one before; give windows.frames: "
            f"{rules.snap_frames(keep_from + 1)} or more",
            param="windows.frames",
        )
    out, made = [spec(0, window, 0)], window
    while made < total:
        frames = min(window, rules.snap_frames(total - made + keep_from))
        out.append(spec(len(out), frames, keep_from))
        made += frames - keep_from
    return tuple(out)


def match_colour(
    window: np.ndarray, reference: np.ndarray, overlap: int
) -> tuple[np.ndarray, dict[str, Any]]:
    """``window`` with each channel scaled and shifted so its first ``overlap`` frames match the colour
    statistics (mean and spread) of ``reference``'s last ``overlap`` frames.

    Applied window after window, each matched to the already-matched one before
    it, every window ends up on the first window's colours: the slow drift a
    chain of continuations builds up is taken out where windows meet.
    """
    overlap = max(1, min(overlap, len(window), len(reference)))
    ours = window[:overlap].reshape(-1, 3).astype(np.float64)
    theirs = reference[-overlap:].reshape(-1, 3).astype(np.float64)
    gain = np.clip(theirs.std(0) / np.maximum(ours.std(0), 1.0), *GAIN_RANGE)
    offset = theirs.mean(0) - gain * ours.mean(0)
    matched = np.clip(window.astype(np.float32) * gain.astype(np.float32) + offset.astype(np.float32), 0, 255)
    record = {"gain": [round(float(g), 4) for g in gain], "offset": [round(float(o), 2) for o in offset]}
    return matched.round().astype(np.uint8), record


def colour_chain(
    windows: list[np.ndarray], overlaps: list[int]
) -> tuple[list[np.ndarray], list[dict[str, Any]]]:
    """Every window after the first matched to the (matched) one before it; ``overlaps[k]`` is window k+1's."""
    out, records = [windows[0]], []
    for window, overlap in zip(windows[1:], overlaps, strict=True):
        matched, record = match_colour(window, out[-1], overlap)
        out.append(matched)
        records.append(record)
    return out, records


def join(videos: list[Video], specs: tuple[WindowSpec, ...], total: int) -> Video:
    """The windows end to end (each without the frames it repeats), trimmed to ``total`` frames."""
    frames = np.concatenate([v.frames[s.keep_from :] for v, s in zip(videos, specs, strict=True)])[:total]
    fps = videos[0].fps
    audio = None
    if all(v.audio is not None for v in videos):
        pieces = []
        for video, s in zip(videos, specs, strict=True):
            assert video.audio is not None
            rate = video.audio.sample_rate
            pieces.append(video.audio.samples[:, round(s.keep_from / fps * rate) :])
        rate = videos[0].audio.sample_rate if videos[0].audio else 0
        samples = np.concatenate(pieces, axis=-1)[:, : round(total / fps * rate)]
        audio = Audio(samples, rate)
    return Video(frames, fps, audio)
