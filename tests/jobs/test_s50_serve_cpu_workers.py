"""REELGEN_CPU_WORKERS is bounded: 1000 started 1000 worker processes, each loading its own model."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reelgen.api.settings import setting_problem
from reelgen.jobs import settings as job_settings
from reelgen.jobs.settings import JobSettings


@pytest.fixture(autouse=True)
def _no_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(job_settings, "no_gpu_driver", lambda: True)


def _said(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        JobSettings()
    return setting_problem(caught.value, JobSettings, {})


def test_a_thousand_cpu_workers_are_refused_with_the_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(job_settings, "usable_cores", lambda: 256)
    assert _said(monkeypatch, {"REELGEN_CPU_WORKERS": "1000", "REELGEN_ENGINE": "local"}) == (
        "REELGEN_CPU_WORKERS='1000': too large; it takes a whole number from 1 to 64 (default 1)"
    )


def test_more_local_cpu_workers_than_cores_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(job_settings, "usable_cores", lambda: 2)
    assert _said(monkeypatch, {"REELGEN_CPU_WORKERS": "3", "REELGEN_ENGINE": "local"}) == (
        "REELGEN_CPU_WORKERS='3': at most 2 here, the CPU cores reelgen may use (each worker's job "
        "already runs on all of them, so more workers only take turns, each holding a model in "
        "memory) (default 1)"
    )
    assert JobSettings(engine="local", cpu_workers=2).cpu_workers == 2


def test_a_ray_cluster_counts_its_own_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    # The workers are actors on the cluster's machines, not processes here.
    monkeypatch.setattr(job_settings, "usable_cores", lambda: 2)
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.5:6380")
    assert JobSettings(cpu_workers=8).cpu_workers == 8
    assert JobSettings(engine="ray", cpu_workers=8).cpu_workers == 8


def test_a_private_ray_takes_as_many_cpu_workers_as_it_has_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each worker actor asks the private Ray for one CPU: a third worker on two never started, and
    # GET /v1/system showed it down for ever with nothing said.
    monkeypatch.setattr(job_settings, "usable_cores", lambda: 8)
    assert _said(
        monkeypatch, {"REELGEN_CPU_WORKERS": "3", "REELGEN_ENGINE": "ray", "REELGEN_RAY_NUM_CPUS": "2"}
    ) == (
        "REELGEN_CPU_WORKERS='3': at most 2 with REELGEN_RAY_NUM_CPUS=2: each worker takes one of the "
        "private Ray's CPUs, and one past them never starts (default 1)"
    )
    monkeypatch.delenv("REELGEN_RAY_NUM_CPUS")
    monkeypatch.setattr(job_settings, "usable_cores", lambda: 2)
    assert _said(monkeypatch, {"REELGEN_CPU_WORKERS": "3"}) == (
        "REELGEN_CPU_WORKERS='3': at most 2 here, the CPU cores reelgen may use (each worker's job "
        "already runs on all of them, so more workers only take turns, each holding a model in "
        "memory) (default 1)"
    )


def test_a_gpu_machine_is_not_held_to_its_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    # Workers there are one per GPU and REELGEN_CPU_WORKERS is not read: a unit file's 8 stopped serve.
    monkeypatch.setattr(job_settings, "usable_cores", lambda: 4)
    monkeypatch.setattr(job_settings, "no_gpu_driver", lambda: False)
    assert JobSettings(engine="local", cpu_workers=8).cpu_workers == 8
    assert JobSettings(engine="ray", ray_num_cpus=2, cpu_workers=8).cpu_workers == 8
