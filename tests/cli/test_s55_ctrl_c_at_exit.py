"""A Ctrl-C met as the ``reelgen`` process ends, after the command is done, leaves the command's status and words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: The command line, then a Ctrl-C (SIGINT to itself) while Python ends the process: an ``atexit``
#: callback registered before main(), so it runs after the ones main() registers (last in, first out).
SCRIPT = """
import atexit, os, signal, sys
atexit.register(lambda: os.kill(os.getpid(), signal.SIGINT))
sys.argv = ["reelgen", *sys.argv[1:]]
from reelgen.cli import entry
entry()
"""


def test_ctrl_c_as_the_process_ends_keeps_the_commands_status_and_says_nothing_more(tmp_path: Path) -> None:
    # It printed "Exception ignored in atexit callback ... KeyboardInterrupt" with a traceback or, met once
    # Python had put back SIGINT's default action to free its modules, the signal killed it: status -2.
    earlier = tmp_path / "keep.mp4"
    earlier.write_bytes(b"an earlier video")
    argv = ["generate", "x", "-m", "reelgen-micro", "--frames", "0", "-o", str(earlier)]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *argv], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "error: --frames: 0 is too small; it takes a whole number from 1 to 100000"
    ]
    assert earlier.read_bytes() == b"an earlier video"
