"""``render`` over several devices: check, start one process per device torchrun-style, relay, clean up.

The parent loads nothing. It refuses what cannot run before any process starts,
finds the weights once, then starts N fresh processes (``python -m
reelgen.core.parallel FD``, as torchrun starts scripts: nothing of the caller's main
module is re-imported; forked from a template that has torch imported, see
``reelgen.core.prefork``) with torchrun's variables and a pipe each. It relays rank
0's progress, turns its own cancel into one every process acts on at the same
step, and stops them all on the first failure. Rank 0 writes the video and its
record; the parent returns them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import subprocess
from multiprocessing import Pipe
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from reelgen.core import prefork, weights
from reelgen.core.errors import Cancelled, GenerationFailed, InvalidRequest
from reelgen.core.parallel.configs import read_configs, video_tokens
from reelgen.core.parallel.env import MULTICAST_OFF, free_port, rank_environ, usable_cores
from reelgen.core.parallel.job import RankJob
from reelgen.core.parallel.layout import (
    FAMILIES,
    ParallelOptions,
    cfg_degree,
    check_family,
    check_split,
    need_cuda_for_ring,
    plan_layout,
)
from reelgen.core.progress import Progress
from reelgen.core.spec import registry
from reelgen.core.spec.request import ResolvedRequest, Task

if TYPE_CHECKING:
    from reelgen.core.render import RenderResult

log = logging.getLogger(__name__)

#: How often the parent looks at its cancel token and at processes that died without a word.
POLL_S = 0.2
#: How long a process may take to exit once the run is over before it is stopped.
EXIT_GRACE_S = 30.0


def gpu_count() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def check_count(gpus: object) -> None:
    """Refuse a process count that is not a whole number of at least 1.

    ``gpus=True`` or ``2.0`` from Python passed the old ``gpus < 1`` check and failed inside the
    started processes ("invalid literal for int() with base 10: 'True'").
    """
    if isinstance(gpus, bool) or not isinstance(gpus, int) or gpus < 1:
        raise InvalidRequest(f"--gpus must be a whole number of 1 or more, not {gpus!r}", param="gpus")


def check_devices(gpus: int, device: str | None) -> bool:
    """Whether the run goes on CUDA GPUs (else CPU processes over gloo); refuses what this machine lacks."""
    check_count(gpus)
    name = (device or "cuda").strip().lower()
    kind = re.fullmatch(r"(cpu|cuda)(?::\d+)?", name)
    if kind is None:  # "gpu", "cuda:x": it was told the machine had no GPU, or to pick GPUs another way
        raise InvalidRequest(
            f"device {device!r} is not a device name; a run over several GPUs takes --device cuda "
            "(the default) or cpu",
            param="device",
        )
    if kind[1] == "cpu":  # "cpu:0" is the CPU, as a one-device run reads it, not a GPU to look for
        return False
    have = gpu_count()
    # Said before the advice on picking GPUs, which means nothing on a machine without any.
    if name != "cuda" and have:
        raise InvalidRequest(
            f"a run over {gpus} GPUs takes cuda:0 to cuda:{gpus - 1}; choose which GPUs those are with "
            f"CUDA_VISIBLE_DEVICES, not --device {device}",
            param="device",
        )
    if gpus > have:
        found = "no CUDA GPU" if not have else f"{have} CUDA GPU{'s' if have > 1 else ''}"
        raise InvalidRequest(
            f"--gpus {gpus} asks for {gpus} GPUs but this machine has {found}; "
            + (f"use --gpus {have} or fewer" if have > 1 else "use --gpus 1"),
            param="gpus",
        )
    return True


def check_cpu_processes(processes: int) -> None:
    """Refuse more CPU processes than cores: each loads the whole model, and nothing capped `--gpus 500`."""
    have = usable_cores()
    most = max(2, have)  # two always: the split's own check runs even on a one-core machine
    if processes > most:
        raise InvalidRequest(
            f"--gpus {processes} --device cpu would start {processes} CPU processes, each holding the whole "
            f"model, on a machine with {have} CPU core{'s' if have > 1 else ''}; use --gpus {most} or fewer "
            "(the CPU split is for checking it, not for speed)",
            param="gpus",
        )


def check_layout(
    request: ResolvedRequest, source: weights.WeightSource, gpus: int, options: ParallelOptions, cuda: bool
) -> None:
    """Refuse, from the model's configs, a count its heads or this video's tokens cannot be shared by.

    The processes found both only once each had loaded the model: Wan 1.3B's 12 heads over 5
    GPUs, and over 8 without guidance halves (Ulysses 4 with a ring of 2) a video whose tokens
    do not divide by 8. The layout is planned here as they will plan it.
    """
    configs = read_configs(source)
    try:
        heads = configs.heads if configs else None
    except (KeyError, ValueError, TypeError):
        heads = None  # the processes read it from the loaded model and refuse there
    if configs is None or not heads:
        return
    spec, preset = registry.resolve(request.model)
    tokens = video_tokens(FAMILIES[spec.family], spec, preset, configs, request)
    plan_layout(gpus, request.guidance, heads, tokens, options, cuda)


def render_parallel(
    request: ResolvedRequest,
    output: str | Path | None = None,
    *,
    gpus: int,
    progress: Progress | None = None,
    vram_budget_gib: float | None = None,
    device: str | None = None,
    options: ParallelOptions | None = None,
) -> RenderResult:
    """Make the video ``request`` describes with one process per GPU; returns rank 0's ``RenderResult``.

    ``device`` is None or ``cuda`` (GPUs cuda:0 .. cuda:gpus-1 of those visible) or ``cpu``
    (``gpus`` CPU processes over gloo: the same code paths, for tests and debugging).
    ``vram_budget_gib`` applies to each GPU.
    """
    from reelgen.core.backends.source_clip import check_long_enough
    from reelgen.core.render import check_not_an_input, check_output, default_output

    progress = progress or Progress()

    # 1. Refuse what cannot run before any process starts or anything loads.
    check_count(gpus)  # before any message says "over True GPUs"
    spec, preset = registry.resolve(request.model)
    traits = check_family(spec.family, spec.label, gpus)
    cuda = check_devices(gpus, device)
    options = options or ParallelOptions()
    if options.attention == "ring":
        need_cuda_for_ring(cuda)
    cfg = cfg_degree(gpus, request.guidance, options.cfg)
    check_split(traits, preset.name, preset.variant, gpus, cfg)
    if not cuda:
        check_cpu_processes(gpus)
    out_path = Path(output) if output is not None else default_output(preset.name, request.seed)
    check_output(out_path)
    check_not_an_input(out_path, request)
    if request.task is Task.V2V:  # as one device's render says it: before N processes load the model
        check_long_enough(request, spec.rules_for(preset))

    # 2. Find the weights once (a tiny model is built here, not by every process at once).
    source = weights.locate(spec, preset, request.weights)
    check_layout(request, source, gpus, options, cuda)

    # 3. One process per device; rank 0's result comes back.
    job = RankJob(
        request=request,
        output=out_path,
        world=gpus,
        port=free_port(),
        cuda=cuda,
        options=options,
        vram_budget_gib=vram_budget_gib,
        preview_every=progress.preview_every,
    )
    return _run(job, progress)


def _run(job: RankJob, progress: Progress) -> RenderResult:
    processes: list[_Process] = []
    finished = False
    try:
        for rank in range(job.world):
            processes.append(_Process.start(rank, job))
        result = _collect(processes, progress)
        finished = True
        return result
    finally:
        _stop_all(processes, EXIT_GRACE_S if finished else 0.0)


class _Process:
    """One started process and the parent's end of its pipe."""

    def __init__(self, rank: int, popen: subprocess.Popen[bytes] | prefork.Forked, conn: Connection) -> None:
        self.rank, self.popen, self.conn = rank, popen, conn
        self.open = True

    @classmethod
    def start(cls, rank: int, job: RankJob) -> _Process:
        """``python -m reelgen.core.parallel`` with torchrun's variables, multicast off, and the pipe."""
        ours, theirs = Pipe(duplex=True)
        env = {**os.environ, **MULTICAST_OFF, **rank_environ(rank, job.world, job.port)}
        # Forked from a process that has torch imported already (see reelgen.core.prefork): each rank
        # started a fresh interpreter that spent seconds importing it before the run could begin.
        popen = prefork.spawn(
            "reelgen.core.parallel", env=env, fds=[theirs.fileno()], title=f"reelgen-rank-{rank}"
        )
        theirs.close()
        ours.send(job)
        return cls(rank, popen, ours)

    def stop(self) -> None:
        """Ask the process to cancel at its next step (it may already be gone)."""
        with contextlib.suppress(OSError):
            self.conn.send("stop")


