"""Stopping `reelgen worker` stops the `ray start --block` it runs, instead of leaving the node in the cluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

#: Stands for ``reelgen worker``: runs a child as ``run_worker_node`` runs ``ray start --block``.
PARENT = (
    "import sys; from reelgen.jobs._ray_node import run_until_stopped; "
    "sys.exit(run_until_stopped([sys.executable, '-c', "
    "'import os, time; print(os.getpid(), flush=True); time.sleep(60)']))"
)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_reaches_ray_start_and_the_command_waits_for_it(sig: signal.Signals) -> None:
    """A SIGTERM ended the command at once and left `ray start --block` (and its raylet) running."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(sig)
        assert parent.wait(timeout=10) == 128 + sig  # as the child that the signal ended says
        assert gone(child)
    finally:
        for pid in (parent.pid, child):
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
