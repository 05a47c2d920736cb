"""A local worker outlives a Ctrl-C or SIGTERM sent to its server's whole process group; its server stops it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def _ignored(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return int(line.split()[1], 16)
    return 0


def test_a_signal_to_the_servers_group_leaves_the_worker_running_until_its_socket_closes() -> None:
    """Ctrl-C, `timeout` or systemd's stop killed the worker mid-job along with the server: the job
    used up an attempt (two stops: failed worker_lost), and Ctrl-C printed a KeyboardInterrupt."""
    ours, theirs = socket.socketpair()
    child = subprocess.Popen(
        [sys.executable, "-m", "reelgen.jobs._local_child", str(theirs.fileno())],
        pass_fds=[theirs.fileno()],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        process_group=0,  # a group of its own, as a server started from a terminal has
    )
    theirs.close()
    try:
        wanted = (1 << (signal.SIGINT - 1)) | (1 << (signal.SIGTERM - 1))
        deadline = time.monotonic() + 10
        while _ignored(child.pid) & wanted != wanted and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(child.pid, signal.SIGINT)
        os.killpg(child.pid, signal.SIGTERM)
        time.sleep(0.2)
        assert child.poll() is None, "the worker died of its server's stopping signal"
    finally:
        ours.close()  # the server is gone: its worker ends with it
        child.wait(10)
        assert child.stderr is not None
        assert b"KeyboardInterrupt" not in child.stderr.read()
