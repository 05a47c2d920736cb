"""A preset too fast or on too small an image blames what the person can change, and names a speed that renders."""

from __future__ import annotations

import pytest

from reelgen.core.motion import CameraPath, CropTooSmall, Easing, Motion, MotionTooFast, Rect, check_path
from reelgen.core.motion.speed import at_most


def named_speed(message: str) -> float:
    return float(message.split("use a speed of at most ")[1].split()[0])


@pytest.mark.parametrize("preset", ["pan-right", "tilt-up", "arc-left"])
def test_a_pan_on_an_image_too_small_for_the_output_blames_the_image_not_a_crop(preset: str) -> None:
    # It said "items[0].motion.start: the crop 0.926667x0.52125 is too small ... make it at least 32x18":
    # a preset has no crop for the person to make.
    with pytest.raises(CropTooSmall) as caught:
        Motion(preset=preset).path((1, 1), (128, 72), 12, 12.0, param="items[0].motion")
    assert caught.value.param == "items[0].motion"
    assert "give a larger image or a smaller output" in caught.value.message
    assert "make it at least" not in caught.value.message


@pytest.mark.parametrize("preset", ["pan-right", "arc-left"])
def test_a_pan_whose_travel_leaves_too_small_a_crop_names_a_speed_that_renders(preset: str) -> None:
    with pytest.raises(CropTooSmall) as caught:
        Motion(preset=preset, speed=5).path((100, 100), (256, 144), 12, 12.0, param="items[0].motion")
    assert caught.value.param == "items[0].motion.speed"
    assert "leaves a crop under 64 px wide on the 100x100 image" in caught.value.message
    fits = named_speed(caught.value.message)
    Motion(preset=preset, speed=fits).path((100, 100), (256, 144), 12, 12.0)  # renders: no error


@pytest.mark.parametrize(
    ("preset", "speed"),
    [("pan-left", 10), ("zoom-in", 9), ("dolly-in", 9), ("arc-right", 9), ("tilt-down", 9)],
)
def test_a_preset_too_fast_per_frame_names_the_fastest_speed_that_renders(preset: str, speed: float) -> None:
    # It said "lower the speed, bring the start and end crops closer" with no speed, and a preset has no crops.
    image, out = (320, 192), (128, 72)
    with pytest.raises(MotionTooFast) as caught:
        Motion(preset=preset, speed=speed).path(image, out, 12, 12.0, param="items[0].motion")
    said = caught.value.message
    assert caught.value.param == "items[0].motion.speed" and "crops" not in said
    fits = named_speed(said)
    Motion(preset=preset, speed=fits).path(image, out, 12, 12.0)  # renders ...
    with pytest.raises((MotionTooFast, CropTooSmall)):  # ... and is near the fastest that does
        Motion(preset=preset, speed=fits * 1.02).path(image, out, 12, 12.0)


def test_a_path_too_fast_names_its_fastest_step_not_its_first() -> None:
    # Eased, the first step is the slowest: it said 6.4% between frames 0 and 1 of a move that reaches 37%.
    with pytest.raises(MotionTooFast) as caught:
        Motion(preset="pan-left", speed=10).path((320, 192), (128, 72), 12, 12.0)
    assert "moves 37.4% of the frame between frames 5 and 6" in caught.value.message


def test_a_custom_path_too_fast_is_not_told_to_lower_a_speed_it_does_not_have() -> None:
    start, end = Rect(x=0, y=0, width=160, height=90), Rect(x=160, y=100, width=160, height=90)
    with pytest.raises(MotionTooFast) as caught:
        check_path(CameraPath(start=start, end=end, easing=Easing.LINEAR), (320, 192), (128, 72), 12)
    said = caught.value.message
    assert "speed" not in said and "bring the start and end crops closer" in said
    assert "ease linearly" not in said  # it is linear already


def test_a_preset_too_fast_is_not_told_that_more_frames_would_help() -> None:
    # It said "or give the clip more than 12 frames", but a preset moves so far a second: 24 frames at the
    # same rate step as far a frame (a pan further), and are refused again. A higher frame rate does help.
    fast = Motion(preset="pan-left", speed=4)
    for frames in (12, 24):
        with pytest.raises(MotionTooFast) as caught:
            fast.path((3200, 1920), (128, 72), frames, 12.0)
        assert "more than" not in caught.value.message.split(";")[1]
        assert "or a frame rate above 12 fps" in caught.value.message
    fast.path((3200, 1920), (128, 72), 23, 24.0)  # the same second at 24 fps: renders


@pytest.mark.parametrize("preset", ["zoom-in", "dolly-in"])
def test_a_zoom_too_deep_names_a_speed_whose_frames_are_smooth_too(preset: str) -> None:
    # At 4 fps it named the speed that kept the crop large enough (1.28), and that speed was then refused
    # as zooming too far a frame: the person was told twice, the first time wrongly.
    with pytest.raises(CropTooSmall) as caught:
        Motion(preset=preset, speed=9).path((1920, 1080), (1280, 720), 41, 4.0)
    fits = named_speed(caught.value.message)
    Motion(preset=preset, speed=fits).path((1920, 1080), (1280, 720), 41, 4.0)  # renders: no error


def test_a_speed_exactly_on_three_digits_is_named_as_itself() -> None:
    # 1.14 * 100 is 113.99999999999999 in floats: a fastest speed of 1.14 was said as 1.13.
    assert [at_most(v) for v in (1.14, 0.07, 4.6875, 1.1399)] == ["1.14", "0.07", "4.68", "1.13"]
    with pytest.raises(MotionTooFast) as caught:
        Motion(preset="zoom-in", speed=1.15).path((1920, 1080), (1280, 720), 41, 4.0)
    assert named_speed(caught.value.message) == 1.14


@pytest.mark.parametrize("preset", ["pan-right", "tilt-up", "arc-left", "zoom-in"])
@pytest.mark.parametrize("image", [(32, 18), (32, 100), (100, 18)])
def test_an_image_whose_widest_crop_is_exactly_the_smallest_allowed_is_refused_in_words(
    preset: str, image: tuple[int, int]
) -> None:
    # 32 px wide is the least a 128 px output may magnify 4x: nothing is left to move in. Pans failed on a
    # math domain error (a speed of 0 to round), and a zoom said its 32 px crop was "under 32 px wide".
    if (preset, image) in {("tilt-up", (32, 100)), ("pan-right", (100, 18))}:
        Motion(preset=preset, speed=0.5).path(image, (128, 72), 12, 12.0)  # room to travel along that side
        return
    with pytest.raises(CropTooSmall) as caught:
        Motion(preset=preset).path(image, (128, 72), 12, 12.0)
    said = caught.value.message
    assert "under 32 px" not in said and "no room left to move" in said
    assert caught.value.param == "motion" and said.endswith("give a larger image or a smaller output")


def test_an_image_too_small_for_any_speed_is_said_before_a_speed_is_named() -> None:
    # A fast pan on a 20 px picture was told "use a speed of at most 0.94"; at that speed it was then told
    # the picture was too small, as it is at every speed.
    with pytest.raises(CropTooSmall) as caught:
        Motion(preset="pan-right", speed=10).path((20, 20), (128, 72), 49, 24.0)
    assert "speed" not in caught.value.message and "give a larger image" in caught.value.message
