"""A job that fails at run time on a LoRA names it as the API does (``loras[0].name``, the field a create
body and its refusals use), not the core's ``loras[0].path``, a field no API request has."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reelgen.core.backends.lora_loading import LORA_GONE
from reelgen.core.errors import InvalidRequest
from reelgen.jobs import kinds
from reelgen.jobs.events import RunError
from reelgen.jobs.worker import VideoWorker
from tests.jobs import fakes
from tests.jobs.fakes import resolved

JOB = "video_" + "2" * 32


def _fails(message: str, param: str) -> Callable[..., None]:
    def load(self: object, *args: object) -> None:
        # As core.backends.lora_loading raises once the model has loaded.
        raise InvalidRequest(message, param=param)

    return load


@pytest.mark.parametrize(
    ("message", "param", "stored"),
    [
        (
            f"loras[1].path: style.safetensors {LORA_GONE}",
            "loras[1].path",
            f"loras[1].name: style.safetensors {LORA_GONE}",
        ),
        # Any other field keeps its name; a project's scene field too (a file the user wrote names it so).
        ("num_frames: 7 is not 8k+1", "num_frames", "num_frames: 7 is not 8k+1"),
        (
            "scenes[0].loras[0].path: a.safetensors gone",
            "scenes[0].loras[0].path",
            "scenes[0].loras[0].path: a.safetensors gone",
        ),
    ],
)
def test_a_lora_failing_at_run_time_is_named_as_the_api_names_it(
    worker: VideoWorker, monkeypatch: pytest.MonkeyPatch, message: str, param: str, stored: str
) -> None:
    monkeypatch.setattr(fakes.JobTestRunner, "load", _fails(message, param))
    render = kinds.worker(kinds.RENDER)
    events = list(worker.run(JOB, kinds.RENDER, render.dump(resolved()), {}))
    assert isinstance(events[-1], RunError) and events[-1].code == "invalid_request", events[-1]
    assert events[-1].message == stored
