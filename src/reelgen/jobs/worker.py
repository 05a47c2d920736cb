"""The worker: one per GPU (or CPU worker); keeps models loaded and streams a job's typed events.

It runs as a local worker process (``reelgen.jobs.local``) or a Ray actor
(``reelgen.jobs.cluster``). The API process imports this module, so torch and
the render recipe are imported only inside the worker's methods (in the kinds' ``run``).
"""

from __future__ import annotations

import base64
import os
import queue
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from reelgen.jobs import kinds
from reelgen.jobs._as_sent import Naming, named_as_sent
from reelgen.jobs._unsaved import no_work_folder
from reelgen.jobs.artifacts import png_bytes, sent_name
from reelgen.jobs.events import ProgressReport, RunCancelled, RunError, WorkerEvent
from reelgen.jobs.kinds import WorkerKind


def pack_inputs(
    kind: WorkerKind[Any], payload: Any, here: Callable[[str], str] | None = None
) -> dict[str, bytes]:
    """The payload's input files as bytes by parameter, so they cross to any node by value; ``here``
    maps a recorded path to where the file lies now (``Artifacts.input_here``: a moved data folder)."""
    where = here or str
    return {param: Path(where(path)).expanduser().read_bytes() for param, path in kind.input_files(payload)}


def unreadable_input(
    kind: WorkerKind[Any], payload: Any, exc: OSError, here: Callable[[str], str] | None = None
) -> str:
    """Why ``pack_inputs`` failed, naming the input as it was sent: the job's error read "an input file
    is gone: [Errno 2] No such file or directory: '/srv/reelgen/inputs/<id>-fox.png'", a path of this
    server's disk that a client cannot use, and no word of what to do."""
    where = here or str
    why = exc.strerror or type(exc).__name__
    for param, path in kind.input_files(payload):
        if exc.filename is not None and str(Path(where(path)).expanduser()) == str(exc.filename):
            return (
                f"{kind.input_named(param)} ({sent_name(param, path)}) can no longer be read on the server "
                f"({why}); make the job again, sending it anew"
            )
    return f"an input file can no longer be read on the server ({why}); make the job again, sending it anew"


def scratch_folder(root: str | None, worker_id: str) -> Path:
    """The worker's own scratch folder, emptied: what a killed predecessor left is removed here.

    ``root`` is under the service's data directory; a Ray node where it cannot
    be made (another machine) uses the system temp folder instead.
    """
    for base in ([Path(root)] if root else []) + [Path(tempfile.gettempdir()) / "reelgen-scratch"]:
        folder = base / worker_id
        try:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
            return folder
        except OSError:
            continue
    raise OSError(f"no scratch folder could be made for {worker_id} under {root} or the temp folder")


def run_folder(scratch: Path, job_id: str) -> Path:
    """A fresh folder for one run of ``job_id`` under ``scratch``, made again if it went.

    A service in another container sweeps a worker folder that stayed empty for an hour
    (``reelgen.jobs._scratch_sweep``); this worker's next run must not fail for it.
    """
    for _ in range(3):
        scratch.mkdir(parents=True, exist_ok=True)
        try:
            return Path(tempfile.mkdtemp(prefix=f"{job_id}-", dir=scratch))
        except FileNotFoundError:  # removed between the two calls; make it again
            continue
    return Path(tempfile.mkdtemp(prefix=f"{job_id}-", dir=scratch))


def unpack_inputs(
    kind: WorkerKind[Any], payload: Any, files: dict[str, bytes], folder: Path
) -> tuple[Any, dict[str, str]]:
    """Write the shipped inputs into ``folder`` and point the payload at them; also each copy's
    path with the words a message uses for it instead (``kind.input_named``)."""
    originals = dict(kind.input_files(payload))
    paths: dict[str, str] = {}
    for i, (param, data) in enumerate(sorted(files.items())):
        path = folder / f"input-{i}{Path(originals.get(param, '')).suffix}"
        path.write_bytes(data)
        paths[param] = str(path)
    named = {path: kind.input_named(param) for param, path in paths.items()}
    return (kind.with_input_files(payload, paths) if paths else payload), named


def naming(kind: WorkerKind[Any], parsed: Any, copies: Any) -> Naming:
    """How the record of a run from ``copies`` (the payload pointed at the worker's copies) names
    the inputs of ``parsed`` (the payload as queued) instead: as they were sent."""
    sent = {param: sent_name(param, path) for param, path in kind.input_files(parsed)}
    paths = {path: sent[param] for param, path in kind.input_files(copies) if param in sent}
    return Naming(paths, kind.dump(copies), kind.dump(kind.with_input_files(parsed, sent)))


def said_of_inputs(message: str, named: dict[str, str], folder: Path) -> str:
    """``message`` with each input's scratch copy (its path, or its bare name) said as its words,
    and any other file of the run's ``folder`` by its name alone: the client never sees that folder,
    and its path tells a client only how the server's disk is laid out."""
    for path, words in named.items():
        message = message.replace(path, words).replace(Path(path).name, words)
    return message.replace(f"{folder}{os.sep}", "").replace(str(folder), "the job's work folder")


def _api_field(param: str | None, message: str) -> str:
    """``message`` starting with its field as the API names it: a job is read through the API, whose
    create and refusals name a LoRA ``loras[0].name``; a run's failure said ``loras[0].path``."""
    from reelgen.core.spec.lora_files import api_named

    named = api_named(param)
    if param and named != param and message.startswith(param):
        return f"{named}{message.removeprefix(param)}"
    return message


