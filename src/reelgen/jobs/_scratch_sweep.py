"""Scratch folders of job services in other containers (or on other hosts) that no running job uses.

``owners.sweep_scratch`` removes a whole ``<machine>-<pid>`` folder only when it can see that process
has exited, which it never can for a process of another pid namespace: a server restarted in a new
container (same data folder) kept every frame and input copy its predecessor's jobs left, for ever.
The job store can tell instead: a worker makes ``<machine>-<pid>/worker-N/<job id>-XXXX`` only after
its service leased that job, so such a folder is in use only while the job runs under an owner named
``<machine>/<pid>/...``. Anything else there is left behind. Uploaded inputs (``inputs/``) are never
touched here: the folders hold only the workers' copies of them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from reelgen.jobs import owners

#: A run's folder under a worker's scratch folder, as ``tempfile.mkdtemp(prefix=f"{job_id}-")`` names it.
_RUN_FOLDER = re.compile(r"^(video_[0-9a-f]{32})-[A-Za-z0-9_]+$")
_WORKER_FOLDER = re.compile(r"^worker-\d+$")
#: A service's folder, ``owners.scratch_name()``: ``host@boot[.namespace]-pid``; any other is none of ours.
_SERVICE_FOLDER = re.compile(r"^[^/]+@[^/]+-\d+$")

#: An emptied worker or service folder is removed once nothing was made in it for this long: a live
#: idle service's worker makes its folder again before its next run, but needs no churn for it.
EMPTY_STALE_S = 3600.0


def sweep_runs(root: Path, running: Callable[[], Mapping[str, str | None]], mine: str) -> int:
    """Remove the run folders under ``root`` (the data folder's ``scratch``) whose job does not run
    under the service that made the folder, then the emptied folders above them once stale.

    ``running`` gives the running jobs' owners by id; it is asked after the folders are listed, so a
    run folder made meanwhile (its job leased first) is never taken for a left-behind one. ``mine``
    is this service's own folder name, never removed while empty. Returns the run folders removed.
    """
    if not root.is_dir():
        return 0
    runs = [(service, run) for service, run in _run_folders(root) if not _live_other(service.name, mine)]
    leased = running()
    removed = 0
    for service, run in runs:
        job_id = _RUN_FOLDER.match(run.name)
        assert job_id is not None
        owner = leased.get(job_id.group(1))
        if owner is None or _service_folder(owner) != service.name:
            shutil.rmtree(run, ignore_errors=True)
            removed += 1
    _remove_stale_empty(root, mine)
    return removed


def _live_other(name: str, mine: str) -> bool:
    """Whether ``name`` is the folder of another service of this machine that runs now. Its runs are
    its own to sweep: on another database (a second server sharing the data folder), none of its
    jobs is among ``running``, and the folders of the jobs it was running went at every pass."""
    machine_name, _, pid = name.rpartition("-")
    return name != mine and machine_name == owners.machine() and pid.isdigit() and owners.pid_alive(int(pid))


def _service_folder(owner: str) -> str:
    """The scratch folder name of a service from its owner name: ``host@boot.ns/pid/nonce`` -> ``host@boot.ns-pid``."""
    machine, _, rest = owner.partition("/")
    return f"{machine}-{rest.partition('/')[0]}"


def _run_folders(root: Path) -> list[tuple[Path, Path]]:
    """(service folder, run folder) for every run folder under ``root``; unreadable ones are skipped."""
    found = []
    for service in _services(root):
        for worker in _folders(service):
            if _WORKER_FOLDER.match(worker.name):
                found += [(service, run) for run in _folders(worker) if _RUN_FOLDER.match(run.name)]
    return found


def _services(root: Path) -> list[Path]:
    return [p for p in _folders(root) if _SERVICE_FOLDER.match(p.name)]


def _folders(path: Path) -> list[Path]:
    try:
        return [p for p in path.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        return []


def _remove_stale_empty(root: Path, mine: str) -> None:
    """``rmdir`` (never a recursive removal: a run made meanwhile keeps its folder) of empty worker
    folders, then of empty service folders, untouched for ``EMPTY_STALE_S``; never this service's."""
    now = time.time()
    for service in _services(root):
        if service.name == mine:
            continue
        stale = _stale(service, now)  # before its workers' removal touches it
        for worker in _folders(service):
            if _WORKER_FOLDER.match(worker.name) and _stale(worker, now):
                _rmdir(worker)
        if stale:
            _rmdir(service)


def _stale(folder: Path, now: float) -> bool:
    try:
        return now - folder.stat().st_mtime >= EMPTY_STALE_S
    except OSError:
        return False


def _rmdir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        os.rmdir(folder)  # fails when not empty, which is the point
