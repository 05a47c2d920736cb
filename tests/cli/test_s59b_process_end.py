"""The `reelgen` script ends its process as Python's exit would, in its order, less the teardown of the libraries."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: A `reelgen` process with a few things an exit must finish: a thread that is no daemon still writing, an
#: exit callback, a line in stdout's buffer (a pipe buffers it), and an object only the teardown would free.
SCRIPT = """
import atexit, sys, threading, time
from pathlib import Path
folder = Path(sys.argv[1])
class Freed:
    def __del__(self):
        (folder / "freed").write_text("the teardown ran")
kept = Freed()
def slow_write():
    time.sleep(0.3)
    (folder / "thread").write_text("done")
threading.Thread(target=slow_write).start()
atexit.register(lambda: (folder / "atexit").write_text("ran"))
sys.stdout.write("buffered, no newline")
sys.argv = ["reelgen", *sys.argv[2:]]
from reelgen.cli import {entry}
{entry}()
"""


def run(tmp_path: Path, entry: str, *args: str) -> subprocess.CompletedProcess[str]:
    script = SCRIPT.format(entry=entry)
    return subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), *args], capture_output=True, text=True, timeout=120
    )


def test_the_script_is_the_entry_that_ends_at_once() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["reelgen"] == "reelgen.cli:entry"


def test_a_command_that_succeeds_ends_with_its_output_its_thread_and_its_exit_callbacks(
    tmp_path: Path,
) -> None:
    done = run(tmp_path, "entry", "models")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("buffered, no newline")
    assert "reelgen-micro" in done.stdout  # the command's own output, whole
    assert (tmp_path / "thread").read_text() == "done"  # waited for, as Python waits
    assert (tmp_path / "atexit").read_text() == "ran"
    # What is left to free is not freed one object at a time: the process ends.
    assert not (tmp_path / "freed").exists()


def test_the_same_through_pythons_own_exit_ran_the_teardown(tmp_path: Path) -> None:
    # The check above can fail: main() alone, ended by Python, runs the object's finaliser.
    done = run(tmp_path, "main", "models")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "freed").read_text() == "the teardown ran"


def test_a_refused_command_keeps_its_status_and_its_one_line(tmp_path: Path) -> None:
    done = run(tmp_path, "entry", "generate", "x", "-m", "reelgen-micro", "--frames", "0")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: --frames: 0 is too small; it takes a whole number from 1 to 100000"
    ]
    assert (tmp_path / "atexit").read_text() == "ran"


def test_an_exit_with_words_prints_them_and_ends_with_1(tmp_path: Path) -> None:
    script = "from reelgen.core.process_end import run_then_end\ndef command():\n    raise SystemExit('said why')\nrun_then_end(command)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (1, "said why\n")
