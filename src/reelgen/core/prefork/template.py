"""The template process: import the heavy libraries once, then fork a fresh child for each request.

It runs nothing itself: no CUDA, no threads of its own, no models, so each fork starts from a clean
process that only has modules in memory. Messages in (one per datagram, over a ``SOCK_SEQPACKET``
socket): first ``(sys.path, modules)``, then ``(request_id, module, env, cwd, title)`` with the child's
standard input, output and error and its extra file descriptors attached. Messages out:
``("ready", imported)`` (or ``("unusable", why)``), ``("forked", request_id, pid)``, ``("refused", request_id, why)`` and
``("exit", pid, returncode)`` as ``Popen.returncode`` gives it. When the socket closes (its parent
ended, however it ended) the template exits; its children live on until their own pipes close.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import runpy
import selectors
import signal
import socket
import sys
import traceback
import warnings
from typing import Any, NoReturn

from reelgen.core.process_end import end, exit_status

#: The most file descriptors one request carries: stdin, stdout, stderr and the child's own.
MAX_FDS = 8
#: Bigger than any request (an environment of a few kB); a datagram never arrives in parts.
MAX_MESSAGE = 1 << 20


def main(fd: int) -> NoReturn:
    # Stopped by its socket closing, never by a Ctrl-C or a SIGTERM meant for the server's group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    control = socket.socket(fileno=fd)
    path, modules = pickle.loads(control.recv(MAX_MESSAGE))
    sys.path[:] = path
    imported = _preload(modules)
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_initialized():
        # A fork of a process that has set up CUDA cannot use CUDA itself.
        _send(control, ("unusable", "a preloaded library set up CUDA as it was imported"))
        os._exit(0)
    os.chdir("/")  # hold no folder of the caller's open
    name_process("reelgen-prefork")
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)  # only to wake the selector below
    _send(control, ("ready", imported))
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is control:
                try:
                    message, fds, _flags, _address = socket.recv_fds(control, MAX_MESSAGE, MAX_FDS)
                except OSError:
                    message, fds = b"", []
                if not message:
                    os._exit(0)  # the parent is gone
                _fork(control, pickle.loads(message), fds, (wake_r, wake_w, selector.fileno()))
            else:
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_r, 4096)
        _reap(control)


def _preload(modules: list[str]) -> list[str]:
    imported = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - not installed or broken here: the child imports it itself, and says
            continue
        imported.append(name)
    # Python 3.12+ warns at each fork of a process with several threads; the template's only other
    # threads are OpenBLAS's, which shuts its pool down around a fork (pthread_atfork) and starts it anew.
    warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
    return imported


def _fork(control: socket.socket, request: tuple[Any, ...], fds: list[int], own: tuple[int, ...]) -> None:
    request_id, module, env, cwd, title = request
    if len(fds) < 3:
        _send(control, ("refused", request_id, f"{len(fds)} file descriptors came, at least 3 are needed"))
        for fd in fds:
            os.close(fd)
        return
    try:
        pid = os.fork()
    except OSError as exc:
        pid = -1
        _send(control, ("refused", request_id, f"fork failed: {exc}"))
    if pid == 0:
        _child(control, module, env, cwd, title, fds, own)
    # The template keeps no copy: a child's pipe must close when the child (or its parent) ends.
    for fd in fds:
        os.close(fd)
    if pid > 0:
        _send(control, ("forked", request_id, pid))


def _child(
    control: socket.socket,
    module: str,
    env: dict[str, str],
    cwd: str,
    title: str | None,
    fds: list[int],
    own: tuple[int, ...],
) -> NoReturn:
    """Become ``python -m module FD...``: the caller's streams, environment and folder, then its main."""
    status = 1
    try:
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as a fresh interpreter has it
        control.close()
        for fd in own:  # the template's wake-up pipe and selector
            os.close(fd)
        stdin, stdout, stderr, *passed = fds
        for target, fd in enumerate((stdin, stdout, stderr)):
            os.dup2(fd, target)
        for fd in {stdin, stdout, stderr} - {0, 1, 2} - set(passed):
            os.close(fd)
        if title:
            name_process(title)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        _reseed()
        sys.argv = [module, *(str(fd) for fd in passed)]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        status = 0
    except SystemExit as stop:
        status = exit_status(stop.code)
    except BaseException:  # noqa: BLE001 - printed as Python prints an uncaught exception, then status 1
        traceback.print_exc()
        status = 1
    end(status)


def name_process(title: str) -> None:
    """The name ``ps -e``, ``top`` and ``htop`` show (Linux; 15 bytes): every fork's command line is the
    template's (``python -m reelgen.core.prefork FD``), so workers could not be told from it."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, title.encode()[:15], 0, 0, 0)  # PR_SET_NAME


def _reseed() -> None:
    """numpy's global generator, which a fresh process seeds from the system: each child its own.

    (Python's ``random`` reseeds itself after a fork; torch's default generator starts from the same
    fixed seed in every fresh process, and the template never draws from it.)
    """
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


def _reap(control: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(control, ("exit", pid, os.waitstatus_to_exitcode(status)))


def _send(control: socket.socket, message: tuple[Any, ...]) -> None:
    try:
        control.sendall(pickle.dumps(message))
    except OSError:
        os._exit(0)  # the parent is gone
