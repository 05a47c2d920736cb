"""The gate that keeps Ray from being shut down under a call from another thread (a restart took the server down)."""

from __future__ import annotations

import threading

import pytest

from reelgen.jobs._ray_gate import RayGate
from reelgen.jobs.engine import WorkerGone


def test_calls_pass_only_while_the_gate_is_open() -> None:
    gate = RayGate()
    refused = "worker-0 is gone: the Ray engine is stopped or restarting"
    with pytest.raises(WorkerGone, match=refused), gate.call("worker-0"):
        pass  # never reached: Ray is not started yet
    gate.open()
    with gate.call("worker-0"):
        pass
    assert gate.close(timeout_s=1.0)
    with pytest.raises(WorkerGone), gate.call("worker-0"):
        pass
    gate.open()  # the restarted engine
    with gate.call("worker-0"):
        pass


def test_stopping_waits_for_the_call_in_flight_and_refuses_new_ones_meanwhile() -> None:
    gate = RayGate()
    gate.open()
    inside, release = threading.Event(), threading.Event()

    def long_call() -> None:
        with gate.call("worker-0"):
            inside.set()
            release.wait(10)

    caller = threading.Thread(target=long_call)
    caller.start()
    assert inside.wait(10)
    closed: list[bool] = []
    stopper = threading.Thread(target=lambda: closed.append(gate.close(timeout_s=10)))
    stopper.start()
    stopper.join(0.3)
    assert stopper.is_alive() and not closed  # Ray must not be shut down under that call
    with pytest.raises(WorkerGone), gate.call("worker-1"):  # told at once, without reaching Ray
        pass
    release.set()
    stopper.join(10)
    caller.join(10)
    assert closed == [True]


def test_a_call_that_never_ends_lets_the_stop_go_on_after_its_wait() -> None:
    gate = RayGate()
    gate.open()
    with gate.call("worker-0"):
        assert gate.close(timeout_s=0.05) is False
