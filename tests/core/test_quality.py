"""Generic clip checks: each planted defect is named, and real moving footage passes clean."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from skimage import data

from reelgen.core import quality
from reelgen.core.backends.plumbing import video_of
from reelgen.core.types import Video

FPS = Fraction(24)


def pan(photo: np.ndarray | None = None, frames: int = 25, step: int = 3) -> np.ndarray:
    """A camera panning right over a real photo, ``step`` pixels a frame, 160x128."""
    photo = data.coffee() if photo is None else photo
    return np.stack([photo[40:168, 10 + step * i : 170 + step * i] for i in range(frames)])


def problems(frames: np.ndarray, fps: Fraction = FPS) -> list[str]:
    return quality.assess(Video(np.ascontiguousarray(frames), fps)).problems


# That a default clip of the built-in model passes clean is checked in test_backend_micro, on the clip
# its colour test renders (test_a_clip_of_the_built_in_model_passes_clean).


def test_a_smooth_pan_over_a_photo_passes_clean() -> None:
    for photo in (data.coffee(), data.astronaut(), data.rocket()):
        report = quality.assess(Video(pan(photo), FPS))
        assert report.problems == [] and not report.fatal
        assert report.metrics["frozen_runs"] == [] and report.metrics["flicker"] < 1.0


def test_a_hard_cut_is_not_a_flash_and_a_fade_is_not_flicker() -> None:
    cut = np.concatenate([pan(data.coffee())[:12], pan(data.astronaut())[:13]])
    assert problems(cut) == []
    fade = (pan().astype(np.float32) * np.linspace(1.0, 0.3, 25)[:, None, None, None]).astype(np.uint8)
    assert problems(fade) == []


def test_a_flash_is_named_with_its_frames() -> None:
    clip = pan()
    clip[10:12] = np.clip(clip[10:12].astype(int) + 110, 0, 255)
    report = quality.assess(Video(clip, FPS))
    assert report.problems == ["frames 10, 11 are much brighter or darker than those around them (flash)"]
    assert report.metrics["flash_frames"] == [10, 11] and not report.fatal


def test_a_frozen_run_is_named_and_a_short_hold_is_not() -> None:
    clip = pan()
    clip[6:20] = clip[6]
    assert problems(clip) == ["frames 6..19 do not move (frozen)"]
    held = pan()
    held[6:9] = held[6]  # an eighth of a second: a pause, not a stall
    assert problems(held) == []


def test_a_frozen_run_counts_in_seconds_not_frames() -> None:
    clip = pan()
    clip[6:12] = clip[6]  # six frames: half a second at 12 fps, a quarter at 24
    assert problems(clip, Fraction(12)) == ["frames 6..11 do not move (frozen)"]
    assert problems(clip, Fraction(24)) == []


def test_a_clip_shorter_than_half_a_second_that_never_moves_is_frozen() -> None:
    # A tiny model's 9 frames at 24 fps (or 7 at 30) of one picture passed clean: temporal SSIM 1 and
    # no artefacts, so a shoot-out ranked a still picture best.
    still = np.stack([pan()[0]] * 9)
    assert problems(still) == ["frames 0..8 do not move (frozen)"]
    assert problems(np.stack([pan()[0]] * 7), Fraction(30)) == ["frames 0..6 do not move (frozen)"]
    assert problems(pan(frames=9)) == []  # short and moving: clean
    paused = pan(frames=9)
    paused[1:9] = paused[1]  # a first frame, then 8 of one picture: a third of a second, a pause
    assert problems(paused) == []


def test_a_slow_drift_is_motion_not_a_freeze() -> None:
    # Each frame a hair on from the last (under the still level), two seconds later plainly another
    # picture: a slow Ken Burns zoom or fade was reported "frames 0..47 do not move (frozen)".
    first = pan()[0].astype(int)
    fade = np.stack([np.clip(first + i // 2, 0, 255).astype(np.uint8) for i in range(48)])
    assert problems(fade) == []
    stalled = fade.copy()
    stalled[10:30] = np.clip(stalled[10].astype(int) + 20, 0, 255)  # a real stall (cut to and from) is named
    assert problems(stalled) == ["frames 10..29 do not move (frozen)"]


def test_a_black_frame_is_fatal() -> None:
    clip = pan()
    clip[7] = 0
    report = quality.assess(Video(clip, FPS))
    assert report.fatal
    assert report.problems[0].startswith("1 black frame(s) (frames 7)")
    assert quality.black_frames(clip) == [7]


def test_nan_frames_are_fatal_and_named_as_nan() -> None:
    floats = pan().astype(np.float32) / 255.0
    floats[3:5] = np.nan  # what an overflowing float16 model hands back
    video = video_of(floats, 24.0)
    report = quality.assess(video)
    assert report.fatal
    assert report.metrics["nan_frames"] == [3, 4] and report.metrics["black_frames"] == [3, 4]
    assert report.problems[0].startswith("2 frame(s) held NaN or infinite values (frames 3, 4)")
    assert not any("black frame" in p for p in report.problems)  # said once, as NaN


@pytest.mark.parametrize("as_tensor", [False, True], ids=["numpy", "tensor"])
def test_frames_that_overflowed_to_infinity_are_fatal_like_nan(as_tensor: bool) -> None:
    import torch

    floats = pan().astype(np.float32) / 255.0
    floats[6] = np.inf  # a float16 overflow; it turned white and the check saw a flash, if anything
    floats[9, :4] = -np.inf
    video = video_of(torch.from_numpy(floats) if as_tensor else floats, 24.0)
    assert video.frames[6].max() == 0  # broken frames are black, as NaN ones are
    report = quality.assess(video)
    assert report.fatal and report.metrics["nan_frames"] == [6, 9]
    assert report.problems[0].startswith("2 frame(s) held NaN or infinite values (frames 6, 9)")


def test_a_few_nan_pixels_are_fatal_though_the_frame_is_not_black() -> None:
    floats = pan().astype(np.float32) / 255.0
    floats[9, :4, :4] = np.nan
    report = quality.assess(video_of(floats, 24.0))
    assert report.fatal and report.metrics["nan_frames"] == [9] and report.metrics["black_frames"] == []


def test_strobing_brightness_is_flicker_not_a_flash() -> None:
    clip = pan().astype(int)
    clip[::2] += 12
    clip[1::2] -= 12
    found = problems(np.clip(clip, 0, 255).astype(np.uint8))
    assert len(found) == 1 and found[0].startswith("brightness flickers from frame to frame")


def test_one_flash_is_not_flicker() -> None:
    clip = pan()
    clip[12] = np.clip(clip[12].astype(int) + 110, 0, 255)
    assert problems(clip) == ["frame 12 is much brighter or darker than those around it (flash)"]


def test_a_red_object_moving_over_green_of_the_same_luma_is_not_frozen() -> None:
    # Red (255, 0, 0) and green (0, 130, 0) differ in colour but have nearly the same luma (76 vs 76).
    clip = np.zeros((12, 64, 64, 3), np.uint8)
    clip[..., 1] = 130
    for i in range(12):
        clip[i, 24:40, 4 + 4 * i : 20 + 4 * i] = (255, 0, 0)
    assert problems(clip, Fraction(8)) == []


def test_tiny_and_empty_clips_get_a_report() -> None:
    tiny = quality.assess(Video(np.full((3, 4, 4, 3), 120, np.uint8), FPS))
    assert tiny.metrics["temporal_ssim_mean"] is None and not tiny.fatal
    empty = quality.assess(Video(np.zeros((0, 8, 8, 3), np.uint8), FPS))
    assert empty.fatal and empty.problems == ["the clip has no frames"]


def test_luma_weighs_green_most() -> None:
    rgb = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255]], np.uint8)
    assert np.allclose(quality.luma(rgb), [76.245, 149.685, 29.07], atol=1e-3)


def test_the_report_travels_as_json() -> None:
    report = quality.assess(Video(pan(), FPS))
    again = json.loads(json.dumps(report.as_dict()))
    assert again == report.as_dict() and set(again) == {"metrics", "problems", "fatal"}


@pytest.mark.parametrize("block", [1, 3, 8, 16, 17, 40])
def test_block_means_are_exact_at_every_block_size(block: int) -> None:
    """The integer two-pass sums equal a float mean of each tile, white tiles included (no overflow)."""
    frame = np.random.default_rng(block).integers(0, 256, (83, 121, 3), dtype=np.uint8)
    frame[:block, :block] = 255
    h, w = 83 // block * block, 121 // block * block
    expected = (
        frame[:h, :w].astype(np.float64).reshape(h // block, block, w // block, block, 3).mean(axis=(1, 3))
    )
    np.testing.assert_allclose(quality._block_means(frame, block), expected, rtol=1e-6)
    np.testing.assert_allclose(quality._mean_colour(frame), frame.reshape(-1, 3).mean(axis=0), rtol=1e-12)


@pytest.mark.parametrize("threads", [2, 3, 7])
def test_a_clip_scanned_in_runs_on_threads_reports_what_one_pass_reports(
    threads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pan with a frozen hold that straddles where the runs split, then a flash.
    frames = pan(frames=40)
    frames[12:26] = frames[12]
    frames[33] = np.clip(frames[33].astype(int) + 120, 0, 255)
    video = Video(np.ascontiguousarray(frames), FPS)
    monkeypatch.setattr(quality, "scan_threads", lambda count: 1)
    one_pass = quality.assess(video).as_dict()
    monkeypatch.setattr(quality, "scan_threads", lambda count: threads)
    assert quality.assess(video).as_dict() == one_pass
    assert one_pass["metrics"]["frozen_runs"] == [[12, 14]]
    assert one_pass["metrics"]["flash_frames"] == [33]
