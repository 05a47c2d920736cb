"""Runs ``ray start --block`` for ``reelgen worker`` so that stopping the command stops the Ray node with it.

``subprocess.call`` left the child behind on a SIGTERM of ``reelgen worker`` (a
plain ``kill``, a service manager): the command was gone and the machine stayed
in the cluster, its raylet taking jobs. On Ctrl-C it waited a quarter second,
then SIGKILLed ``ray start`` in the middle of stopping its node. Here SIGTERM
and SIGHUP are passed on to the child and the command waits for it to end; Ray
ties the node's processes to ``ray start --block``, so they go with it.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
from types import FrameType

#: Passed on to the child. SIGINT is not: a Ctrl-C reaches the whole terminal's process group.
FORWARDED = (signal.SIGTERM, signal.SIGHUP)


def run_until_stopped(cmd: list[str]) -> int:
    """Run ``cmd`` until it ends, passing stop signals on to it; its exit code (128+N for signal N)."""
    process = subprocess.Popen(cmd)

    def forward(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    # Ctrl-C: the child stops by itself; this process waits for it instead of killing it.
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        code = process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - code if code < 0 else code
