"""Keeps loaded models between renders and unloads the idle ones when another needs the memory."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from reelgen.core.backends.base import Runner
from reelgen.core.backends.plumbing import silence_library_bars
from reelgen.core.devices import check_host_memory, empty_cache, reset_peak
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.weight_size import float32_gib
from reelgen.core.weights import WeightSource


@dataclass
class _Entry:
    runner: Runner
    key: tuple[str, str, str]
    last_used: float = field(default_factory=time.monotonic)


class ModelCache:
    """Loaded runners keyed by (model, weights path, placement), least recently used first out.

    ``max_models`` bounds how many stay resident; a worker sets it from its
    VRAM. A model is reloaded when its plan's placement changes (e.g. after
    an out-of-memory step down).
    """

    def __init__(self, max_models: int = 1) -> None:
        self.max_models = max_models
        self._entries: OrderedDict[tuple[str, str, str], _Entry] = OrderedDict()
        # Held for a whole load (seconds to minutes), so callers who only look read ``_view``:
        # a copy of the entries swapped in after every change, never waiting for a load.
        self._lock = threading.RLock()
        self._view: tuple[_Entry, ...] = ()

    @staticmethod
    def _key(preset: Preset, source: WeightSource, plan: MemoryPlan) -> tuple[str, str, str]:
        placement = f"{plan.strategy}:{plan.device}:{plan.dtype}:{plan.recipe}"
        return (preset.name, str(source.path), placement)

    def acquire(
        self, spec: FamilySpec, preset: Preset, source: WeightSource, plan: MemoryPlan
    ) -> tuple[Runner, bool]:
        """A loaded runner for ``preset`` placed by ``plan``; the flag says whether it was cached."""
        key = self._key(preset, source, plan)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                entry.last_used = time.monotonic()
                self._entries.move_to_end(key)
                self._publish()
                return entry.runner, True
            # Another placement of the same model, or the oldest models, make room.
            others = [k for k in self._entries if k[0] == preset.name]
            oldest = [k for k in self._entries if k not in others]
            evicted = [*others, *oldest[: max(0, len(oldest) + 1 - self.max_models)]]
            self._evict(evicted)
            if evicted:  # render reset the peak while they were resident: the job's peak counted them
                reset_peak(plan.device)
            if plan.device == "cpu":  # every weight stays in RAM there, in float32
                check_host_memory(preset.name, float32_gib(source), "float32")
            runner_class = spec.runner_class()
            if runner_class.uses_hub_libraries:
                silence_library_bars()
            runner = runner_class(spec, preset)
            runner.load(source, plan)
            runner.source, runner.plan = source, plan
            self._entries[key] = _Entry(runner, key)
            self._publish()
            return runner, False

    def _evict(self, keys: list[tuple[str, str, str]]) -> None:
        """Unload ``keys``' runners with one collection for them all: a full ``gc.collect`` walks every
        object the libraries hold (about 0.4 s on a CPU), and a server freeing idle models paid it per model."""
        entries = [entry for key in keys if (entry := self._entries.pop(key, None)) is not None]
        self._publish()
        for entry in entries:
            entry.runner.release()
        if entries:
            empty_cache()

    def drop(self, preset: Preset) -> None:
        """Unload every placement of ``preset`` (e.g. before retrying on a lower rung)."""
        with self._lock:
            self._evict([k for k in self._entries if k[0] == preset.name])

    def free(self, idle_seconds: float = 0.0) -> list[str]:
        """Unload models unused for ``idle_seconds``; returns their names."""
        now = time.monotonic()
        with self._lock:
            stale = [k for k, e in self._entries.items() if now - e.last_used >= idle_seconds]
            self._evict(stale)
        return [k[0] for k in stale]

    def loaded(self) -> list[dict[str, Any]]:
        """The resident models, answered at once even while another one loads (a worker's health ping
        asks this; waiting out a load made a busy worker look dead)."""
        now = time.monotonic()
        return [
            {"model": e.key[0], "placement": e.key[2], "idle_s": round(now - e.last_used, 1)}
            for e in self._view
        ]

    def _publish(self) -> None:
        self._view = tuple(self._entries.values())
