"""``reelgen worker``: the ``ray start --block`` it runs, and running it so that stopping the command stops the node.

``subprocess.call`` left the child behind on a SIGTERM of ``reelgen worker`` (a
plain ``kill``, a service manager): the command was gone and the machine stayed
in the cluster, its raylet taking jobs. On Ctrl-C it waited a quarter second,
then SIGKILLed ``ray start`` in the middle of stopping its node. Here SIGTERM
and SIGHUP are passed on to the child and the command waits for it to end; Ray
ties the node's processes to ``ray start --block``, so they go with it. SIGINT is
passed on too, unless it came from the terminal, which sends it to the child itself.
One ignored when the command started (SIGHUP under ``nohup``) stays ignored.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import IO

from reelgen.jobs._ray_node_log import NodeOutput

#: Passed on to the child always. SIGINT only when it did not come from the terminal (``_from_terminal``).
FORWARDED = (signal.SIGTERM, signal.SIGHUP)
#: How long the child's last lines are read for once it has ended.
READ_AFTER_EXIT_S = 5.0


def run_until_stopped(cmd: list[str]) -> int:
    """Run ``cmd`` until it ends, passing stop signals on to it; its exit code (128+N for signal N).

    Its output is passed on as it comes, but for Ray's log tails of a dead process and the traceback of
    a drain the head did not answer (``_ray_node_log``).
    """
    # Unbuffered: a pipe would otherwise hold Ray's "Ray runtime started" back until it exits.
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace", env=env
    )
    output = NodeOutput(sys.stdout, sys.stderr)
    readers = [
        threading.Thread(target=_pass_on, args=(stream, feed), name=f"ray-node-{name}", daemon=True)
        for name, stream, feed in (
            ("out", process.stdout, output.feed),
            ("err", process.stderr, output.feed_err),
        )
    ]
    # A stop signal is taken by whichever thread of the process does not block it; one taken by a reader
    # left the main thread asleep in `process.wait()` with the handler pending until the child ended by
    # itself, so the node was never told. The readers start with them blocked (a thread inherits the
    # mask of the thread that starts it), leaving the main thread the only one to take them.
    stops = {*FORWARDED, signal.SIGINT}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        for reader in readers:
            reader.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    stopped_by: list[int] = []  # the stop signals that came, first first

    def forward(signum: int, frame: FrameType | None) -> None:
        stopped_by.append(signum)
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signum)

    def interrupted(signum: int, frame: FrameType | None) -> None:
        # Ctrl-C at the terminal reaches the child too, and it stops by itself (a second SIGINT would
        # make Ray kill its node mid-stop); one sent to this process alone (`kill -INT`, `timeout -s
        # INT`) was ignored, and the node stayed in the cluster: that one is passed on.
        if not _from_terminal():
            forward(signum, frame)
        else:
            stopped_by.append(signum)

    # A stop signal ignored when the command started stays ignored, as it is for the child that inherits
    # the ignoring: under `nohup` a hang-up was caught here and passed on to a `ray start` that ignored
    # it, and the command waited for a stop that never came.
    handlers = {**dict.fromkeys(FORWARDED, forward), signal.SIGINT: interrupted}
    previous = {
        sig: signal.signal(sig, handler)
        for sig, handler in handlers.items()
        if signal.getsignal(sig) is not signal.SIG_IGN
    }
    try:
        code = process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    # A process Ray started may hold the pipe open after ``ray start`` is gone: wait a little only.
    for reader in readers:
        reader.join(READ_AFTER_EXIT_S)
    output.say_end()
    if stopped_by and not output.died:
        # `ray start --block` exits 1 once it has stopped its node on SIGTERM or Ctrl-C; the command
        # exits as reelgen's others do when stopped (143, 130), as `reelgen --help` says.
        return 128 + stopped_by[0]
    return 128 - code if code < 0 else code


def _from_terminal() -> bool:
    """Whether this process is in its terminal's foreground group, where a Ctrl-C reaches every process."""
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, AttributeError, ValueError):  # no terminal (a service, a pipe), or stdin closed
        return False


def _pass_on(stream: IO[str] | None, feed: Callable[[str], None]) -> None:
    assert stream is not None
    for line in stream:
        feed(line)


def worker_command(address: str, num_gpus: int | None = None, block: bool = True) -> list[str]:
    """The ``ray start`` command that adds this machine's GPUs to the cluster at ``address``."""
    cmd = [sys.executable, "-m", "ray.scripts.scripts", "start", f"--address={address}"]
    if num_gpus is not None:
        cmd.append(f"--num-gpus={num_gpus}")
    if block:
        cmd.append("--block")
    return cmd


def gpu_less_note(num_gpus: int | None) -> str | None:
    """What to tell a person joining a machine Ray will find no GPU on (it joined saying nothing)."""
    if num_gpus is not None:  # said outright, 0 included
        return None
    import torch

    if torch.cuda.is_available():
        return None
    return (
        "no CUDA GPU here, so this machine joins offering none: the API starts its workers on the "
        "cluster's GPUs elsewhere (CPU workers only when the whole cluster has no GPU)"
    )


def gpu_count_problem(num_gpus: int | None) -> str | None:
    """Why this machine cannot offer ``num_gpus`` GPUs, or None.

    Ray takes ``--num-gpus`` on trust: a machine offering GPUs it does not have got the API's GPU
    workers all the same, whose CUDA_VISIBLE_DEVICES named no device, so their jobs ran on the CPU
    (``/v1/system``: "gpus": 1, "device": "cpu"), a GPU model's job for hours.
    """
    if not num_gpus:
        return None
    import torch

    here = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if num_gpus <= here:
        return None
    if not here:
        return (
            f"--num-gpus {num_gpus}: this machine has no CUDA GPU, so the jobs sent to those GPUs would "
            "run on its CPU; give --num-gpus 0, or leave it out"
        )
    return f"--num-gpus {num_gpus}: this machine has {here} CUDA GPU(s); give --num-gpus {here} or fewer"


def run_worker_node(address: str, num_gpus: int | None = None) -> int:
    """Join the cluster at ``address`` as a worker node and stay until stopped; returns exit code.

    The API process starts one worker actor per GPU the cluster reports, so a node that joins is
    used without further steps. SIGTERM of this command stops the node (``_ray_node``).
    """
    return run_until_stopped(worker_command(address, num_gpus))
