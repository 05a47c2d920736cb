"""Fresh processes forked from one that has already imported torch: a worker or a rank starts without
the seconds that ``import torch`` takes in each new interpreter.

``spawn(module, env=..., fds=...)`` gives what ``python -m module FD...`` would: the child runs the
module as ``__main__`` with the caller's environment, working folder and standard streams, and the
file descriptors ``fds`` (their numbers in the child are its arguments). It comes forked from a
*template* process (``python -m reelgen.core.prefork``) that imported ``PRELOAD`` once and runs
nothing: no CUDA, no models, no threads of its own. The template reports each child's exit, so the
caller holds a ``Popen``-shaped handle (``pid``, ``poll``, ``wait``, ``send_signal``, ``kill``).

Hugging Face libraries are not preloaded: they read their cache folders and offline switches from
the environment as they are imported, and a child's environment may differ from the template's. The
variables the preloaded libraries do read at import (``OMP_*``, ``TORCH*``, ``PYTHON*``, ...) choose
the template: a child whose values differ gets a template of its own. Where no template can be had
(it failed to start, died, or too many are running), or where ``REELGEN_PREFORK=0`` asks so, the child
is a plain ``python -m module``.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import os
import pickle
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from reelgen.core.prefork.template import MAX_MESSAGE

log = logging.getLogger(__name__)

#: What every worker and rank imports before its first step; missing ones are skipped.
PRELOAD = ("numpy", "PIL.Image", "torch", "torch._dynamo", "scipy.stats", "safetensors.torch", "av")

#: Prefixes of the variables that the preloaded libraries (or Python itself) read once, at start or import.
READ_AT_IMPORT = (
    "PYTHON", "LD_", "MALLOC", "GLIBC",
    "OMP_", "GOMP_", "KMP_", "MKL", "OPENBLAS", "GOTO", "BLIS", "NUMEXPR", "NPY_", "NUMPY", "SCIPY",
    "TORCH", "PYTORCH", "TRITON", "CUDA", "NVIDIA", "CUBLAS", "CUDNN", "NCCL",
)  # fmt: skip
#: Read by the child itself: a worker's GPU is set before anything touches CUDA.
PER_CHILD = frozenset({"CUDA_VISIBLE_DEVICES", "PYTHONUNBUFFERED"})
#: The most templates one process keeps (each holds torch in memory); beyond it children start plainly.
MAX_TEMPLATES = 3
#: How long a request waits for a template still importing before starting its child plainly.
READY_S = 120.0


def spawn(
    module: str,
    *,
    env: Mapping[str, str],
    fds: Sequence[int] = (),
    stdin_devnull: bool = False,
    title: str | None = None,
) -> subprocess.Popen[bytes] | Forked:
    """``python -m module FD...`` with ``env``: forked from a template when one can be had, else started.

    ``title``: the name ``ps -e``, ``top`` and ``htop`` show for a forked child (15 bytes at most), whose
    command line is its template's.
    """
    template = _template_for(env)
    if template is not None:
        child = template.fork(module, env, fds, stdin_devnull, title)
        if child is not None:
            return child
    return subprocess.Popen(
        [sys.executable, "-m", module, *(str(fd) for fd in fds)],
        pass_fds=list(fds),
        env=dict(env),
        stdin=subprocess.DEVNULL if stdin_devnull else None,
    )


def warm(env: Mapping[str, str]) -> None:
    """Start the template that ``spawn`` will fork children with ``env`` from, so its imports run now,
    beside the caller's own work."""
    _template_for(env)


