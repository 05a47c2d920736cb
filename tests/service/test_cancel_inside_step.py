"""A cancel that arrives in the middle of a denoising step stops the run at the next transformer block."""

from __future__ import annotations

from typing import Any

import pytest

from reelgen.core.errors import Cancelled
from reelgen.core.progress import Progress, ProgressEvent
from tests.core.helpers import loaded, run


def test_a_cancel_during_a_step_stops_at_the_next_block() -> None:
    runner = loaded("wan-tiny")
    pipe: Any = runner.pipe
    blocks = [m for m in pipe.transformer.modules() if type(m).__name__ == "WanTransformerBlock"]
    assert len(blocks) >= 2
    events: list[ProgressEvent] = []
    progress = Progress(on_event=events.append)
    finished: list[int] = []
    # The cancel arrives as the first block of the first step finishes; nothing after it may run.
    blocks[0].register_forward_hook(lambda *_: progress.cancel.cancel("cancelled"))
    for i, block in enumerate(blocks):
        block.register_forward_hook(lambda *_, i=i: finished.append(i))
    with pytest.raises(Cancelled, match="no file was written"):
        run(runner, progress, prompt="a fox", steps=4)
    assert finished == [0]  # the second block never ran: the step was cut, not finished
    assert [e.step for e in events if e.stage == "denoise"] == [0]  # no step completed


def test_the_blocks_check_nothing_outside_a_run() -> None:
    runner = loaded("wan-tiny")
    progress = Progress()
    assert run(runner, progress, prompt="a fox", steps=2).shape[0] == 9
    progress.cancel.cancel("cancelled")  # a token of a finished run must not stop the next one
    assert run(runner, Progress(), prompt="a fox", steps=2).shape[0] == 9
