"""Makes the data folder for its owner alone."""

from __future__ import annotations

import contextlib
from pathlib import Path


def private_folder(path: Path) -> None:
    """Make ``path`` for its owner alone when it does not exist yet (a folder already there keeps its mode).

    The data folder holds every prompt, upload and video and the job database; made with the
    default umask, any other account on the machine could read them all.
    """
    with contextlib.suppress(FileExistsError):
        Path(path).expanduser().mkdir(parents=True, mode=0o700)
