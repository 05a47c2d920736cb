"""A model loaded in place of another counts only its own weights in the job's peak VRAM.

``render`` resets the peak before it asks the cache for a runner, and the cache unloaded the last
model only then: every render that switched models (a server worker's next job, a batch's or
shoot-out's next model) reported a peak holding the previous model's weights too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reelgen.core.cache import ModelCache


@dataclass
class _Plan:
    strategy: str = "gpu"
    device: str = "cuda:0"
    dtype: str = "bfloat16"
    recipe: str = ""


@dataclass
class _Named:
    name: str


@dataclass
class _Source:
    path: Path


def _runner_class(said: list[str]) -> Any:
    class Runner:
        uses_hub_libraries = False

        def __init__(self, spec: Any, preset: _Named) -> None:
            self.name = preset.name

        def load(self, source: Any, plan: Any) -> None:
            said.append(f"load {self.name}")

        def release(self) -> None:
            said.append(f"unload {self.name}")

    return Runner


def test_the_peak_is_reset_once_the_last_model_is_unloaded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    said: list[str] = []
    monkeypatch.setattr("reelgen.core.cache.reset_peak", lambda device: said.append(f"reset {device}"))
    monkeypatch.setattr("reelgen.core.cache.empty_cache", lambda: None)

    class Spec:
        def runner_class(self) -> Any:
            return _runner_class(said)

    cache = ModelCache(max_models=1)
    for name in ("wan-1.3b", "ltx-2b"):
        cache.acquire(Spec(), _Named(name), _Source(tmp_path / name), _Plan())  # type: ignore[arg-type]
    assert said == ["load wan-1.3b", "unload wan-1.3b", "reset cuda:0", "load ltx-2b"]
