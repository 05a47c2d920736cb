"""A shoot-out unloads one model before the next model's first trial, so that trial's peak VRAM is its own.

``render`` resets the peak before loading, and the model cache evicted the last model only while loading
the next: the peak of each model's first trial counted the previous model's weights, still resident
when it was reset (a small model after a large one read as large in the VRAM column and its score).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reelgen.core.cache import ModelCache
from reelgen.core.errors import Cancelled
from reelgen.core.shootout import PromptsFile, run_shootout
from reelgen.core.shootout import run as shootout_run

PROMPTS = PromptsFile.model_validate({"prompts": ["a fox", "a harbour"]})


def test_the_last_model_is_unloaded_before_the_next_models_first_trial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    class Recording(ModelCache):
        def free(self, idle_seconds: float = 0.0) -> list[str]:
            seen.append("unload")
            return super().free(idle_seconds)

    def render(request: Any, out: Path, **_: Any) -> Any:
        seen.append(f"render {request.model}")
        if request.model == "ltx-tiny":  # seen what came before it: stop, no report to draw
            raise Cancelled("stopped by the test")
        raise shootout_run.InvalidRequest("not rendered in this test")

    monkeypatch.setattr(shootout_run, "ModelCache", Recording)
    monkeypatch.setattr("reelgen.core.render.render", render)
    with pytest.raises(Cancelled):
        run_shootout(["wan-tiny", "ltx-tiny"], PROMPTS, tmp_path / "compare")
    first_of_second = seen.index("render ltx-tiny")
    assert seen[:first_of_second] == ["render wan-tiny", "render wan-tiny", "unload"]
