"""A worker process killed mid-job is said with the signal's name and who sends it, not its number alone."""

from __future__ import annotations

import subprocess
import sys

from reelgen.jobs._local_worker import exit_words


def _ended_by(code: str) -> int:
    return subprocess.run([sys.executable, "-c", code], check=False).returncode


def test_a_sigkill_names_kill_9_and_the_out_of_memory_killer() -> None:
    """The job failed "worker-0 exited with signal 9; gave up after 2 of 2 attempts"."""
    code = _ended_by("import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    assert exit_words(code) == "exited with signal 9 (SIGKILL: kill -9, or the system's out-of-memory killer)"


def test_other_endings_keep_their_words() -> None:
    assert exit_words(_ended_by("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")) == (
        "exited with signal 11 (SIGSEGV)"
    )
    assert exit_words(_ended_by("raise SystemExit(3)")) == "exited with code 3"
    assert exit_words(-40) == "exited with signal 40"  # a real-time signal has no name
