"""A batch unloads one model before the next model's items, so their peak VRAM (video_meta.json) is their own.

Items run grouped by model; ``render`` resets the peak before loading, and the model cache evicted the
last model only while loading the next: the first item of each model after the first recorded a peak
that counted the previous model's weights.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reelgen.core.batch import run_batch
from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest


def test_the_last_model_is_unloaded_before_the_next_models_first_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    class Recording(ModelCache):
        def free(self, idle_seconds: float = 0.0) -> list[str]:
            seen.append("unload")
            return super().free(idle_seconds)

    def render(request: Any, out: Path, **_: Any) -> Any:
        seen.append(f"render {request.model}")
        raise InvalidRequest("not rendered in this test")

    monkeypatch.setattr("reelgen.core.render.render", render)
    items = [{"output": f"{model}-{n}", "model": model} for model in ("wan-tiny", "ltx-tiny") for n in (1, 2)]
    manifest = {"defaults": {"prompt": "a harbour at dawn", "num_frames": 9}, "items": items}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    run_batch(tmp_path / "manifest.json", cache=Recording())
    first_of_second = seen.index("render ltx-tiny")
    assert seen[:first_of_second] == ["render wan-tiny", "render wan-tiny", "unload"]
