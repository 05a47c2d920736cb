"""A number past one end of a field bounded at both is told the whole range, wherever it came in."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from reelgen.core.errors import InvalidRequest, from_validation_error
from reelgen.core.spec.request import GenerationRequest
from tests.core.helpers import resolved


class _Inner(BaseModel):
    strength: Annotated[float, Field(gt=0, le=2)] = 1.0
    count: Annotated[int, Field(ge=1)] = 1


class _Outer(BaseModel):
    items: list[_Inner] = []


@pytest.mark.parametrize("fps", [0, 1000])
def test_either_end_of_fps_is_told_both(fps: int) -> None:
    with pytest.raises(ValidationError) as refused:
        GenerationRequest(model="ltx-tiny", prompt="a fox", fps=fps)
    said = from_validation_error(refused.value, model=GenerationRequest).message
    assert said.startswith(f"fps: {fps} is too {'small' if fps == 0 else 'large'};")
    assert said.endswith("; it takes a number above 0 and at most 240")


def test_a_field_in_a_list_of_objects_is_told_its_range() -> None:
    with pytest.raises(ValidationError) as refused:
        _Outer.model_validate({"items": [{}, {"strength": 5}]})
    said = from_validation_error(refused.value, model=_Outer).message
    assert said == "items[1].strength: 5 is too large; it takes a number above 0 and at most 2"


def test_a_field_bounded_at_one_end_is_told_what_it_takes() -> None:
    # "greater than or equal to 1" alone did not say a whole number was wanted, nor that there is no top.
    with pytest.raises(ValidationError) as refused:
        _Outer.model_validate({"items": [{"count": 0}]})
    said = from_validation_error(refused.value, model=_Outer).message
    assert said == "items[0].count: 0 is too small; it takes a whole number of at least 1"


def test_a_model_option_bounded_below_only_is_told_what_it_takes() -> None:
    # `--option extend_context_frames=0` heard only pydantic's "greater than or equal to 1".
    with pytest.raises(InvalidRequest) as refused:
        resolved(model="ltx-tiny", prompt="x", options={"extend_context_frames": 0})
    assert refused.value.message.startswith(
        "options.extend_context_frames: 0 is too small; "
        "it takes a whole number of at least 1 (LTX-Video options: "
    )


@pytest.mark.parametrize(
    ("field", "shape"),
    [
        ("keyframes", '[{"image": "a.png", "frame": 1}]'),
        ("reference_images", '["a.png", "b.png"]'),
        ("loras", '[{"path": "..."}]'),
    ],
)
def test_a_list_field_given_no_list_is_shown_a_list(field: str, shape: str) -> None:
    # "keyframes: Input should be a valid list" gave no shape to write instead.
    with pytest.raises(ValidationError) as refused:
        GenerationRequest.model_validate({"model": "ltx-tiny", field: "a.png"})
    said = from_validation_error(refused.value, model=GenerationRequest, lists=True).message
    assert said == f"{field}: 'a.png' is not a list; give a list in brackets, e.g. {shape}"


class _Form(BaseModel):
    interpolate: int | None = Field(default=None, ge=2, le=16)


@pytest.mark.parametrize("given", ["2.5", "many", 2.5])
def test_a_number_field_given_no_number_of_its_kind_is_told_its_range(given: object) -> None:
    # A form's "2.5" for a whole number heard only "unable to parse string as an integer".
    with pytest.raises(ValidationError) as refused:
        _Form.model_validate({"interpolate": given})
    said = from_validation_error(refused.value, model=_Form).message
    assert said.startswith(f"interpolate: {given!r} is not a ")
    assert said.endswith("; it takes a whole number from 2 to 16")
