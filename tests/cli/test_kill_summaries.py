"""A kill (SIGTERM) stops --count takes and a project render as Ctrl-C does: exit 143, and what was kept is said."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.jobs.projects import make_film

#: `reelgen ARGS...` with ``reelgen.core.<module>.<name>`` wrapped: its ``WAIT_AT``-th call (argv[3]) says so
#: in the marker file (argv[1]) and waits there to be killed; the others run as they are.
WAITS_AT_A_CALL = """
import importlib, pathlib, sys, time
marker, target, wait_at = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sys.argv = ["reelgen", *sys.argv[4:]]
module_name, name = target.rsplit(".", 1)
module = importlib.import_module(module_name)
real, calls = getattr(module, name), []

def waiting(*args, **kwargs):
    calls.append(1)
    if len(calls) == wait_at:
        marker.write_text("waiting")
        time.sleep(60)
    return real(*args, **kwargs)

setattr(module, name, waiting)
from reelgen.cli import main
main()
"""


def killed_while_waiting(
    tmp_path: Path, target: str, wait_at: int, *args: str
) -> subprocess.CompletedProcess[str]:
    marker = tmp_path / "waiting"
    run = subprocess.Popen(
        [sys.executable, "-c", WAITS_AT_A_CALL, str(marker), target, str(wait_at), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), run.communicate(timeout=30)
        run.send_signal(signal.SIGTERM)
        stdout, stderr = run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
    return subprocess.CompletedProcess(run.args, run.returncode, stdout, " ".join(stderr.split()))


def test_takes_killed_mid_run_say_the_takes_kept(tmp_path: Path) -> None:
    """A kill said only "stopped by SIGTERM; nothing half-written was left": not the take already made."""
    out = killed_while_waiting(
        tmp_path, "reelgen.core.render.render", 2,
        "generate", "a fox", "-m", "ltx-tiny", "--frames", "9", "--width", "64", "--height", "64",
        "--steps", "1", "--seed", "5", "--count", "3", "-o", "fox.mp4", "-q",
    )  # fmt: skip
    assert out.returncode == 143, out.stderr
    assert "error: stopped by SIGTERM; nothing half-written was left" in out.stderr
    assert "kept 1 of the 3 takes, made before it stopped:" in out.stderr
    assert out.stdout.split() == ["fox-1.mp4"]  # the path kept, as given and as Ctrl-C prints it
    assert (tmp_path / "fox-1.mp4").is_file() and not (tmp_path / "fox-2.mp4").exists()


def test_a_project_render_killed_says_finished_scenes_are_kept(tmp_path: Path) -> None:
    film = make_film(tmp_path / "film")
    out = killed_while_waiting(
        tmp_path, "reelgen.core.project.render_project", 1, "project", "render", str(film), "-q"
    )
    assert out.returncode == 143, out.stderr
    assert out.stderr.endswith(
        "error: stopped by SIGTERM: scenes and windows already finished are kept; render again to resume"
    )
