"""The model cache as a worker's health ping sees it: what is loaded, answered at once even mid-load."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from reelgen.core.cache import ModelCache
from reelgen.core.devices import device_info
from reelgen.core.spec import registry
from reelgen.core.weights import locate
from tests.core.helpers import resolved


def test_loaded_models_are_listed_at_once_while_another_model_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A load holds the cache for seconds to minutes; a ping that waited behind it (it did) made a
    busy worker look dead and the service answer 503 on /readyz."""
    spec, preset = registry.resolve("ltx-tiny")
    started, release = threading.Event(), threading.Event()

    def slow_load(self: Any, source: Any, plan: Any) -> None:
        started.set()
        release.wait(30)

    monkeypatch.setattr(spec.runner_class(), "load", slow_load)
    cache = ModelCache(max_models=2)
    plan = spec.plan(preset, resolved(model="ltx-tiny"), device_info("cpu"), None)
    loader = threading.Thread(target=cache.acquire, args=(spec, preset, locate(spec, preset), plan))
    loader.start()
    try:
        assert started.wait(10)
        answers: list[list[dict[str, Any]]] = []
        asker = threading.Thread(target=lambda: answers.append(cache.loaded()))
        asker.start()
        asker.join(2)
        assert answers == [[]], "loaded() waited for the load to end"
    finally:
        release.set()
        loader.join(10)
    assert [entry["model"] for entry in cache.loaded()] == ["ltx-tiny"]
    cache.free()
    assert cache.loaded() == []


def test_a_cpu_model_larger_than_the_free_ram_is_refused_before_it_loads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On the CPU every weight stays in RAM: a model that cannot fit would be killed by the kernel mid-load,
    with no error. It is refused up front, saying what it needs and what there is; nothing is written."""
    from reelgen.core import devices
    from reelgen.core.errors import OutOfMemory
    from reelgen.core.render import render
    from reelgen.core.weight_size import float32_gib

    spec, preset = registry.resolve("ltx-tiny")
    weights = float32_gib(locate(spec, preset))
    assert weights > 0
    monkeypatch.setattr(devices, "host_available_gib", lambda: weights * 0.9)
    out = tmp_path / "clip.mp4"
    with pytest.raises(OutOfMemory) as refused:
        render(resolved(model="ltx-tiny"), out, cache=ModelCache())
    message = str(refused.value)
    assert message.startswith(
        f"ltx-tiny on the CPU needs about {weights:.1f} GiB of RAM for its weights in float32"
    )
    assert f"{weights * 0.9:.1f} GiB are available" in message and "CUDA GPU" in message
    assert list(tmp_path.iterdir()) == []

    # With room it loads; once resident it is not measured against RAM it now fills itself.
    cache = ModelCache()
    plan = spec.plan(preset, resolved(model="ltx-tiny"), device_info("cpu"), None)
    monkeypatch.setattr(devices, "host_available_gib", lambda: weights * 2)
    runner, cached = cache.acquire(spec, preset, locate(spec, preset), plan)
    monkeypatch.setattr(devices, "host_available_gib", lambda: 0.0)
    again, cached = cache.acquire(spec, preset, locate(spec, preset), plan)
    assert cached and again is runner


def test_freeing_several_idle_models_collects_once_and_releases_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unload ran a full garbage collection (about 0.4 s with the libraries loaded), so a server
    freeing three idle models paused for three; the weights are released first, then collected once."""
    from reelgen.core import cache as cache_module
    from reelgen.core.cache import _Entry

    collections: list[int] = []
    monkeypatch.setattr(cache_module, "empty_cache", lambda: collections.append(1))

    class Held:
        released = False

        def release(self) -> None:
            self.released = True

    cache = ModelCache(max_models=3)
    runners = [Held() for _ in range(3)]
    for i, runner in enumerate(runners):
        cache._entries[(f"model-{i}", "/weights", "cpu")] = _Entry(runner, (f"model-{i}", "/weights", "cpu"))  # type: ignore[arg-type]
    assert cache.free() == ["model-0", "model-1", "model-2"]
    assert all(r.released for r in runners) and collections == [1]
    assert cache.free() == [] and collections == [1]  # nothing freed: nothing to collect
