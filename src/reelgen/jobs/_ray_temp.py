"""A private Ray's temp folder: where it is made, its owner file, and sweeping those of servers gone."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from reelgen.jobs import owners
from reelgen.jobs.settings import JobSettings

#: Ray's longest socket path is the temp folder plus 62 characters; Unix caps it near 107.
MAX_TEMP_CHARS = 44
_OWNER_FILE = "reelgen-owner"


def new_temp_dir(settings: JobSettings) -> Path:
    """A new temp folder for a private Ray: ``<data_dir>/ray-<random>`` if short enough, else under /tmp.

    Made new by ``mkdtemp``, never by pid: two containers sharing the data folder can run servers
    with the same pid, and one removed the other's live Ray folder when it was named by pid.
    """
    data_dir = Path(settings.data_dir).resolve()
    if len(str(data_dir / "ray-12345678")) <= MAX_TEMP_CHARS:  # mkdtemp adds 8 characters
        folder = Path(tempfile.mkdtemp(prefix="ray-", dir=data_dir))
    else:
        folder = Path(tempfile.mkdtemp(prefix="reelgen-ray-", dir="/tmp" if os.name == "posix" else None))
    (folder / _OWNER_FILE).write_text(f"{owners.machine()} {os.getpid()}")
    return folder


def sweep_temp_dirs(settings: JobSettings) -> list[Path]:
    """Remove private Ray folders (``/tmp/reelgen-ray-*``, ``<data_dir>/ray-*``) of processes now gone."""
    removed = []
    candidates = [*Path(tempfile.gettempdir()).glob("reelgen-ray-*"), *Path(settings.data_dir).glob("ray-*")]
    for folder in candidates:
        try:
            machine, pid = (folder / _OWNER_FILE).read_text().split()
        except (OSError, ValueError):
            continue
        if owners.left_behind(folder, machine, pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
