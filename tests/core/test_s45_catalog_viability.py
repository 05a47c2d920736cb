"""Keyframe viability's aspect line for a picture far narrower than the output."""

from __future__ import annotations

from PIL import Image

from reelgen.core.viability import assess_keyframe


def test_a_thin_strip_is_said_with_its_real_shape_not_as_zero() -> None:
    """A 2x1000 strip was "the picture is 0.00:1 ... keeps 0% of it", as if it had no width at all."""
    result = assess_keyframe(Image.new("RGB", (2, 1000), (120, 90, 60)), (512, 512))
    aspect = next(p for p in result.problems if p.startswith("aspect"))
    assert "the picture is 0.002:1 and the output 1.00:1, so fitting it keeps 0.2% of it" in aspect
    wide = assess_keyframe(Image.new("RGB", (1600, 400), (120, 90, 60)), (512, 512))
    assert "the picture is 4.00:1 and the output 1.00:1, so fitting it keeps 25% of it" in wide.problems[-1]
