"""A Linux machine with no GPU driver runs on the CPU without importing torch to find that out."""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys

import pytest

from reelgen.core import devices


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A Linux machine whose files and libraries the test sets (none by default)."""
    held: dict[str, object] = {"files": set(), "libraries": set()}
    monkeypatch.setattr(devices.sys, "platform", "linux")
    monkeypatch.setattr(devices.os.path, "exists", lambda path: path in held["files"])
    monkeypatch.setattr(
        ctypes.util, "find_library", lambda name: f"lib{name}.so" if name in held["libraries"] else None
    )
    return held


def no_driver() -> bool:
    return devices.no_gpu_driver.__wrapped__()


def test_no_driver_files_and_no_driver_library_means_no_gpu(machine: dict[str, set[str]]) -> None:
    assert no_driver()


@pytest.mark.parametrize(
    "trace", ["/proc/driver/nvidia", "/dev/nvidia0", "/dev/nvidiactl", "/dev/dxg", "/dev/kfd"]
)
def test_any_trace_of_a_driver_asks_torch(machine: dict[str, set[str]], trace: str) -> None:
    machine["files"].add(trace)
    assert not no_driver()


@pytest.mark.parametrize("library", ["cuda", "amdhip64"])
def test_a_driver_library_without_its_device_files_asks_torch(
    machine: dict[str, set[str]], library: str
) -> None:
    # nvidia-modprobe may load the kernel module (and make the device files) on CUDA's first use.
    machine["libraries"].add(library)
    assert not no_driver()


def test_other_systems_ask_torch(machine: dict[str, set[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices.sys, "platform", "win32")
    assert not no_driver()


def test_a_worker_on_such_a_machine_says_cpu_without_importing_torch(tmp_path: object) -> None:
    script = """
import ctypes.util, json, sys, types
from reelgen.core import devices
devices._GPU_TRACES = ()
devices.sys = types.SimpleNamespace(platform="linux")
ctypes.util.find_library = lambda name: None
from reelgen.jobs.worker import VideoWorker
info = VideoWorker("w1", scratch=sys.argv[1]).info()
print(json.dumps({"device": info["device"], "vram": info["total_vram_gib"], "torch": "torch" in sys.modules}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60, check=True,
        env={**os.environ, "CUDA_VISIBLE_DEVICES": ""},
    )  # fmt: skip
    assert json.loads(out.stdout) == {"device": "cpu", "vram": None, "torch": False}


def test_a_cuda_device_asked_of_such_a_machine_is_refused_naming_the_cpu(
    machine: dict[str, set[str]],
) -> None:
    devices.no_gpu_driver.cache_clear()
    try:
        with pytest.raises(
            devices.InvalidRequest, match=r"'cuda:0' is not on this machine \(no CUDA GPU\); valid: cpu"
        ):
            devices.device_info("cuda:0")
    finally:
        devices.no_gpu_driver.cache_clear()
