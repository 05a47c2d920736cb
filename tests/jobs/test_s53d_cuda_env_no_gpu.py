"""CUDA_VISIBLE_DEVICES on a machine with no GPU driver: the local engine runs CPU workers, and says why.

Each id it listed became a "GPU worker" that ran on the CPU: REELGEN_CPU_WORKERS
was ignored (CUDA_VISIBLE_DEVICES=0 gave one worker whatever it said), and
/v1/system said "gpus": 1 while the worker's device was "cpu", so each job's
gpu_seconds (and its cost at REELGEN_PRICE_PER_GPU_HOUR) counted CPU time.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from reelgen.jobs import local
from reelgen.jobs.local import visible_gpus
from reelgen.jobs.settings import JobSettings


def test_listed_gpus_without_a_driver_give_cpu_workers_and_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(local, "no_gpu_driver", lambda: True)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1")
    with caplog.at_level(logging.WARNING, logger="reelgen.jobs.local"):
        assert visible_gpus(JobSettings(data_dir=tmp_path)) == []
    assert caplog.messages == [
        "CUDA_VISIBLE_DEVICES=0,1 names GPUs, but this machine has no GPU driver; running CPU workers "
        "(REELGEN_CPU_WORKERS)"
    ]


def test_listed_gpus_with_a_driver_are_each_a_worker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(local, "no_gpu_driver", lambda: False)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1")
    assert visible_gpus(JobSettings(data_dir=tmp_path)) == ["0", "1"]
