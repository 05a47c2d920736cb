"""One process's place in a run over several devices: joining, the device mesh, a shared cancel, leaving."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any, Protocol

import torch
import torch.distributed as dist

from reelgen.core.progress import CancelToken

#: How long a process waits for the others at a collective before the run fails. Loading a
#: 14B model on one rank while another waits at the first collective takes minutes.
TIMEOUT = dt.timedelta(minutes=20)


class StopFlag(Protocol):
    """The parent's cancel, shared with every process (a ``multiprocessing.Event``)."""

    def is_set(self) -> bool: ...


@dataclass
class RankGroup:
    """This process's rank, its device, and the process groups of the run.

    ``control`` is a gloo group beside the device group: cancel votes and small records
    travel over it without a device synchronisation.
    """

    rank: int
    world: int
    device: str
    backend: str
    control: Any

    @property
    def on_cuda(self) -> bool:
        return self.device.startswith("cuda")

    @property
    def leader(self) -> bool:
        """Rank 0 writes the video and the record."""
        return self.rank == 0

    def mesh(self, cfg: int, ring: int, ulysses: int) -> Any:
        """The ("cfg", "ring", "ulysses") device mesh; diffusers reads the last two dimensions."""
        from torch.distributed.device_mesh import init_device_mesh

        return init_device_mesh(
            "cuda" if self.on_cuda else "cpu", (cfg, ring, ulysses), mesh_dim_names=("cfg", "ring", "ulysses")
        )

    def gather(self, item: Any) -> list[Any]:
        """``item`` from every rank, in rank order (over the control group)."""
        items: list[Any] = [None] * self.world
        dist.all_gather_object(items, item, group=self.control)
        return items


def join(cuda: bool) -> RankGroup:
    """Join the run whose torchrun variables (RANK, WORLD_SIZE, MASTER_*) this process was started with."""
    rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    if cuda:
        local = int(os.environ["LOCAL_RANK"])
        torch.cuda.set_device(local)
        device = f"cuda:{local}"
        dist.init_process_group(
            "nccl", rank=rank, world_size=world, timeout=TIMEOUT, device_id=torch.device(device)
        )
        control = dist.new_group(backend="gloo", timeout=TIMEOUT)
        return RankGroup(rank, world, device, "nccl", control)
    dist.init_process_group("gloo", rank=rank, world_size=world, timeout=TIMEOUT)
    return RankGroup(rank, world, "cpu", "gloo", dist.group.WORLD)


def leave() -> None:
    """Tear the process groups down; every process calls this on its way out."""
    if dist.is_initialized():
        dist.destroy_process_group()


class GroupCancel(CancelToken):
    """A cancel every process acts on at the same step, so none is left waiting in a collective.

    While ``together`` (the denoising loop, where every process runs the same steps) each
    check is a vote over the control group: if the parent asked any process to stop, all
    raise at this check. Rank 0 runs the rest of the recipe alone and checks only the flag.
    """

    def __init__(self, stop: StopFlag, group: RankGroup) -> None:
        super().__init__()
        self.stop = stop
        self.group = group
        self.together = True

    def check(self) -> None:
        if self.together:
            vote = torch.tensor([int(self.stop.is_set())])
            dist.all_reduce(vote, op=dist.ReduceOp.MAX, group=self.group.control)
            asked = bool(vote.item())
        else:
            asked = self.stop.is_set()
        if asked:
            self.cancel()
        super().check()
