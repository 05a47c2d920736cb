"""What ``reelgen worker`` shows of ``ray start --block``'s output: all of it, but a dead node's log tails.

When one of the node's processes died (its raylet killed, out of memory), Ray
printed the last 200 lines of each one's log (``raylet.out``: plasma store
dumps, ``[state-dump]`` tables) and exited 1, so the one line that mattered,
what ended, scrolled out of sight. Here that report is held back and said in a
line or two: which process of this node died, with what exit code, and where
its full log is.
"""

from __future__ import annotations

import os
import re
import signal
from typing import IO

#: Ray's lines (``<time>\t<LEVEL> scripts.py:N -- <message>``): the text after ``-- ``.
_MESSAGE = re.compile(r"^\S+ \S+\s+[A-Z]+ \S+ -- (?P<message>.*)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DIED = re.compile(r"^\s*(?P<process>[\w.-]+) \[exit code=(?P<code>-?\d+)\]")
_TAIL = re.compile(r"^----- BEGIN (?P<file>\S+) tail")
_EXIT_LOG = "Process exit logs will be saved to: "
_REPORT_START = "Some Ray subprocesses exited unexpectedly:"
_REPORT_END = "Remaining processes will be killed."
#: Ray's line when the head did not answer a stopping node's drain; a traceback follows it.
_DRAIN_FAILED = "Failed to mark the local node as draining"


def _exit_words(code: int) -> str:
    """``-9`` as a person reads it: the signal's name when one killed the process."""
    if code >= 0:
        return f"exit code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    return f"killed by {name}"


class NodeOutput:
    """Passes ``ray start``'s lines on to ``out``, holding back its report of dead processes,
    which ``say_end`` tells ``err`` in short."""

    def __init__(self, out: IO[str], err: IO[str]) -> None:
        self.out = out
        self.err = err
        self.logs_dir: str | None = None
        #: (process, exit code) of each process Ray said died; empty while none did.
        self.died: list[tuple[str, int]] = []
        self.log_files: list[str] = []
        self._in_report = False
        self._said = False
        self._in_drain_trace = False

    def feed(self, line: str) -> None:
        plain = _ANSI.sub("", line.rstrip("\n"))
        found = _MESSAGE.match(plain)
        message = found["message"] if found else plain
        if message.startswith(_EXIT_LOG):
            self.logs_dir = os.path.dirname(message[len(_EXIT_LOG) :].strip())
        if message.startswith(_REPORT_START):
            self._in_report = True
        if not self._in_report:
            self.out.write(line)
            self.out.flush()
            return
        if died := _DIED.match(message):
            self.died.append((died["process"], int(died["code"])))
        elif tail := _TAIL.match(message):
            self.log_files.append(tail["file"])
        elif message.startswith(_REPORT_END):
            self.say_end()

    def feed_err(self, line: str) -> None:
        """A line ``ray start`` wrote to stderr: passed on, but a failed drain's traceback in one line.

        Stopped (SIGTERM, Ctrl-C) while the head was gone, the node waited 30 s on a drain the head
        never answered, then printed "Failed to mark the local node as draining ..." and a Python
        traceback ending in ``ray.exceptions.RpcError``.
        """
        plain = _ANSI.sub("", line.rstrip("\n"))
        found = _MESSAGE.match(plain)
        if found and found["message"].startswith(_DRAIN_FAILED):
            self._in_drain_trace = True
            return
        if self._in_drain_trace:
            if plain.startswith(("Traceback", " ", "\t")) or not plain:
                return
            self._in_drain_trace = False
            kind, _, message = plain.partition(": ")  # "ray.exceptions.RpcError: Timed out ..."
            reason = f"{kind.rpartition('.')[2]}: {message}".strip().rstrip(".")
            self.err.write(
                f"warning: the Ray head did not answer as this node stopped ({reason}), so it "
                "stopped without draining\n"
            )
            self.err.flush()
            return
        self.err.write(line)
        self.err.flush()

    def say_end(self) -> None:
        """Say, once, what ended the node (nothing when Ray reported no dead process)."""
        if self._said or not self.died:
            return
        self._said = True
        ended = ", ".join(f"the {name} of this node died ({_exit_words(code)})" for name, code in self.died)
        files = self.log_files or [f"{self.died[0][0]}.out"]
        where = (
            ", ".join(os.path.join(self.logs_dir, name) for name in files)
            if self.logs_dir
            else f"{', '.join(files)} in the Ray session's logs folder on this machine"
        )
        self.err.write(
            f"error: {ended}, so this machine left the cluster; its full log: {where}. "
            "Run `reelgen worker` again to rejoin.\n"
        )
        self.err.flush()
