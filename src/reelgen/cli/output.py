"""Console helpers shared by the CLI commands: errors, progress bars, option parsing."""

from __future__ import annotations

import json
import math
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from reelgen.core.errors import ReelgenError
from reelgen.core.progress import CancelToken, ProgressEvent

#: Messages are not folded at the console's width (80 columns when not a terminal): a path cut
#: in two cannot be copied, and a log or a test reads a line as it was written.
console = Console(stderr=True, soft_wrap=True)


#: The exit status of a run stopped with Ctrl-C: 128 + SIGINT, what a shell reports for such a command,
#: so a script can tell "stopped" from "failed" (1) and "bad input" (2).
STOPPED = 130


def fail(exc: ReelgenError) -> typer.Exit:
    """Print a reelgen error the way a person reads it and pick the exit code (2 = bad input)."""
    console.print(f"[bold red]error:[/] {exc.message}")
    if exc.code == "cancelled":
        return typer.Exit(STOPPED)
    return typer.Exit(2 if exc.code in ("invalid_request", "unsupported_task", "model_not_available") else 1)


def positive_gib(value: float | None) -> float | None:
    """``--vram-budget``'s check: a budget is some GiB above 0, or left out for the free VRAM."""
    if value is not None and not (math.isfinite(value) and value > 0):  # nan > 0 and nan <= 0 are both False
        raise typer.BadParameter(
            f"{value:g} GiB is no budget; give the GiB above 0 to plan for, or leave it out"
        )
    return value


def parse_pairs(values: list[str], what: str) -> dict[str, Any]:
    """KEY=VALUE options; values are read as JSON when they parse (numbers, booleans), else strings."""
    out: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"{what} {item!r} must look like KEY=VALUE")
        try:
            out[key] = json.loads(raw)
        except ValueError:
            out[key] = raw
    return out


@contextmanager
def progress_bar(cancel: CancelToken, quiet: bool = False) -> Iterator[Any]:
    """A rich progress bar fed by ProgressEvents; the first Ctrl-C cancels at the next step."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def on_event(event: ProgressEvent) -> None:
        if event.message:
            console.print(f"[dim]{event.message}[/]")
        if not event.total:
            return
        if event.stage not in tasks:
            tasks[event.stage] = bar.add_task(event.stage, total=event.total)
        bar.update(tasks[event.stage], completed=event.step, total=event.total)

    def on_sigint(signum: int, frame: Any) -> None:
        if cancel.cancelled:  # a second Ctrl-C means now
            raise KeyboardInterrupt
        console.print("[yellow]cancelling at the next step (Ctrl-C again to abort now)[/]")
        cancel.cancel("cancelled with Ctrl-C")

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        with bar:
            yield on_event
    finally:
        signal.signal(signal.SIGINT, previous)
