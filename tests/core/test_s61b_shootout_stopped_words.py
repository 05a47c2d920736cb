"""A shoot-out stopped part-way says where its clips are only when it made some.

"the clips made so far are in <folder>/clips" was said after trials that had all failed: no clip was made.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import Cancelled
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.shootout import run_shootout
from reelgen.core.shootout.spec import PromptsFile

SMALL = {"width": 64, "height": 64, "num_frames": 9, "steps": 1}


def _stopped_after_the_first_trial(models: list[str], folder: Path) -> str:
    progress = Progress()

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "shootout":  # the first trial has ended: the next check stops the run
            progress.cancel.cancel("cancelled with Ctrl-C")

    progress.on_event = on_event
    prompts = PromptsFile.model_validate({"prompts": ["a red circle", "a blue square"], "settings": SMALL})
    with pytest.raises(Cancelled) as caught:
        run_shootout(models, prompts, folder, progress=progress, device="cpu")
    return caught.value.message


def test_a_stop_after_only_failed_trials_says_no_clip_was_made(tmp_path: Path) -> None:
    # svd-tiny takes only a start image: its trial on a text prompt fails as planned, making no clip.
    message = _stopped_after_the_first_trial(["svd-tiny", "ltx-tiny"], tmp_path / "report")
    assert message == "shoot-out cancelled with Ctrl-C after 1 of 4 trial(s): no report was written", message
    assert not list((tmp_path / "report").glob("clips/*.mp4"))


def test_a_stop_after_a_finished_trial_says_where_its_clip_is(tmp_path: Path) -> None:
    folder = tmp_path / "report"
    message = _stopped_after_the_first_trial(["ltx-tiny", "svd-tiny"], folder)
    assert message == (
        "shoot-out cancelled with Ctrl-C after 1 of 4 trial(s): no report was written; the clips made so far "
        f"are in {folder.resolve() / 'clips'} (finished: ltx-tiny--p1)"
    ), message
    assert [p.name for p in (folder / "clips").glob("*.mp4")] == ["ltx-tiny--p1.mp4"]