def fingerprint(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The part of ``env`` a template must share with a child: what is read at start or import."""
    return tuple(
        sorted((k, v) for k, v in env.items() if k.startswith(READ_AT_IMPORT) and k not in PER_CHILD)
    )


class Forked:
    """A child forked by a template, as ``subprocess.Popen`` shows one."""

    def __init__(self, pid: int, args: list[str]) -> None:
        self.pid = pid
        self.args = args
        self.returncode: int | None = None
        self.ended = threading.Event()

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if not self.ended.wait(timeout):
            raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if not self.ended.is_set():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _end(self, returncode: int | None) -> None:
        self.returncode = returncode
        self.ended.set()


class Template:
    """One template process and the thread that reads its socket."""

    def __init__(self, env: Mapping[str, str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        template_env = {k: v for k, v in env.items() if k not in PER_CHILD}
        template_env["PYTHONUNBUFFERED"] = "1"  # its children's prints leave at once, as workers' always did
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "reelgen.core.prefork", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                env=template_env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        finally:
            theirs.close()
        self.socket = ours
        self.ready: Future[list[str]] = Future()
        self.gone = False
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._requests: dict[int, tuple[Future[int | None], list[str]]] = {}
        self._children: dict[int, Forked] = {}
        ours.sendall(pickle.dumps((sys.path, list(PRELOAD))))
        threading.Thread(target=self._receive, name="reelgen-prefork", daemon=True).start()

    def fork(
        self, module: str, env: Mapping[str, str], fds: Sequence[int], stdin_devnull: bool, title: str | None
    ) -> Forked | None:
        """A child forked with ``env`` and ``fds``, or None when this template cannot give one."""
        try:
            self.ready.result(READY_S)
        except (FutureTimeout, RuntimeError):
            return None
        request_id = next(self._ids)
        answer: Future[int | None] = Future()
        with self._lock:
            if self.gone:
                return None
            self._requests[request_id] = (answer, [sys.executable, "-m", module, *(str(fd) for fd in fds)])
        try:
            with contextlib.ExitStack() as stack:
                stdin = os.open(os.devnull, os.O_RDONLY) if stdin_devnull else 0
                if stdin_devnull:
                    stack.callback(os.close, stdin)
                message = pickle.dumps((request_id, module, dict(env), os.getcwd(), title))
                socket.send_fds(self.socket, [message], [stdin, 1, 2, *fds])
        except OSError:  # a closed standard stream, a removed working folder, the template gone
            with self._lock:
                self._requests.pop(request_id, None)
            return None
        pid = answer.result()  # a fork takes milliseconds; the template answers or its socket closes
        if pid is None:
            return None
        with self._lock:
            child = self._children.get(pid)
        return child

    def close(self) -> None:
        """Let the template go: it exits once its socket closes; its children run on."""
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)

    # ---- the socket ------------------------------------------------------------------------------

    def _receive(self) -> None:
        while True:
            try:
                data = self.socket.recv(MAX_MESSAGE)
            except OSError:
                data = b""
            if not data:
                break
            self._handle(pickle.loads(data))
        self._lost()

    def _handle(self, message: tuple[Any, ...]) -> None:
        op = message[0]
        if op == "ready":
            self.ready.set_result(message[1])
        elif op == "forked":
            _, request_id, pid = message
            with self._lock:
                request = self._requests.pop(request_id, None)
                self._children[pid] = Forked(pid, request[1] if request else [])
            if request is not None:
                request[0].set_result(pid)
        elif op == "unusable":
            log.warning("the template process cannot fork workers (%s); starting them plainly", message[1])
        elif op == "refused":
            _, request_id, why = message
            log.warning("could not fork a process from the template: %s; starting it plainly", why)
            with self._lock:
                request = self._requests.pop(request_id, None)
            if request is not None:
                request[0].set_result(None)
        elif op == "exit":
            with self._lock:
                child = self._children.pop(message[1], None)
            if child is not None:
                child._end(message[2])

    def _lost(self) -> None:
        """The template ended: pending requests start plainly; its children are watched to their ends."""
        with self._lock:
            self.gone = True
            requests, self._requests = self._requests, {}
            children, self._children = self._children, {}
        if not self.ready.done():
            self.ready.set_exception(RuntimeError("the template ended before it was ready"))
        for answer, _args in requests.values():
            answer.set_result(None)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5.0)
        for child in children.values():
            threading.Thread(target=_watch, args=(child,), name="reelgen-prefork-orphan", daemon=True).start()


def _watch(child: Forked) -> None:
    """Notice the end of a child whose template is gone; its exit status went with the template."""
    try:
        pidfd = os.pidfd_open(child.pid)
    except AttributeError:  # no pidfd on this system (macOS): asked every half second
        while _alive(child.pid):
            time.sleep(0.5)
        child._end(None)
        return
    except OSError:
        child._end(None)  # already gone
        return
    try:
        # poll, not select: a long-lived process may hold more than select's 1,024 descriptors.
        waiting = select.poll()
        waiting.register(pidfd, select.POLLIN)
        waiting.poll()
    finally:
        os.close(pidfd)
        child._end(None)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_TEMPLATES: dict[tuple[tuple[str, str], ...], Template] = {}
#: Kinds of environment whose template could not even be started: their children start plainly, said once.
_UNSTARTABLE: set[tuple[tuple[str, str], ...]] = set()
_LOCK = threading.Lock()


def _template_for(env: Mapping[str, str]) -> Template | None:
    if not hasattr(socket, "send_fds") or not hasattr(os, "fork"):
        return None
    if env.get("REELGEN_PREFORK", "").strip().lower() in ("0", "off", "no", "false"):
        return None
    key = fingerprint(env)
    with _LOCK:
        template = _TEMPLATES.get(key)
        if template is not None and template.gone:
            return None  # it failed once: do not start another at each request
        if template is None:
            if len(_TEMPLATES) >= MAX_TEMPLATES or key in _UNSTARTABLE:
                return None
            try:
                template = _TEMPLATES[key] = Template(env)
            except OSError as exc:  # e.g. no SOCK_SEQPACKET for Unix sockets (macOS)
                _UNSTARTABLE.add(key)
                log.warning("could not start the template process (%s); starting processes plainly", exc)
                return None
        return template


@atexit.register
def _close_all() -> None:
    with _LOCK:
        for template in _TEMPLATES.values():
            template.close()