class VideoWorker:
    """Runs jobs one at a time; a second thread takes ``cancel``, ``info`` and ``free`` calls.

    Made by ``reelgen.jobs.local`` (in a spawned process) or ``reelgen.jobs.cluster``
    (through ``ray.remote``); ``setup`` (if given) runs first in the worker process,
    e.g. to register a family or a job kind that is not installed as an entry point.
    Each run works in a folder under ``scratch``, which a restarted worker empties.
    """

    def __init__(
        self,
        worker_id: str,
        models_per_worker: int = 1,
        setup: Callable[[], None] | None = None,
        scratch: str | None = None,
    ) -> None:
        if setup is not None:
            setup()
        from reelgen.core.cache import ModelCache

        self.worker_id = worker_id
        self.scratch = scratch_folder(scratch, worker_id)
        self.cache = ModelCache(max_models=max(1, models_per_worker))
        self._busy: str | None = None
        self._busy_model: str | None = None
        self._cancel: dict[str, Any] = {}
        self._lock = threading.Lock()
        # Every job runs on this one thread, which lives as long as the worker. PyTorch keeps cuDNN's
        # execution plans (convolution autotuning among them) per thread, so a fresh thread per job
        # autotuned the VAE's convolutions again each time: LTX 2B's 768x512x121 clip took 1.9 s to
        # generate in the worker against 0.9 s in process on an H200.
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{worker_id}-run")

    def info(self) -> dict[str, Any]:
        """Identity, device, VRAM and loaded models of this worker (cheap; safe while busy)."""
        import socket

        from reelgen.core.devices import device_info

        dev = device_info()
        return {
            "id": self.worker_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "device": dev.device,
            "device_name": dev.name,
            "total_vram_gib": dev.total_gib,
            "free_vram_gib": dev.free_gib,
            "loaded_models": [e["model"] for e in self.cache.loaded()],
            "busy_job": self._busy,
        }

    def cancel(self, job_id: str) -> bool:
        """Ask the running job ``job_id`` to stop at its next step; False if not running."""
        with self._lock:
            token = self._cancel.get(job_id)
        if token is None:
            return False
        token.cancel("cancelled")
        return True

    def free(self, idle_seconds: float = 0.0) -> list[str]:
        """Unload models idle for ``idle_seconds``, never the one a running job uses."""
        from reelgen.core.spec import registry

        busy_model = self._busy_model
        freed = []
        for entry in self.cache.loaded():
            if entry["model"] != busy_model and entry["idle_s"] >= idle_seconds:
                self.cache.drop(registry.resolve(entry["model"])[1])
                freed.append(entry["model"])
        return freed

    def run(
        self,
        job_id: str,
        kind: str,
        payload: dict[str, Any],
        inputs: dict[str, bytes],
        preview_every: int = 0,
    ) -> Iterator[WorkerEvent]:
        """Run job ``job_id`` of ``kind``; yields ``ProgressReport``s, then one ``RunResult``,
        ``RunCancelled`` or ``RunError``.

        ``payload`` is the kind's payload as JSON, parsed here by its model (for
        ``render`` the ``ResolvedRequest``: typed again, never resolved again).
        """
        events: queue.Queue[WorkerEvent | None] = queue.Queue()
        try:
            folder = run_folder(self.scratch, job_id)
        except OSError as exc:
            # Raised, it ended the worker process: the job failed "worker-0 exited with code 1; gave up
            # after 2 of 2 attempts" after two restarts, each a traceback in the server's log.
            unmade = no_work_folder(exc, self.scratch)
            print(f"{self.worker_id}: {job_id}: {unmade.detail}", file=sys.stderr, flush=True)
            yield RunError(unmade.code, unmade.message)
            return
        with self._lock:
            self._busy, self._busy_model = job_id, payload.get("model")
        try:
            done = self._runner.submit(
                self._work, job_id, kind, payload, inputs, preview_every, folder, events
            )
            while (event := events.get()) is not None:
                yield event
            done.result()
        finally:
            with self._lock:
                if self._busy == job_id:  # the service may have handed over the next job already
                    self._busy = self._busy_model = None
                self._cancel.pop(job_id, None)
            shutil.rmtree(folder, ignore_errors=True)

    def _work(
        self,
        job_id: str,
        kind_name: str,
        payload: dict[str, Any],
        inputs: dict[str, bytes],
        preview_every: int,
        folder: Path,
        events: queue.Queue[WorkerEvent | None],
    ) -> None:
        from reelgen.core.errors import Cancelled, ReelgenError
        from reelgen.core.progress import CancelToken, Progress, ProgressEvent

        token = CancelToken()
        with self._lock:
            self._cancel[job_id] = token

        def on_event(ev: ProgressEvent) -> None:
            preview = None
            if ev.preview is not None and len(ev.preview):
                preview = base64.b64encode(png_bytes(ev.preview[len(ev.preview) // 2])).decode()
            events.put(ProgressReport(ev.stage, ev.step, ev.total, ev.eta_s, ev.message, preview))

        named: dict[str, str] = {}
        try:
            kind = kinds.worker(kind_name)
            parsed = kind.parse(payload)
            typed, named = unpack_inputs(kind, parsed, inputs, folder)
            progress = Progress(on_event=on_event, cancel=token, preview_every=preview_every)
            context = kinds.WorkerContext(folder, progress, self.cache, self.worker_id)
            events.put(named_as_sent(kind.run(typed, context), folder, naming(kind, parsed, typed)))
        except Cancelled as exc:
            events.put(RunCancelled(exc.message))
        except ReelgenError as exc:
            events.put(RunError(exc.code, _api_field(exc.param, said_of_inputs(exc.message, named, folder))))
        except Exception as exc:  # a crash in a model must reach the job, not kill the worker
            events.put(
                RunError("internal_error", said_of_inputs(f"{type(exc).__name__}: {exc}", named, folder))
            )
        finally:
            events.put(None)
