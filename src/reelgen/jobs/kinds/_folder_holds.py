"""The output folders a server's running batches and shoot-outs hold, each until its job ends."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack


class FolderHolds:
    """One held folder lock per parent job: taken once when it starts, let go when it ends, fails or is cancelled.

    The lock is the one an in-process run takes, so a server run and a local one (or another server's)
    into one folder cannot write over each other's files. Held by this process: a restart takes it again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, ExitStack] = {}

    def take(self, parent_id: str, held: Callable[[], AbstractContextManager[object]]) -> None:
        """Hold ``held()`` for ``parent_id`` unless it already does; its refusal (folder busy) is raised."""
        with self._lock:
            if parent_id in self._held:
                return
        stack = ExitStack()
        stack.enter_context(held())
        with self._lock:
            self._held[parent_id] = stack

    def let_go(self, parent_id: str) -> None:
        """``parent_id``'s folder free again; nothing if it held none."""
        with self._lock:
            stack = self._held.pop(parent_id, None)
        if stack is not None:
            stack.close()
