"""One process of a run over several devices: join the group, run ``render`` for its share, report, leave."""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
import threading
import traceback
import warnings
from typing import TYPE_CHECKING, Any, NoReturn

import torch

from reelgen.core.backends.base import Runner
from reelgen.core.cache import ModelCache
from reelgen.core.errors import GenerationFailed, OutOfMemory, ReelgenError
from reelgen.core.parallel.env import multicast_off, usable_cores
from reelgen.core.parallel.group import GroupCancel, RankGroup, StopFlag, join, leave
from reelgen.core.parallel.job import RankJob
from reelgen.core.parallel.layout import ParallelOptions
from reelgen.core.parallel.model import RankFinished, check_placement, parallelize
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.types import Video

if TYPE_CHECKING:
    from reelgen.core.render import RenderResult
    from reelgen.core.weights import WeightSource


class Outbox:
    """What a process tells the parent, over its end of the pipe the parent gave it."""

    def __init__(self, conn: Any, rank: int) -> None:
        self.conn = conn
        self.rank = rank

    def event(self, event: ProgressEvent) -> None:
        self._send(("event", event))

    def result(self, result: RenderResult) -> None:
        self._send(("result", result))

    def error(self, exc: BaseException, device: str) -> None:
        self._send(("error", self.rank, portable(exc, self.rank, device), traceback.format_exc()))

    def _send(self, message: tuple[Any, ...]) -> None:
        """Send ``message``, or nothing once the parent is gone (killed: its end of the pipe closed).

        Then the listener has set the stop flag and the run cancels at its next step; a
        BrokenPipeError here printed two tracebacks per process into the terminal or the
        worker's log of a run that was already over.
        """
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.conn.send(message)


def portable(exc: BaseException, rank: int, device: str) -> ReelgenError:
    """``exc`` as an error the parent can unpickle and show: reelgen's own as they are, others named."""
    if isinstance(exc, ReelgenError):
        try:
            pickle.loads(pickle.dumps(exc))
            return exc
        except Exception:  # noqa: BLE001 - an error that does not travel is re-made below
            pass
    return GenerationFailed(f"process {rank} ({device}) failed: {type(exc).__name__}: {exc}")


class RankRunner(Runner):
    """A loaded runner as ``render`` sees it on one process of a split run.

    An out-of-memory error ends the whole run: ``render`` would step this process alone
    down the offload ladder and leave the others waiting in a collective.
    """

    def __init__(self, inner: Runner, group: RankGroup, parallel: dict[str, Any]) -> None:
        super().__init__(inner.spec, inner.preset)
        self.inner, self.group = inner, group
        self.plan, self.source, self.parallel = inner.plan, inner.source, parallel

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        self.inner.load(source, plan)

    def generate(self, request: ResolvedRequest, progress: Progress) -> Video:
        try:
            video = self.inner.generate(request, progress)
        except torch.OutOfMemoryError as exc:
            raise _out_of_memory(self.group, "generating") from exc
        finally:
            self.lora_records = self.inner.lora_records
        if not self.group.leader:  # only rank 0 decodes; a video here means the decode was never split off
            raise GenerationFailed(f"process {self.group.rank} decoded a video; only rank 0 may")
        return video

    def release(self) -> None:
        self.inner.release()


def _out_of_memory(group: RankGroup, doing: str) -> OutOfMemory:
    return OutOfMemory(
        f"process {group.rank} ran out of memory on {group.device} while {doing}; a run over several "
        "GPUs does not step down the offload ladder. Try a smaller size, fewer frames, or --gpus 1"
    )


class RankCache(ModelCache):
    """The one model of this process, split for the run the first time it loads."""

    def __init__(
        self, group: RankGroup, request: ResolvedRequest, options: ParallelOptions, cancel: GroupCancel
    ) -> None:
        super().__init__(max_models=1)
        self.group, self.request, self.options, self.cancel = group, request, options, cancel
        self.runner: RankRunner | None = None

    def acquire(
        self, spec: FamilySpec, preset: Preset, source: WeightSource, plan: MemoryPlan
    ) -> tuple[Runner, bool]:
        # Before loading (minutes for a 14B model on every GPU), not once it is loaded.
        check_placement(preset.name, plan, self.group.device)
        # A cancel asked while the processes started (Ctrl-C in their seconds of imports) is taken here,
        # by every process at once (a vote), not at the first step after each has loaded the model.
        self.cancel.check()
        try:
            runner, cached = super().acquire(spec, preset, source, plan)
        except torch.OutOfMemoryError as exc:
            raise _out_of_memory(self.group, "loading") from exc
        if self.runner is None:
            record = parallelize(runner, self.group, self.request, self.options, self.cancel)
            self.runner = RankRunner(runner, self.group, record)
        return self.runner, cached


