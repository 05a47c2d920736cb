"""Who runs a job: this process's owner name on the rows it leases, and whether another owner is gone.

An owner is ``host@boot/pid/nonce``, one per job service. Another API process on the same database
requeues a running job only once its lease ran out; when the owner named on
the row was a process of this very machine (same host name and boot) that no
longer exists, its jobs are requeued at once instead of a lease later. The
folders a process keeps under the data directory (scratch, a private Ray's) are
named by the same machine and pid, and swept by ``left_behind`` once it is gone.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
import uuid
from functools import cache
from pathlib import Path

#: Folders named as owners were before they named the pid namespace (``host@boot-pid``) cannot be
#: tied to a process: the pid may be another container's. One whose pid is not running here and in
#: which nothing changed for this long is taken for a dead process's (a live worker writes in its
#: scratch folder at every job; a live Ray writes its logs every few seconds).
LEGACY_STALE_S = 24 * 3600.0


@cache
def machine() -> str:
    """This machine as owners name it: host name, the kernel's boot id (a reboot is another one) and
    the pid namespace, the set of processes whose pids ``pid_alive`` can see."""
    space = _pid_namespace()
    return legacy_machine() + (f".{space}" if space else "")


@cache
def legacy_machine() -> str:
    """This machine as owners named it before they named the pid namespace: ``host@boot``."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        boot = "0"
    return f"{socket.gethostname()}@{boot}"


def _pid_namespace() -> str:
    """The pid namespace's inode ("" where there is none to read).

    Two containers on one kernel can share a host name (host networking gives both the host's):
    without this, each took the other's running jobs for orphans of a dead process, since its pid
    is not in this namespace, and requeued them at once (run twice), and swept its scratch folders.
    """
    try:
        link = os.readlink("/proc/self/ns/pid")  # "pid:[4026531836]"
    except OSError:
        return ""
    return "".join(ch for ch in link if ch.isdigit())


def new_owner() -> str:
    """A fresh owner name for one job service of this process."""
    return f"{machine()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


def scratch_name() -> str:
    """This process's scratch folder under the data folder's ``scratch`` (``<machine>-<pid>``)."""
    return f"{machine()}-{os.getpid()}"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # OverflowError: past any pid there can be
        return False
    except PermissionError:
        return True  # someone else's process holds that pid
    return True


def gone(owner: str | None) -> bool:
    """True when ``owner`` was a process of this machine that no longer runs."""
    if not owner:
        return False
    host, _, rest = owner.partition("/")
    pid = rest.partition("/")[0]
    if host != machine() or not pid.isdigit():
        return False
    return not pid_alive(int(pid))


def left_behind(folder: Path, machine_name: str, pid: str) -> bool:
    """True when ``folder``, made by process ``pid`` of ``machine_name``, is provably no running
    process's: one of this machine and pid namespace that has exited, or one named the older way
    (without the namespace) by this machine whose pid is not running here and that nobody has
    written in for ``LEGACY_STALE_S``. A folder of another machine or namespace is never."""
    # The machine first: any other folder (``backup-20261205``) is none of ours, whatever its digits.
    ours = machine_name == machine()
    older = machine_name == legacy_machine() != machine()
    if not (ours or older) or not pid.isdigit() or pid_alive(int(pid)):
        return False
    return ours or _untouched_for(folder) >= LEGACY_STALE_S


def _untouched_for(folder: Path) -> float:
    """Seconds since anything in ``folder`` (itself included) last changed; 0 when it cannot be read."""
    try:
        newest = folder.stat().st_mtime
        for parent, dirs, files in os.walk(folder):
            for name in [*dirs, *files]:
                newest = max(newest, os.lstat(os.path.join(parent, name)).st_mtime)
    except OSError:
        return 0.0
    return time.time() - newest


def sweep_scratch(root: Path) -> None:
    """Remove the scratch folders (``<machine>-<pid>``) of API processes that provably no longer run.

    See ``left_behind``: those of this machine's exited processes, and those named before
    owners named the pid namespace once stale.
    """
    if not root.is_dir():
        return
    for folder in root.iterdir():
        machine_name, _, pid = folder.name.rpartition("-")  # a host name may hold "-", a pid never
        if left_behind(folder, machine_name, pid):
            shutil.rmtree(folder, ignore_errors=True)
