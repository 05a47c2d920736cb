"""Folders of servers that are gone are swept, and those of servers still running, wherever they run, never are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.jobs import cluster, owners
from reelgen.jobs.cluster import RayEngine
from reelgen.jobs.settings import JobSettings


def exited_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return int(done.stdout)


def folder(path: Path, age_s: float = 0.0) -> Path:
    """A folder holding one file, nothing in it changed for ``age_s`` seconds."""
    (path / "worker-0").mkdir(parents=True)
    (path / "worker-0" / "frame.png").write_bytes(b"x")
    when = time.time() - age_s
    for each in [path / "worker-0" / "frame.png", path / "worker-0", path]:
        os.utime(each, (when, when))
    return path


@pytest.fixture
def short_data_dir() -> Iterator[Path]:
    """A data folder short enough for the private Ray's folder to go inside it."""
    path = Path(tempfile.mkdtemp(prefix="rg-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def namespaced() -> Iterator[None]:
    """This process's pid namespace is named, as on Linux, whatever machine the test runs on."""
    with pytest.MonkeyPatch.context() as patch:
        owners.machine.cache_clear()
        patch.setattr(owners, "_pid_namespace", lambda: "4026531836")
        yield
    owners.machine.cache_clear()


def test_a_private_ray_never_removes_the_live_ray_folder_of_a_server_in_another_container(
    short_data_dir: Path,
) -> None:
    """Two containers sharing one data folder can run servers with the same pid: the folder was
    ``ray-<pid>``, emptied at start, so one server removed the other's running Ray's sockets."""
    theirs = folder(short_data_dir / f"ray-{os.getpid()}")
    (theirs / "reelgen-owner").write_text(f"{owners.legacy_machine()}.4026532999 {os.getpid()}")
    settings = JobSettings(data_dir=short_data_dir)
    cluster.sweep_temp_dirs(settings)
    mine = cluster._temp_dir(settings)
    assert mine.parent == short_data_dir.resolve() and mine != theirs.resolve()
    assert (theirs / "worker-0" / "frame.png").is_file()
    assert (mine / "reelgen-owner").read_text() == f"{owners.machine()} {os.getpid()}"
    assert cluster._temp_dir(settings) != mine  # a restarted engine gets a new one too


def test_private_ray_folders_of_exited_servers_are_swept_those_of_running_ones_kept(
    namespaced: None,
    short_data_dir: Path,
) -> None:
    settings = JobSettings(data_dir=short_data_dir)
    dead, old_scheme = exited_pid(), owners.legacy_machine()
    owned = {
        "ray-dead": (f"{owners.machine()} {dead}", 0.0),
        "ray-old-dead": (f"{old_scheme} {dead}", 2 * owners.LEGACY_STALE_S),
        "ray-old-recent": (f"{old_scheme} {dead}", 60.0),
        "ray-alive": (f"{owners.machine()} {os.getpid()}", 2 * owners.LEGACY_STALE_S),
        "ray-other-ns": (f"{old_scheme}.4026532999 {dead}", 2 * owners.LEGACY_STALE_S),
    }
    for name, (owner, age) in owned.items():
        made = folder(short_data_dir / name, age)
        (made / "reelgen-owner").write_text(owner)
        os.utime(made / "reelgen-owner", (time.time() - age,) * 2)
        os.utime(made, (time.time() - age,) * 2)
    cluster.sweep_temp_dirs(settings)
    assert sorted(p.name for p in short_data_dir.iterdir()) == ["ray-alive", "ray-old-recent", "ray-other-ns"]


def test_scratch_folders_named_before_owners_named_the_pid_namespace_are_swept_once_stale(
    namespaced: None, tmp_path: Path
) -> None:
    """Scratch folders of servers killed before an upgrade were named ``host@boot-pid``; the sweep
    only knew ``host@boot.namespace-pid`` and kept them, with their frames, for ever."""
    root, dead, old_scheme = tmp_path / "scratch", exited_pid(), owners.legacy_machine()
    folder(root / f"{old_scheme}-{dead}", age_s=2 * owners.LEGACY_STALE_S)  # swept
    folder(root / f"{old_scheme}-{os.getpid()}", age_s=2 * owners.LEGACY_STALE_S)  # its pid runs here
    folder(root / f"{old_scheme}-{dead + 1}", age_s=60)  # may be a live server in another container
    folder(root / f"{owners.machine()}-{dead}")  # this namespace's, exited: swept at once
    folder(root / f"{old_scheme}.4026532999-{dead}", age_s=2 * owners.LEGACY_STALE_S)  # another container's
    folder(root / f"other-host@1234abcd-{dead}", age_s=2 * owners.LEGACY_STALE_S)  # another machine's
    owners.sweep_scratch(root)
    assert sorted(p.name for p in root.iterdir()) == sorted(
        [
            f"{old_scheme}-{os.getpid()}",
            f"{old_scheme}-{dead + 1}",
            f"{old_scheme}.4026532999-{dead}",
            f"other-host@1234abcd-{dead}",
        ]
    )


def test_the_ray_engine_sweeps_the_scratch_folders_of_servers_killed_before_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Only the local engine swept them: a server on Ray killed mid-job left its frames for ever."""
    left = folder(tmp_path / "scratch" / f"{owners.machine()}-{exited_pid()}")
    monkeypatch.setattr(cluster, "init_ray", lambda settings: None)  # a joined cluster: no Ray here
    monkeypatch.setattr(RayEngine, "maintain", lambda self: None)
    engine = RayEngine(JobSettings(data_dir=tmp_path))
    engine.start()
    assert not left.exists()


def test_a_folder_of_another_tool_with_a_long_number_neither_stops_the_sweep_nor_goes(tmp_path: Path) -> None:
    """Only a name of this machine is read as a pid: ``os.kill`` of 20261205123045 raised OverflowError,
    which ended the engine's start."""
    root = tmp_path / "scratch"
    kept = folder(root / "backup-20261205123045", age_s=2 * owners.LEGACY_STALE_S)
    gone = folder(root / f"{owners.machine()}-{exited_pid()}")
    huge = folder(root / f"{owners.machine()}-{'9' * 30}")  # no process can have it
    owners.sweep_scratch(root)
    assert kept.is_dir() and not gone.exists() and not huge.exists()
