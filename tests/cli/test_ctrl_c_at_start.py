"""Ctrl-C while `reelgen` loads its commands: said in one line with exit 130, not a traceback."""

from __future__ import annotations

import subprocess
import sys

# Ctrl-C lands as the batch command's module is imported: what a SIGINT in the first half second does.
STOPPED_AT_IMPORT = """
import sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "reelgen.cli.batch":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, CtrlC())
from reelgen.cli import main
main()
"""


def test_ctrl_c_while_the_commands_load_exits_130_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", STOPPED_AT_IMPORT, "models"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == "error: stopped with Ctrl-C; nothing half-written was left\n" and done.stdout == ""
