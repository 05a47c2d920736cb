"""Which project on each server a local project folder is (``.reelgen/servers.json``), made by one run at a time."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reelgen.core.encode import write_json_atomic
from reelgen.core.flock import hold_flock

ID_FILE = Path(".reelgen") / "servers.json"
LOCK_FILE = Path(".reelgen") / "servers.lock"


def saved_ids(root: Path) -> dict[str, str]:
    """The server project id of ``root``'s project by server URL; none for a missing or damaged file."""
    try:
        data = json.loads((root / ID_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def remember(root: Path, server: str, project_id: str) -> None:
    """Save ``project_id`` as ``root``'s project on ``server``, keeping the other servers' ids."""
    path = root / ID_FILE
    path.parent.mkdir(exist_ok=True)
    write_json_atomic(path, {**saved_ids(root), server: project_id})


@contextmanager
def held(root: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """``root``'s server ids to this run alone, waiting (after ``on_wait``) for another run holding them.

    Two first runs side by side each found no saved id and each made a project on the server; the
    second now waits and finds the first's. The lock goes with its process, so one killed part-way
    holds nothing. A folder that takes no lock file goes unlocked, as the project's state does.
    """
    try:
        (root / LOCK_FILE).parent.mkdir(parents=True, exist_ok=True)
        fd = hold_flock(root / LOCK_FILE, on_wait)
    except OSError:
        yield
        return
    try:
        yield
    finally:
        os.close(fd)
