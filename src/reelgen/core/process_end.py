"""The end of a `reelgen` process: what Python's own exit does that anyone can see, then the exit at once.

After the last line of a command, Python took about a CPU-second more to end a process that had loaded
a model (measured on a 2-core machine: ``import torch, diffusers`` and the API, then exit, 6.4 s against
5.3 s when ended as here): its finalisation frees every object torch, diffusers and transformers left
behind, one by one, while the shell waits for its prompt. None of that is work: reelgen writes every file
through a temporary name and renames it only once closed, so nothing is waiting in a buffer.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

#: The status Python gives a process whose standard output could not be flushed as it ended.
_UNFLUSHED = 120


def run_then_end(command: Callable[[], object]) -> NoReturn:
    """Run ``command`` (the CLI's ``main``), then end the process with its status, less the teardown.

    Anything ``command`` raises but ``SystemExit`` is left to Python, as it would have been.
    """
    try:
        command()
    except SystemExit as stop:
        end(exit_status(stop.code))
    end(0)


def end(status: int) -> NoReturn:
    """End the process as Python's exit does, in its order, then leave before the teardown."""
    # 1. Python runs threading's exit hooks, which tell idle pools' threads to stop, then waits for every
    #    thread that is not a daemon (a command's worker thread finishing a write). Joined without the
    #    hooks, a decode-ahead pool a failed command left open kept its thread waiting for work: the
    #    error was printed and the process never ended.
    threading._shutdown()  # type: ignore[attr-defined]  # private, but what CPython's exit calls
    # 2. The exit callbacks: logging's flush, Ray's shutdown, temporary folders' removal, multiprocessing's
    #    joins and reelgen's own (the Ctrl-C that comes after the command is done is ignored).
    atexit._run_exitfuncs()
    # 3. Standard streams: what is still in their buffers goes out, as at Python's exit.
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            if status == 0 and stream is sys.stdout:
                status = _UNFLUSHED
    os._exit(status)


def exit_status(code: object) -> int:
    """The status ``SystemExit(code)`` gives a process: None is 0, a number itself, anything else printed, 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code  # the system keeps its low 8 bits, as for Python's own exit
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"{code}\n")
    return 1
