"""Whose running jobs a job service takes for orphans: only those of processes it can see are gone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reelgen.jobs import owners


def exited_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return int(done.stdout)


def test_an_exited_process_of_this_machine_is_gone_and_a_running_one_is_not() -> None:
    assert owners.gone(f"{owners.machine()}/{exited_pid()}/abcd1234")
    assert not owners.gone(owners.new_owner())


def test_a_server_in_another_container_with_this_host_name_is_never_taken_for_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Containers on one kernel with host networking share its host name and boot id; their pids
    live in other namespaces, so the other server's pid looked dead from here and its running
    jobs were requeued at once, to run twice, while it still renewed their leases."""
    pid = exited_pid()  # no process of this namespace has it, as the other container's pid would not
    owners.machine.cache_clear()
    monkeypatch.setattr(owners, "_pid_namespace", lambda: "4026532999", raising=False)
    theirs = f"{owners.machine()}/{pid}/abcd1234"
    monkeypatch.undo()
    owners.machine.cache_clear()
    assert not owners.gone(theirs)
    assert owners.gone(f"{owners.machine()}/{pid}/abcd1234")  # the same pid of this namespace is
