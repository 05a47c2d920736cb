"""The main of a local worker process: a ``VideoWorker`` driven over one socket by ``reelgen.jobs.local``.

Started as ``python -m reelgen.jobs._local_child FD``, so nothing of the API
process's main module is imported again. The first message is the API
process's ``sys.path``, the second ``("init", worker_id, models, setup,
scratch)``; ``setup`` is unpickled only once that path is in place.
Messages in then: ``("run", job_id, kind, payload, inputs, preview_every)``,
``("cancel", job_id)``, ``("call", call_id, name, args)`` for ``info`` and
``free``, ``("stop",)``. Messages out: ``("event", job_id, event)``,
``("end", job_id)``, ``("reply", call_id, ok, value)``. Jobs run on the main
thread one at a time; a reader thread takes the rest, so a cancel or an info
call is answered while a step runs. When the pipe closes (the API process
ended, however it ended) the process exits at once: no worker outlives it.
SIGINT and SIGTERM are ignored: they reach a worker only with its server.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any


def main(fd: int) -> None:
    # Ctrl-C in a terminal, `timeout`, `kill -- -PGID` and systemd's stop signal the whole group (or
    # cgroup) at once: the worker died mid-job (Ctrl-C with a KeyboardInterrupt traceback), so the job
    # used up an attempt, and after two such stops failed worker_lost, where the server releases
    # its jobs unharmed. The server stops its workers itself (its socket closes, then SIGKILL).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    conn = Connection(fd)
    sys.path[:] = conn.recv()
    _, worker_id, models_per_worker, setup, scratch = conn.recv()
    lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            conn.send(message)

    try:
        from reelgen.jobs.worker import VideoWorker

        worker = VideoWorker(worker_id, models_per_worker, setup, scratch=scratch)
    except BaseException as exc:  # a broken setup: say why once, then stop (the engine backs off)
        send(("failed", f"{type(exc).__name__}: {exc}"))
        raise
    runs: queue.Queue[tuple[Any, ...]] = queue.Queue()
    threading.Thread(target=_read, args=(conn, worker, runs, send), daemon=True).start()
    send(("ready", os.getpid()))
    while True:
        job_id, kind, payload, inputs, preview_every = runs.get()
        for event in worker.run(job_id, kind, payload, inputs, preview_every):
            send(("event", job_id, event))
        send(("end", job_id))


def _read(conn: Connection, worker: Any, runs: queue.Queue[tuple[Any, ...]], send: Any) -> None:
    try:
        while True:
            message = conn.recv()
            op = message[0]
            if op == "run":
                runs.put(message[1:])
            elif op == "cancel":
                worker.cancel(message[1])
            elif op == "call":
                threading.Thread(target=_answer, args=(worker, send, *message[1:]), daemon=True).start()
            elif op == "stop":
                break
    except (EOFError, OSError):
        pass  # the API process is gone
    os._exit(0)


def _answer(worker: Any, send: Any, call_id: int, name: str, args: tuple[Any, ...]) -> None:
    try:
        value = getattr(worker, name)(*args)
    except Exception as exc:
        send(("reply", call_id, False, f"{type(exc).__name__}: {exc}"))
        return
    send(("reply", call_id, True, value))


if __name__ == "__main__":
    main(int(sys.argv[1]))
