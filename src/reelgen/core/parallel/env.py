"""The environment of every process reelgen starts for a run over several GPUs."""

from __future__ import annotations

import os
import socket
from collections.abc import MutableMapping

#: NVLink multicast (NVLS) off in NCCL, torch symmetric memory and NVSHMEM. On shared multi-GPU
#: hosts a program that creates multicast objects can put the host's GPUs out of service for
#: everyone; NCCL's plain NVLink paths carry the all-to-alls and gathers of a split run.
MULTICAST_OFF: dict[str, str] = {
    "NCCL_NVLS_ENABLE": "0",
    "TORCH_SYMM_MEM_DISABLE_MULTICAST": "1",
    "NVSHMEM_DISABLE_NVLS": "1",
}

#: Where the processes of one run meet: this machine only.
MASTER_ADDR = "127.0.0.1"


def multicast_off(environ: MutableMapping[str, str] | None = None) -> None:
    """Set ``MULTICAST_OFF`` in ``environ`` (this process's by default), overriding what was there."""
    (os.environ if environ is None else environ).update(MULTICAST_OFF)


def rank_environ(rank: int, world: int, port: int) -> dict[str, str]:
    """The variables torchrun gives each process, so ``init_method="env://"`` and tools read them."""
    return {
        "MASTER_ADDR": MASTER_ADDR,
        "MASTER_PORT": str(port),
        "RANK": str(rank),
        "LOCAL_RANK": str(rank),
        "WORLD_SIZE": str(world),
        "LOCAL_WORLD_SIZE": str(world),
    }


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now (the rendezvous of one run)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((MASTER_ADDR, 0))
        return int(sock.getsockname()[1])


def usable_cores() -> int:
    """The CPU cores this process may run on: a container's ``--cpuset-cpus`` (or ``taskset``) allows fewer
    than the machine has, which ``os.cpu_count`` counts, so the CPU split started more processes than ran."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1
