"""A server on Ray prints a crash's stack (SIGSEGV in PyAV/FFmpeg decoding) though Ray's own handler is off.

Turning off Ray's SIGTERM stack dump (RAY_DISABLE_FAILURE_SIGNAL_HANDLER) turned off its
SIGSEGV, SIGABRT, SIGBUS and SIGFPE dumps too, and nothing else printed one: a segfault
in the API process ended it with no stack at all. As in test_s51_cluster_sigterm.py, no
real Ray is started: the test checks what the server sets when it joins one.
"""

from __future__ import annotations

import faulthandler
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.jobs.cluster import init_ray
from reelgen.jobs.settings import JobSettings


@pytest.fixture
def no_faulthandler() -> Iterator[None]:
    """faulthandler off, as in a server (pytest turns it on for its own run, and gets it back)."""
    faulthandler.disable()
    try:
        yield
    finally:
        faulthandler.disable()
        faulthandler.enable(file=sys.__stderr__)


def test_joining_ray_turns_on_pythons_crash_stack_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_faulthandler: None
) -> None:
    import ray
    from ray._private import ray_constants

    monkeypatch.setattr(ray_constants, "RAY_DISABLE_FAILURE_SIGNAL_HANDLER", False)
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    joined: list[tuple[bool, bool]] = []
    monkeypatch.setattr(
        ray,
        "init",
        lambda *a, **k: joined.append(
            (ray_constants.RAY_DISABLE_FAILURE_SIGNAL_HANDLER, faulthandler.is_enabled())
        ),
    )
    assert not faulthandler.is_enabled()
    init_ray(JobSettings(data_dir=tmp_path, ray_address="127.0.0.1:6380"))
    # Ray's handler off and Python's on, both before Ray is joined.
    assert joined == [(True, True)]
