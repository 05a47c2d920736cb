"""A shoot-out stopped part way into a folder that held an earlier report leaves no report at all.

The earlier report.html and results.json stayed beside the clips the new run had already replaced,
so the report told the old clips' numbers (seed, frames, scores) of files that were no longer them,
while the Ctrl-C message said "no report was written".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import Cancelled
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.shootout import PromptsFile, run_shootout
from reelgen.core.shootout import run as shootout_run
from reelgen.core.shootout.plan import Trial
from reelgen.core.shootout.results import TrialResult, failed_result

PROMPTS = PromptsFile.model_validate({"prompts": ["a fox", "a harbour"]})


def test_a_stopped_shootout_leaves_no_earlier_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "compare"
    (folder / "clips").mkdir(parents=True)
    (folder / "report.html").write_text("<p>the earlier run</p>")
    (folder / "results.json").write_text('{"trials": []}')

    def trial_in_place(trial: Trial, folder: Path, price: float, **_: object) -> TrialResult:
        (folder / "clips" / f"{trial.key}.mp4").write_bytes(b"a new clip")  # replaces the earlier one
        return failed_result(trial, {"message": "not rendered in this test", "code": "test"})

    monkeypatch.setattr(shootout_run, "run_trial", trial_in_place)
    progress = Progress()

    def stop_after_first_trial(event: ProgressEvent) -> None:
        if event.stage == "shootout":
            progress.cancel.cancel("cancelled with Ctrl-C")

    progress.on_event = stop_after_first_trial
    with pytest.raises(Cancelled) as caught:
        run_shootout(["wan-tiny"], PROMPTS, folder, progress=progress)
    assert "no report was written" in caught.value.message
    assert not (folder / "report.html").exists()
    assert not (folder / "results.json").exists()
    assert (folder / "clips" / "wan-tiny--p1.mp4").read_bytes() == b"a new clip"
