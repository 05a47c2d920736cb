"""Drops the one warning Ray prints at every engine start that is no fault: its SIGTERM handler off the main thread."""

from __future__ import annotations

import logging

#: What ``ray.init`` warns when called off the main thread, as the engine thread always calls it.
_SIGTERM_NOT_SET = "SIGTERM handler is not set because current thread is not the main thread"


class _NotSigtermNote(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # ``reelgen serve``'s main thread has its own SIGTERM handler, which stops the server and
        # Ray with it: the warning made every start's log read like a fault ("WARNING worker.py:...").
        return not record.getMessage().startswith(_SIGTERM_NOT_SET)


_FILTER = _NotSigtermNote()


def quiet_ray_start() -> None:
    """Keep ``ray.init``'s SIGTERM-handler warning out of the server's output; Ray's other lines stay."""
    logger = logging.getLogger("ray._private.worker")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
