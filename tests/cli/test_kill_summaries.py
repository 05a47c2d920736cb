"""A kill (SIGTERM) stops --count takes and a project render as Ctrl-C does: exit 143, and what was kept is said."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli.reelgen_main import run_reelgen
from tests.jobs.projects import make_film


def killed_at_a_call(
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
    target: str,
    kill_at: int,
    *args: str,
) -> subprocess.CompletedProcess[str]:
    """`reelgen ARGS...` in ``tmp_path``, sent SIGTERM (as `kill PID` sends it) as ``reelgen.core.<module>.<name>``
    is called the ``kill_at``-th time; the other calls run as they are."""
    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    real, calls = getattr(module, name), []

    def killed(*call_args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == kill_at:
            os.kill(os.getpid(), signal.SIGTERM)
        return real(*call_args, **kwargs)

    monkeypatch.setattr(module, name, killed)
    monkeypatch.chdir(tmp_path)
    run = run_reelgen(monkeypatch, capfd, *args)
    assert len(calls) >= kill_at, "it ended before the kill"
    return subprocess.CompletedProcess(run.args, run.returncode, run.stdout, " ".join(run.stderr.split()))


def test_takes_killed_mid_run_say_the_takes_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A kill said only "stopped by SIGTERM; nothing half-written was left": not the take already made."""
    out = killed_at_a_call(
        monkeypatch, capfd, tmp_path, "reelgen.core.render.render", 2,
        "generate", "a fox", "-m", "ltx-tiny", "--frames", "9", "--width", "64", "--height", "64",
        "--steps", "1", "--seed", "5", "--count", "3", "-o", "fox.mp4", "-q",
    )  # fmt: skip
    assert out.returncode == 143, out.stderr
    assert "error: stopped by SIGTERM; nothing half-written was left" in out.stderr
    assert "kept 1 of the 3 takes, made before it stopped:" in out.stderr
    assert out.stdout.split() == ["fox-1.mp4"]  # the path kept, as given and as Ctrl-C prints it
    assert (tmp_path / "fox-1.mp4").is_file() and not (tmp_path / "fox-2.mp4").exists()


def test_a_project_render_killed_says_finished_scenes_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    film = make_film(tmp_path / "film")
    out = killed_at_a_call(
        monkeypatch,
        capfd,
        tmp_path,
        "reelgen.core.project.render_project",
        1,
        "project",
        "render",
        str(film),
        "-q",
    )
    assert out.returncode == 143, out.stderr
    assert out.stderr.endswith(
        "error: stopped by SIGTERM: scenes and windows already finished are kept; render again to resume"
    )
