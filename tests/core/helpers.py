"""Shortcuts for backend tests: resolve a request as the CLI would, load a runner, render."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reelgen.core.backends.base import Runner
from reelgen.core.cache import ModelCache
from reelgen.core.devices import device_info
from reelgen.core.progress import Progress
from reelgen.core.render import RenderResult, render
from reelgen.core.spec import registry, resolve
from reelgen.core.spec.request import GenerationRequest, ResolvedRequest
from reelgen.core.weights import locate

#: What a tqdm bar writes ("40%|####  | 2/5 [00:01<00:01, 2.01it/s]"), with or without a known total.
_PROGRESS_BAR = re.compile(r"\d+%\||\d+it \[|(it/s|s/it)\]")


def resolved(**fields: Any) -> ResolvedRequest:
    """``fields`` resolved against their model, as the CLI and the API do once at the edge."""
    return resolve(GenerationRequest.model_validate(fields))


def loaded(name: str, **fields: Any) -> Runner:
    """The runner of model ``name``, loaded on the CPU from its (tiny) weights."""
    spec, preset = registry.resolve(name)
    runner = spec.runner_class()(spec, preset)
    plan = spec.plan(preset, resolved(model=name, **fields), device_info("cpu"), None)
    runner.load(locate(spec, preset), plan)
    return runner


def run(runner: Runner, progress: Progress | None = None, **fields: Any) -> Any:
    """Frames of one ``generate`` call for ``fields`` on an already loaded runner."""
    request = resolved(model=runner.preset.name, **fields)
    return runner.generate(request, progress or Progress()).frames


def render_fields(output: Path, cache: ModelCache | None = None, **fields: Any) -> RenderResult:
    return render(resolved(**fields), output, cache=cache)


def progress_bars(text: str) -> list[str]:
    """The tqdm progress-bar pieces in captured output (diffusers draws one per call unless told not to)."""
    return [m.group(0) for m in _PROGRESS_BAR.finditer(text)]


def alike(a: Any, b: Any) -> bool:
    """Decoded frames equal to within rounding no one can see, as the README promises a replay. The
    encode is the same bits every time (``encode.x264_params``); CPU math libraries may still round a
    model's last bit differently between runs, which the encoder can carry to a level or two."""
    import numpy as np

    diff = np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16))
    return bool(a.shape == b.shape and int(diff.max()) <= 4 and float(diff.mean()) < 0.05)
