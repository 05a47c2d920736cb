"""A value of the wrong kind is said back with its field and what is valid, never in pydantic's words."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from reelgen.core.errors import from_validation_error
from reelgen.core.spec.request import GenerationRequest


def _said(fields: dict[str, Any], prefix: str = "") -> str:
    with pytest.raises(ValidationError) as caught:
        GenerationRequest.model_validate({"prompt": "a fox", "model": "wan-tiny", **fields})
    return from_validation_error(caught.value, model=GenerationRequest, prefix=prefix).message


@pytest.mark.parametrize(
    ("fields", "prefix", "said"),
    [
        # Was "--fps: Input should be a finite number; it takes ...": the value typed was not named.
        (
            {"fps": float("nan")},
            "--",
            "--fps: nan is not a finite number; it takes a number above 0 and at most 240",
        ),
        (
            {"guidance": float("inf")},
            "",
            "guidance: inf is not a finite number; it takes a number from 0 to 100",
        ),
        (
            {"seed": float("nan")},
            "",
            "seed: nan is not a finite number; it takes a whole number from 0 to 9223372036854775807",
        ),
        # Was "task: Input should be 't2v', 'i2v', ...".
        (
            {"task": "zzz"},
            "",
            "task: 'zzz' is not a choice; give one of t2v, i2v, v2v, keyframes, extend, audio or avatar",
        ),
        # Was "prompt: Input should be a valid string".
        ({"negative_prompt": 12345}, "", "negative_prompt: 12345 is not text; give text in quotes"),
        # Was "audio: Input should be a valid boolean".
        ({"audio": "maybe"}, "", "audio: 'maybe' is not true or false; give true or false"),
        ({"steps": {"a": 1}}, "", "steps: an object is not a number; it takes a whole number from 1 to 1000"),
    ],
)
def test_a_wrong_value_names_its_field_the_value_and_what_is_valid(
    fields: dict[str, Any], prefix: str, said: str
) -> None:
    message = _said(fields, prefix)
    assert message == said
    assert "Input should" not in message
