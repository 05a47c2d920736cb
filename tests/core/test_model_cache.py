"""The model cache as a worker's health ping sees it: what is loaded, answered at once even mid-load."""

from __future__ import annotations

import threading
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
