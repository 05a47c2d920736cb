"""Scratch folders of runs no service runs any more go, whichever container made them; those in use stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

from reelgen.jobs import _scratch_sweep
from reelgen.jobs.worker import run_folder

ELSEWHERE = "otherbox@0badf00d.4026532999"
JOB_A, JOB_B, JOB_C = ("video_" + c * 32 for c in "abc")


def run(root: Path, service: str, job_id: str, worker: str = "worker-0") -> Path:
    folder = root / service / worker / f"{job_id}-k3x_9q"
    folder.mkdir(parents=True)
    (folder / "input-0.png").write_bytes(b"png")
    return folder


def age(path: Path, seconds: float) -> None:
    when = time.time() - seconds
    os.utime(path, (when, when))


def test_runs_of_a_server_in_another_container_go_unless_their_job_still_runs_there(tmp_path: Path) -> None:
    root = tmp_path / "scratch"
    requeued = run(root, f"{ELSEWHERE}-41", JOB_A)  # its server is gone; the job was requeued
    live = run(root, f"{ELSEWHERE}-42", JOB_B)  # a server there still runs it
    rerun = run(root, f"{ELSEWHERE}-41", JOB_C)  # run again since, by the live server
    other_tool = root / "backup-2026" / "worker-0" / f"{JOB_A}-k3x_9q"
    other_tool.mkdir(parents=True)
    running = {JOB_B: f"{ELSEWHERE}/42/abcd1234", JOB_C: f"{ELSEWHERE}/42/abcd1234"}
    removed = _scratch_sweep.sweep_runs(root, lambda: running, "me@1-1")
    assert removed == 2
    assert not requeued.exists() and not rerun.exists()
    assert (live / "input-0.png").is_file() and other_tool.is_dir()


def test_emptied_folders_go_once_stale_but_never_this_services_own(tmp_path: Path) -> None:
    root = tmp_path / "scratch"
    for name in (f"{ELSEWHERE}-41", "me@1-1"):
        (root / name / "worker-0").mkdir(parents=True)
        age(root / name / "worker-0", 2 * _scratch_sweep.EMPTY_STALE_S)
        age(root / name, 2 * _scratch_sweep.EMPTY_STALE_S)
    (root / f"{ELSEWHERE}-42" / "worker-0").mkdir(parents=True)  # used a minute ago
    _scratch_sweep.sweep_runs(root, dict, "me@1-1")
    assert sorted(p.name for p in root.iterdir()) == sorted([f"{ELSEWHERE}-42", "me@1-1"])
    assert (root / "me@1-1" / "worker-0").is_dir()


def test_a_worker_whose_emptied_folder_was_swept_makes_it_again_for_its_next_run(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch" / f"{ELSEWHERE}-42" / "worker-0"
    folder = run_folder(scratch, JOB_A)
    assert folder.parent == scratch and folder.name.startswith(f"{JOB_A}-")
