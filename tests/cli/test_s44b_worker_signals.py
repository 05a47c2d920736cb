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


def blocked_signals(pid: int, tid: int) -> int:
    with open(f"/proc/{pid}/task/{tid}/status") as status:
        return next(int(line.split()[1], 16) for line in status if line.startswith("SigBlk:"))


def test_only_the_main_thread_can_take_a_stop_signal() -> None:
    """A SIGTERM taken by one of the threads that pass the node's output on left the main thread asleep
    in its wait with the handler pending, so `ray start` was never told (a full run saw it wait 10 s)."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        threads = [int(tid) for tid in os.listdir(f"/proc/{parent.pid}/task") if int(tid) != parent.pid]
        assert threads, "the output readers are running"
        stops = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
        wanted = sum(1 << (sig - 1) for sig in stops)
        for tid in threads:
            assert blocked_signals(parent.pid, tid) & wanted == wanted, f"thread {tid} can take a stop signal"
        assert blocked_signals(parent.pid, parent.pid) & wanted == 0
    finally:
        for pid in (parent.pid, child):
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_hang_up_ignored_at_start_stays_ignored_as_nohup_asks() -> None:
    """Under nohup the command caught a hang-up and passed it to a `ray start` that ignored it, then
    waited for a stop that never came; now both go on, and a SIGTERM still stops them."""

    def as_nohup() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, preexec_fn=as_nohup
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(signal.SIGHUP)
        with pytest.raises(subprocess.TimeoutExpired):
            parent.wait(timeout=1)  # still running, as nohup asked
        assert not gone(child)
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=10) == 128 + signal.SIGTERM  # a stop is still passed on
        assert gone(child)
    finally:
        for pid in (parent.pid, child):
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
