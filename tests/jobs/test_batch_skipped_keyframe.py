"""An item skipped for a poor keyframe names that keyframe (images[1] for a blurred last one), not always images[0]."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.batch.manifest import Manifest
from reelgen.core.batch.plan import PlannedItem, plan_batch
from reelgen.core.batch.run import run_item
from reelgen.core.cache import ModelCache
from reelgen.core.progress import Progress
from reelgen.jobs.kinds.batch import _outcome
from tests.jobs.batch_cases import make_shots

DEFAULTS = {"width": 32, "height": 32, "num_frames": 9, "fps": 8, "prompt": "a slow move"}


@pytest.fixture
def planned(tmp_path: Path) -> PlannedItem:
    shots = make_shots(tmp_path / "shots")
    item = {"output": "blurred-end", "model": "wan-i2v-tiny", "images": ["astronaut.png", "blurred.png"]}
    [planned] = plan_batch(Manifest.model_validate({"defaults": DEFAULTS, "items": [item]}), shots)
    assert planned.skipped is not None and planned.skipped.startswith("keyframe blurred.png scored")
    return planned


def test_a_run_in_process_names_the_keyframe_the_item_was_skipped_for(planned: PlannedItem) -> None:
    """The summary said param items[0].images[0] of the sharp first keyframe."""
    outcome = run_item(planned, progress=Progress(), cache=ModelCache())
    assert (outcome.status, outcome.param) == ("skipped", "items[0].images[1]")


def test_a_batch_job_names_the_keyframe_the_item_was_skipped_for(planned: PlannedItem) -> None:
    outcome = _outcome(planned, None)
    assert (outcome.status, outcome.param) == ("skipped", "items[0].images[1]")
