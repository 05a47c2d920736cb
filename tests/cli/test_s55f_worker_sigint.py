"""`kill -INT` (or `timeout -s INT`) of `reelgen worker` stops the `ray start --block` it runs.

SIGINT was ignored, on the grounds that a Ctrl-C reaches the terminal's whole process group;
one sent to the command alone (no terminal: a script, `timeout -s INT 3600 reelgen worker ...`)
reached nothing, and the machine stayed in the cluster taking jobs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

#: Stands for ``reelgen worker``: runs a child as ``run_worker_node`` runs ``ray start --block``;
#: the child stops on SIGINT as ``ray start`` does (its node stopped, then exit).
PARENT = (
    "import sys; from reelgen.jobs._ray_node import run_until_stopped; "
    "sys.exit(run_until_stopped([sys.executable, '-c', "
    "'import os, signal, sys, time; "
    'signal.signal(signal.SIGINT, lambda *a: (print(\\"node stopped\\", flush=True), sys.exit(130))); '
    "print(os.getpid(), flush=True); time.sleep(60)']))"
)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_sigint_to_the_command_alone_stops_ray_start() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(signal.SIGINT)
        assert parent.wait(timeout=20) == 130
        assert parent.stdout.read() == "node stopped\n"
        assert gone(child)
    finally:
        for pid in (parent.pid, child):
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)


#: ``ray start --block`` as it ends on SIGTERM: its node stopped, then exit 1.
EXITS_1 = (
    "import sys; from reelgen.jobs._ray_node import run_until_stopped; "
    "sys.exit(run_until_stopped([sys.executable, '-c', "
    "'import os, signal, sys, time; "
    "signal.signal(signal.SIGTERM, lambda *a: sys.exit(1)); "
    "print(os.getpid(), flush=True); time.sleep(60)']))"
)


def test_a_stopped_worker_exits_143_as_reelgen_help_says_not_ray_starts_1() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", EXITS_1], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=20) == 128 + signal.SIGTERM
        assert gone(child)
    finally:
        for pid in (parent.pid, child):
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
