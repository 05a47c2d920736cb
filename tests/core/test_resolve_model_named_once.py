"""A model that is its own family is named once in a refusal: "reelgen-micro", not "reelgen-micro (reelgen-micro)"."""

from __future__ import annotations

import pytest

from reelgen.core.errors import UnsupportedTask
from tests.core.helpers import resolved


@pytest.mark.parametrize(
    ("task", "said"),
    [
        ("v2v", "reelgen-micro cannot do v2v; it supports i2v, t2v."),
        ("avatar", "reelgen-micro cannot do avatar; talking avatars are made from a face and a voice"),
    ],
)
def test_a_model_named_as_its_family_is_named_once(task: str, said: str) -> None:
    with pytest.raises(UnsupportedTask) as refused:
        resolved(model="reelgen-micro", prompt="a fox", task=task)
    assert refused.value.message.startswith(said)


def test_a_model_of_a_family_of_another_name_still_names_its_family() -> None:
    with pytest.raises(UnsupportedTask) as refused:
        resolved(model="svd-tiny", prompt="a fox", task="t2v")
    assert refused.value.message.startswith(
        "svd-tiny (Stable Video Diffusion) cannot do t2v; it supports i2v."
    )
