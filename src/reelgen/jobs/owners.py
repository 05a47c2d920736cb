"""Who runs a job: this process's owner name on the rows it leases, and whether another owner is gone.

An owner is ``host@boot/pid/nonce``, one per job service. Another API process on the same database
requeues a running job only once its lease ran out; when the owner named on
the row was a process of this very machine (same host name and boot) that no
longer exists, its jobs are requeued at once instead of a lease later.
"""

from __future__ import annotations

import os
import socket
import uuid
from functools import cache
from pathlib import Path


@cache
def machine() -> str:
    """This machine as owners name it: host name, the kernel's boot id (a reboot is another one) and
    the pid namespace, the set of processes whose pids ``pid_alive`` can see."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        boot = "0"
    space = _pid_namespace()
    return f"{socket.gethostname()}@{boot}" + (f".{space}" if space else "")


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


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
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