def _collect(processes: list[_Process], progress: Progress) -> RenderResult:
    """Relay events until rank 0's result; raise the first error any process reports."""
    stopping = False
    while True:
        if progress.cancel.cancelled and not stopping:
            stopping = True
            for process in processes:
                process.stop()
        ready = wait([p.conn for p in processes if p.open], timeout=POLL_S)
        for process in [p for p in processes if p.conn in ready]:
            try:
                message = process.conn.recv()
            # It exited; a failure without a word is raised here. A process killed with data
            # unread in its pipe resets it: that came out as "internal error (ConnectionResetError)".
            except (EOFError, ConnectionResetError):
                process.open = False
                _check_exit(process)
                continue
            if message[0] == "result":
                return cast("RenderResult", message[1])
            _handle(message, progress)


def _handle(message: tuple[Any, ...], progress: Progress) -> None:
    if message[0] == "event":
        progress.emit(message[1])
        return
    _, rank, error, trace = message
    log.debug("process %d failed:\n%s", rank, trace)
    if isinstance(error, Cancelled):
        progress.cancel.check()  # raises with the parent's own reason (e.g. Ctrl-C)
    raise error


def _check_exit(process: _Process) -> None:
    code = process.popen.wait()
    if code is None:  # forked, and the template that knew its status ended first
        raise GenerationFailed(
            f"process {process.rank} of the run ended before it said why (its exit code is not known); "
            "no file was written"
        )
    if code < 0:  # "exited with code -9" said nothing of who stopped it
        # Real-time signals (34-64) are valid but no Signals member: Signals(40) raised ValueError.
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else f"signal {-code}"
        why = " (kill -9, or the system's out-of-memory killer)" if -code == signal.SIGKILL else ""
        raise GenerationFailed(
            f"process {process.rank} of the run was stopped by {name}{why} before it said why; "
            "no file was written"
        )
    if code != 0:
        raise GenerationFailed(
            f"process {process.rank} of the run exited with code {code} and no error; no file was written"
        )
    if process.rank == 0:
        raise GenerationFailed("rank 0 of the run exited without a result; no file was written")


def _stop_all(processes: list[_Process], grace_s: float) -> None:
    """Let the processes exit on their own for ``grace_s``, then stop the rest (SIGTERM, then SIGKILL)."""
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(grace_s)
    for process in processes:
        if process.popen.poll() is None:
            process.popen.terminate()
            try:
                process.popen.wait(5.0)
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()
        process.conn.close()
