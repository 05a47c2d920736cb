"""A batch's negative_prompt is a template as its prompt is: {stem} reached the model as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.batch import Manifest, plan_batch
from reelgen.core.batch.prompt import check_prompts
from reelgen.core.errors import InvalidRequest


def _manifest(items: list[dict[str, object]], **defaults: object) -> Manifest:
    return Manifest.model_validate(
        {"defaults": {"model": "ltx-tiny", "prompt": "a fox", **defaults}, "items": items}
    )


def test_the_negative_prompt_has_its_placeholders_filled(tmp_path: Path) -> None:
    batch = _manifest(
        [{"output": "dawn", "variables": {"look": "grainy"}, "negative_prompt": "{look}, {output} at night"}]
    )
    [planned] = plan_batch(batch, tmp_path)
    assert planned.error is None
    assert planned.request is not None
    assert planned.request.negative_prompt == "grainy, dawn at night"


def test_an_unknown_placeholder_in_the_negative_prompt_stops_the_batch_naming_it() -> None:
    batch = _manifest([{"output": "dawn"}], negative_prompt="{blur}")
    with pytest.raises(InvalidRequest) as caught:
        check_prompts(batch)
    assert caught.value.param == "items[0].negative_prompt"
    assert caught.value.message.startswith(
        "items[0].negative_prompt (item dawn, from defaults.negative_prompt): the negative prompt uses {blur}, "
        "which is not set; known: "
    )
