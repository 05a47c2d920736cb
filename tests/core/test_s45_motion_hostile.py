"""Hostile or ignored numbers in a camera move: refused as what they are, in messages a person can read."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reelgen.core.motion import CropOutOfBounds, CropTooSmall, Motion, MotionError, Rect

IMAGE, OUT = (320, 192), (128, 72)
START = Rect(x=0, y=50, width=160, height=90)


@pytest.mark.parametrize("arc", [1e308, -1.7e308])
def test_an_arc_near_the_largest_float_is_refused_as_leaving_the_image(arc: float) -> None:
    # Times 4 it was infinite: a batch item failed as "internal error (ValidationError ...); please report it".
    end = Rect(x=10, y=50, width=160, height=90)
    with pytest.raises(CropOutOfBounds) as caught:
        Motion(start=START, end=end, arc=arc).path(IMAGE, OUT, 12, 12.0, param="items[0].motion")
    assert caught.value.param == "items[0].motion.arc"


@pytest.mark.parametrize(
    ("start", "kind"),
    [
        (Rect(x=0, y=0, width=1e-300, height=0.5625e-300), CropTooSmall),
        (Rect(x=-1e308, y=-1e308, width=160, height=90), CropOutOfBounds),
    ],
)
def test_a_crop_of_absurd_size_is_told_so_in_a_message_of_readable_length(
    start: Rect, kind: type[MotionError]
) -> None:
    # It printed the magnification and the overshoot as every one of 300 digits.
    with pytest.raises(kind) as caught:
        Motion(start=start, end=START).path(IMAGE, OUT, 12, 12.0)
    assert len(caught.value.message) < 300, caught.value.message


def test_an_arc_given_to_a_preset_is_refused_not_ignored() -> None:
    # {"preset": "pan-left", "arc": -40} came out a straight pan, and nothing said the arc was not used.
    with pytest.raises(ValidationError, match="arc -40 bends a path of start and end crops"):
        Motion.model_validate({"preset": "pan-left", "arc": -40})
    assert Motion.model_validate({"preset": "pan-left", "arc": 0}).arc == 0  # as a motion.json writes it


@pytest.mark.parametrize(
    "fields",
    [
        {"preset": "zoom-in", "speed": True},
        {
            "start": {"x": True, "y": 0, "width": 160, "height": 90},
            "end": {"x": 0, "y": 0, "width": 160, "height": 90},
        },
    ],
)
def test_a_truth_value_is_not_taken_for_a_number(fields: dict[str, object]) -> None:
    # A speed of true was taken as 1 (and a crop at x true as 1), where the manifest's own numbers refuse it.
    with pytest.raises(ValidationError, match="true is not a number"):
        Motion.model_validate(fields)


def test_a_speed_given_to_a_path_of_crops_is_refused_where_the_crops_are_filmed() -> None:
    # {"start": ..., "end": ..., "speed": 3} was filmed at the crops' own pace, the speed unused and unsaid.
    end = Rect(x=10, y=50, width=160, height=90)
    with pytest.raises(MotionError) as caught:
        Motion(start=START, end=end, speed=3).path(IMAGE, OUT, 12, 12.0, param="items[0].motion")
    assert caught.value.param == "items[0].motion.speed" and "drop speed" in caught.value.message
    Motion(start=START, end=end).path(IMAGE, OUT, 12, 12.0)  # the same crops at their own pace: filmed


@pytest.mark.parametrize(
    ("start", "aspect"),
    [
        (Rect(x=0, y=0, width=1e308, height=90), "aspect ratio 1.11e+306 but"),
        (Rect(x=0, y=0, width=160, height=1e-300), "aspect ratio 1.6e+302 but"),
        (Rect(x=0, y=0, width=0.001, height=90), "aspect ratio 1.11e-05 but"),
    ],
)
def test_a_crop_of_absurd_shape_says_its_aspect_in_a_few_digits(start: Rect, aspect: str) -> None:
    # A crop 1e308 wide said "aspect ratio 1111...(300 digits).000"; one 0.001 wide said "0.000".
    with pytest.raises(MotionError) as caught:
        Motion(start=start, end=START).path(IMAGE, OUT, 12, 12.0)
    assert aspect in caught.value.message, caught.value.message
    assert caught.value.message.startswith("motion.start: the crop ")
    assert "the output 128x72 has 1.778, so the picture would be stretched" in caught.value.message
