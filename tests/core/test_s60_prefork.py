"""Processes forked from a template that has torch imported: started as ``python -m`` would start them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelgen.core import prefork

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(ROOT)  # `python -m tests.core.prefork_probe` finds the module from here
    # Templates of this test's own: in a full run another test of the same process had started the
    # most a process keeps (MAX_TEMPLATES) or lost one, and spawn then started the probe plainly.
    monkeypatch.setattr(prefork, "_TEMPLATES", {})
    monkeypatch.setattr(prefork, "_UNSTARTABLE", set())
    yield
    for template in prefork._TEMPLATES.values():
        template.close()


def start(title: str | None = None, **env: str) -> tuple[Any, Any]:
    """The probe started through ``spawn`` with ``env`` over this process's; its process and our socket."""
    ours, theirs = socket.socketpair()
    try:
        child = prefork.spawn(
            "tests.core.prefork_probe",
            env={**os.environ, **env},
            fds=[theirs.fileno()],
            stdin_devnull=True,
            title=title,
        )
    finally:
        theirs.close()
    return child, ours


def report(ours: socket.socket) -> dict[str, Any]:
    with ours.makefile("rb") as lines:
        return dict(json.loads(lines.readline()))


@pytest.fixture
def probes() -> Iterator[list[tuple[Any, socket.socket]]]:
    started: list[tuple[Any, socket.socket]] = []
    yield started
    for child, ours in started:
        ours.close()
        child.kill()
        child.wait(30)


def test_a_child_runs_the_module_as_main_with_its_own_environment_folder_and_pipe(
    probes: list[tuple[Any, socket.socket]], capfd: pytest.CaptureFixture[str]
) -> None:
    child, ours = start(PROBE="one", CUDA_VISIBLE_DEVICES="3", PROBE_EXIT="7")
    probes.append((child, ours))
    seen = report(ours)
    assert isinstance(child, prefork.Forked) and child.pid == seen["pid"]
    assert seen["torch_preloaded"], "the child imported torch itself: it was not forked from the template"
    assert seen["name"] == "__main__" and seen["cwd"] == str(ROOT)
    assert seen["probe"] == "one" and seen["gpus"] == "3"
    assert child.wait(60) == 7
    assert "probe one on stdout" in capfd.readouterr().out


def test_each_child_draws_its_own_numbers_and_a_killed_one_says_so(
    probes: list[tuple[Any, socket.socket]],
) -> None:
    (first, a), (second, b) = (
        start("reelgen-probe-1", PROBE_WAIT="1"),
        start("reelgen-probe-2", PROBE_WAIT="1"),
    )
    probes += [(first, a), (second, b)]
    draws = report(a)["numpy_draw"], report(b)["numpy_draw"]
    # Their command line is the template's: the name top and ps -e show tells them apart.
    assert Path(f"/proc/{first.pid}/comm").read_text().strip() == "reelgen-probe-1"
    assert Path(f"/proc/{second.pid}/comm").read_text().strip() == "reelgen-probe-2"
    assert draws[0] != draws[1]  # numpy's global generator is seeded anew in each, as in a fresh process
    first.kill()
    assert first.wait(60) == -signal.SIGKILL
    assert second.poll() is None
    b.close()  # the probe waits on its pipe: closed, it ends by itself
    assert second.wait(60) == 0


def test_a_variable_read_at_import_gets_a_template_of_its_own(
    probes: list[tuple[Any, socket.socket]],
) -> None:
    threads = 1 if (os.cpu_count() or 1) > 1 else 2
    child, ours = start(OMP_NUM_THREADS=str(threads))
    probes.append((child, ours))
    seen = report(ours)
    # torch sets its thread count from OMP_NUM_THREADS as it is imported: a fork of a template started
    # without it would run with the template's count.
    assert seen["torch_preloaded"] and seen["torch_threads"] == threads
    assert prefork.fingerprint({"OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": "0", "HF_HOME": "/x"}) == (
        ("OMP_NUM_THREADS", "1"),
    )


def test_reelgen_prefork_0_starts_a_fresh_interpreter(probes: list[tuple[Any, socket.socket]]) -> None:
    child, ours = start(REELGEN_PREFORK="0", PROBE="plain")
    probes.append((child, ours))
    seen = report(ours)
    assert isinstance(child, subprocess.Popen)
    assert not seen["torch_preloaded"] and seen["probe"] == "plain"
    assert child.wait(60) == 0


@pytest.fixture
def many_descriptors() -> Iterator[None]:
    """This process holding over 1,024 descriptors, as a long run's does (the full suite's held 1,383):
    select() refuses those numbers."""
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(max(0, 1100 - len(os.listdir("/proc/self/fd"))))]
    yield
    for fd in held:
        os.close(fd)


def _kill_the_template() -> None:
    """kill -9 of this test's one template (its children live on)."""
    (template,) = prefork._TEMPLATES.values()
    template.process.kill()
    template.process.wait(30)


def test_children_outlive_a_lost_template_and_new_ones_start_plainly(
    monkeypatch: pytest.MonkeyPatch, probes: list[tuple[Any, socket.socket]], many_descriptors: None
) -> None:
    monkeypatch.setattr(prefork, "_TEMPLATES", {})  # a template of this test's own, killed below
    child, ours = start(PROBE_WAIT="1")
    probes.append((child, ours))
    assert report(ours)["torch_preloaded"]
    _kill_the_template()
    assert child.poll() is None  # the child runs on without its template
    ours.close()
    assert child.wait(60) is None  # it ended; its status went with the template
    later, again = start(PROBE="after")
    probes.append((later, again))
    assert isinstance(later, subprocess.Popen) and report(again)["probe"] == "after"


def test_a_system_without_packet_sockets_starts_children_plainly_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, probes: list[tuple[Any, socket.socket]], caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(prefork, "_TEMPLATES", {})
    monkeypatch.setattr(prefork, "_UNSTARTABLE", set())

    pair = socket.socketpair

    def no_packets(*args: Any) -> Any:
        if socket.SOCK_SEQPACKET in args:  # macOS has none for Unix sockets
            raise OSError(95, "Operation not supported")
        return pair(*args)

    monkeypatch.setattr(prefork.socket, "socketpair", no_packets)
    children = [start(PROBE=str(n)) for n in range(2)]
    probes += children
    assert all(isinstance(child, subprocess.Popen) for child, _ in children)
    assert [report(ours)["probe"] for _, ours in children] == ["0", "1"]
    assert sum("could not start the template process" in r.message for r in caplog.records) == 1


def test_without_pidfd_an_orphan_is_still_seen_to_end(
    monkeypatch: pytest.MonkeyPatch, probes: list[tuple[Any, socket.socket]]
) -> None:
    monkeypatch.setattr(prefork, "_TEMPLATES", {})
    monkeypatch.delattr(prefork.os, "pidfd_open")  # as on macOS
    child, ours = start(PROBE_WAIT="1")
    probes.append((child, ours))
    assert report(ours)["torch_preloaded"]
    _kill_the_template()
    ours.close()
    assert child.wait(60) is None
