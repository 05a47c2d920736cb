"""Small helpers of the job tests: a resolved request stored as a render job, and a bounded wait."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.jobs import kinds
from reelgen.jobs.records import Job
from reelgen.jobs.store import JobStore, fingerprint

T = TypeVar("T")


def request(prompt: str = "a red fox", **kwargs: Any) -> ResolvedRequest:
    """A resolved request as the API stores it (its model need not be installed: nothing renders it)."""
    fields: dict[str, Any] = dict(
        model="jobtest-tiny",
        task=Task.T2V,
        prompt=prompt,
        negative_prompt="",
        width=32,
        height=32,
        num_frames=5,
        fps=8.0,
        steps=3,
        guidance=1.0,
        guidance_2=1.0,
        seed=1,
    )
    fields.update(kwargs)
    return ResolvedRequest.model_validate(fields)


def create(store: JobStore, req: ResolvedRequest | None = None, **options: Any) -> Job:
    """``store.create`` for a render job of ``req`` (default: ``request()``)."""
    req = req or request()
    render = kinds.get(kinds.RENDER)
    payload = render.dump(req)
    if options.get("idempotency_key") is not None:
        options.setdefault("body_fingerprint", fingerprint(payload))
    return store.create(kinds.RENDER, payload, render.facts(req), **options)


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
