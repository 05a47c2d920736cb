"""The one module that asks torch and the OS about devices: which device, free VRAM and RAM, peak use."""

from __future__ import annotations

import ctypes.util
import functools
import os
import re
import sys
from typing import Any

from reelgen.core.errors import InvalidRequest, OutOfMemory
from reelgen.core.host_memory import host_available_gib
from reelgen.core.spec.memory import GIB, DeviceInfo

_DEVICE = re.compile(r"^(cpu|cuda)(?::(\d+))?$")


def device_info(prefer: str | None = None) -> DeviceInfo:
    """The device to run on: ``prefer`` (``cpu``, ``cuda`` or ``cuda:N``), else the first GPU, else the CPU.

    A device this machine does not have is refused with the ones it has.
    """
    if no_gpu_driver():
        gpus = 0
    else:
        import torch

        gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    have = ["cpu"] + [f"cuda:{i}" for i in range(gpus)]
    if prefer is None:
        prefer = "cuda:0" if gpus else "cpu"
    if not prefer.strip():  # "--device $UNSET" was "device '' is not a device name", as if misspelt
        raise InvalidRequest(
            f"the device is empty; give cpu, cuda or cuda:N (this machine: {', '.join(have)}), or leave it out",
            param="device",
        )
    match = _DEVICE.match(prefer.strip().lower())
    if match is None:
        raise InvalidRequest(
            f"device {prefer!r} is not a device name; use cpu, cuda or cuda:N (this machine: {', '.join(have)})",
            param="device",
        )
    if match[1] == "cpu":
        return DeviceInfo("cpu", "CPU", None, None, gpus=gpus)
    index = int(match[2] or 0)
    if index >= gpus:
        found = "no CUDA GPU" if not gpus else f"{gpus} CUDA GPU(s)"
        raise InvalidRequest(
            f"device {prefer!r} is not on this machine ({found}); valid: {', '.join(have)}", param="device"
        )
    import torch

    free, total = torch.cuda.mem_get_info(index)
    return DeviceInfo(f"cuda:{index}", torch.cuda.get_device_name(index), total / GIB, free / GIB, gpus=gpus)


#: What a GPU that torch can use leaves on Linux: the NVIDIA driver's proc entry and device nodes, WSL's GPU
#: device, ROCm's compute device.
_GPU_TRACES = ("/proc/driver/nvidia", "/dev/nvidiactl", "/dev/nvidia0", "/dev/dxg", "/dev/kfd")


@functools.cache
def no_gpu_driver() -> bool:
    """Whether this is Linux with no GPU driver at all, so torch can find no GPU (it need not be imported to say so).

    Importing torch only to learn that costs a worker about 1.5 CPU-s and 300 MB before any job. Where
    the driver's files are missing but its library is installed, its loader may still load the kernel
    module on first use (nvidia-modprobe), so that case asks torch.
    """
    if sys.platform != "linux" or any(os.path.exists(path) for path in _GPU_TRACES):
        return False
    return not any(ctypes.util.find_library(name) for name in ("cuda", "amdhip64"))


def check_host_memory(model: str, need_gib: float, dtype: str) -> None:
    """Refuse, before anything loads, a CPU run whose weights alone (``need_gib`` in ``dtype``) exceed the free RAM.

    On the CPU nothing is offloaded: every weight stays in RAM for the whole run,
    so such a run would end with the kernel killing the process, with no error
    and nothing written.
    """
    available = host_available_gib()
    if available is not None and need_gib > available:
        raise OutOfMemory(
            f"{model} on the CPU needs about {need_gib:.1f} GiB of RAM for its weights in {dtype}, and "
            f"{available:.1f} GiB are available on this machine; run it on a CUDA GPU, or pick a smaller "
            "model (reelgen models lists them)"
        )


def reset_peak(device: str) -> None:
    if not device.startswith("cuda"):
        return
    import torch

    if device.startswith("cuda") and torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats(device)


def peak_gib(device: str) -> float | None:
    """Peak VRAM allocated on ``device`` since the last reset, or None on CPU."""
    if not device.startswith("cuda"):
        return None
    import torch

    if not (device.startswith("cuda") and torch.cuda.is_available()):
        return None
    return torch.cuda.max_memory_allocated(device) / GIB


def empty_cache() -> None:
    import gc

    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def torch_dtype(name: str) -> Any:
    import torch

    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]