def main(fd: int) -> None:
    """The entry point of one process (``python -m reelgen.core.parallel FD``, started by ``launch``).

    The torchrun variables come in the environment; the job comes down the pipe on ``fd``.
    """
    from multiprocessing.connection import Connection

    multicast_off()
    rank = int(os.environ["RANK"])
    conn = Connection(fd)
    job: RankJob = conn.recv()
    # The parent turns Ctrl-C into a cancel that every process acts on at the same step.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stopped)
    stop = threading.Event()
    threading.Thread(target=_listen, args=(conn, stop), name="reelgen-parent", daemon=True).start()
    outbox = Outbox(conn, rank)
    try:
        _quiet_libraries(job, rank)  # imports diffusers: seconds in which a SIGTERM may come
        group = join(job.cuda)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        outbox.error(exc, "cuda" if job.cuda else "cpu")
        sys.exit(1)
    code = 0
    RENDERING.set()
    try:
        result = _render(group, job, outbox, stop)
        RENDERING.clear()
        outbox.result(result)
    except RankFinished:
        pass
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        RENDERING.clear()
        outbox.error(exc, group.device)
        code = 1
    leave()
    _end(code)


#: Set while ``render`` runs: a SIGTERM then unwinds it (``stopped``); outside it ends the process.
RENDERING = threading.Event()


def stopped(signum: int, frame: object) -> NoReturn:
    """SIGTERM (how the parent stops the processes of a failed or aborted run): unwind, not die at once.

    Dying at once left the hidden files of a video rank 0 was encoding beside the output
    (".clip-4cd443e2f441.mp4"); unwinding removes them as a Ctrl-C does. The parent sends
    SIGKILL to a process still there 5 s later (one held in a collective that never returns).
    """
    if not RENDERING.is_set():
        # Loading libraries, joining, or reporting an error the parent no longer waits for (it
        # stops the rest once one fails): nothing half-written to take back, nothing to say.
        # Raised here, it broke the report and printed its traceback under the parent's error.
        _end(128 + signum)
    # Once: a second SIGTERM (the parent stopping what is left) raised again while this one was
    # being reported, and the process died with both tracebacks.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    RENDERING.clear()
    rank = os.environ.get("RANK", "?")
    raise GenerationFailed(
        f"process {rank} of the run was stopped by {signal.Signals(signum).name}; no file was written"
    )


def _end(code: int) -> NoReturn:
    """Exit at once, without the interpreter's teardown.

    Nothing is left to finish by then: the groups are gone, rank 0's file is
    closed and its result or error is in the pipe. The teardown could still
    kill the process: freeing what gloo's C++ threads still hold while the
    interpreter is taken down aborts it ("terminate called without an active
    exception", a known torch.distributed hazard). Once, on a loaded 2-core
    machine, rank 1 of a CPU run ended that way (SIGABRT), and the run failed.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _listen(conn: Any, stop: threading.Event) -> None:
    """Set ``stop`` when the parent says so; stop this process now when the parent is gone.

    A parent gone (killed: its end of the pipe closed) waits for nothing. The cancel at the
    next step came only after loading (minutes for a 14B model, the GPU held all along);
    SIGTERM unwinds the main thread at once (``stopped``), taking back anything half-written.
    """
    try:
        while conn.recv() != "stop":
            pass
    except (EOFError, OSError):
        _orphaned(stop)
    stop.set()


#: How long a process whose parent is gone may take to unwind before it exits regardless: one held
#: in a collective (C++, where no signal handler runs) would otherwise wait out the group's timeout.
ORPHAN_GRACE_S = 5.0


def _orphaned(stop: threading.Event) -> None:
    """Stop this process now: its parent is gone. Unwind first (SIGTERM), then exit regardless."""
    stop.set()
    _silence()
    os.kill(os.getpid(), signal.SIGTERM)
    stop_waiting = threading.Event()
    stop_waiting.wait(ORPHAN_GRACE_S)  # the main thread unwinds and exits (``_end``) meanwhile
    _end(1)


def _silence() -> None:
    """Send what this process prints nowhere: the terminal or log was its killed parent's.

    Unwinding put tracebacks and torch's C++ warnings of the peers' rendezvous there, after
    the shell had said the command was killed.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _render(group: RankGroup, job: RankJob, outbox: Outbox, stop: StopFlag) -> RenderResult:
    from reelgen.core.render import render

    cancel = GroupCancel(stop, group)
    progress = Progress(
        on_event=outbox.event if group.leader else None,
        cancel=cancel,
        preview_every=job.preview_every if group.leader else 0,
    )
    cache = RankCache(group, job.request, job.options, cancel)
    return render(
        job.request,
        job.output,
        progress=progress,
        vram_budget_gib=job.vram_budget_gib,
        device=group.device,
        cache=cache,
    )


def _quiet_libraries(job: RankJob, rank: int) -> None:
    """One line per run, not one per process: diffusers' notes on experimental APIs, torch's deprecations."""
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    diffusers_logging.set_verbosity_error()
    warnings.filterwarnings("ignore", category=FutureWarning)
    logging.getLogger("torch.distributed").setLevel(logging.ERROR)
    if rank:  # rank 0 says what a one-device run would say
        transformers_logging.set_verbosity_error()
    if not job.cuda and "OMP_NUM_THREADS" not in os.environ:
        # Processes on the CPU share its cores instead of each taking all of them.
        torch.set_num_threads(max(1, usable_cores() // job.world))
