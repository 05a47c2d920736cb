"""Ctrl-C in the middle of a CLI run: a progress bar that sends this process SIGINT at a chosen step."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

from reelgen.core.progress import ProgressEvent


def interrupting(real: Callable[..., Any], stage: str, step: int = 1) -> Callable[..., Any]:
    """``real`` (the CLI's ``progress_bar``), sending SIGINT once ``stage`` reaches ``step``: what Ctrl-C sends."""

    def bar(cancel: Any, quiet: bool = False) -> Any:
        ctx = real(cancel, quiet)

        class Wrapped:
            def __enter__(self) -> Callable[[ProgressEvent], None]:
                inner = ctx.__enter__()

                def on_event(event: ProgressEvent) -> None:
                    inner(event)
                    if event.stage == stage and event.step == step:
                        os.kill(os.getpid(), signal.SIGINT)

                return on_event

            def __exit__(self, *exc: object) -> Any:
                return ctx.__exit__(*exc)

        return Wrapped()

    return bar
