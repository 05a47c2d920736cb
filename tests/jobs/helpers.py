"""Small helpers of the job tests: a stored-looking request and a bounded wait for a condition."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from reelgen.core.spec.request import GenerationRequest

T = TypeVar("T")


def request(prompt: str = "a red fox", **kwargs: object) -> GenerationRequest:
    """A resolved-looking request, as the service stores it."""
    fields: dict[str, object] = dict(
        model="jobtest-tiny", prompt=prompt, width=32, height=32, num_frames=5, fps=8.0, seed=1
    )
    fields.update(kwargs)
    return GenerationRequest.model_validate(fields)


def wait_for(probe: Callable[[], T | None], timeout_s: float = 120.0, what: str = "condition") -> T:
    """Poll ``probe`` until it returns something truthy; fail the test after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:g} s waiting for {what}")
        time.sleep(0.05)
