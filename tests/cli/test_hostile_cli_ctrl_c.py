"""Ctrl-C at moments no handler of a command covers yet: one `error:` line, exit 130, no traceback, no file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Ctrl-C lands as generate imports what it runs with (torch, the renderer): after Typer parsed the
# command line, before the progress bar's own Ctrl-C handling. Typer made it exit 130 without a word.
STOPPED_IN_COMMAND = """
import sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "reelgen.core.render":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, CtrlC())
from reelgen.cli import main
main()
"""

# Ctrl-C lands while Typer builds the command group from the functions: that was a traceback.
STOPPED_WHILE_TYPER_BUILDS = """
import typer.main

def ctrl_c(*args, **kwargs):
    raise KeyboardInterrupt

typer.main.get_group = ctrl_c
from reelgen.cli import main
main()
"""


def run(code: str, out: Path) -> subprocess.CompletedProcess[str]:
    args = ["generate", "x", "-m", "ltx-tiny", "--frames", "9", "-o", str(out), "-q"]
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_ctrl_c_inside_a_command_before_its_own_handling_is_said(tmp_path: Path) -> None:
    done = run(STOPPED_IN_COMMAND, tmp_path / "clip.mp4")
    assert done.returncode == 130, done.stderr
    assert done.stderr == "error: stopped with Ctrl-C; nothing half-written was left\n"
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_typer_builds_the_commands_is_not_a_traceback(tmp_path: Path) -> None:
    done = run(STOPPED_WHILE_TYPER_BUILDS, tmp_path / "clip.mp4")
    assert done.returncode == 130, done.stderr
    assert done.stderr == "error: stopped with Ctrl-C; nothing half-written was left\n"
    assert list(tmp_path.iterdir()) == []
