"""What a reelgen-micro step says at its end: stopped by Ctrl-C or a kill, what was kept (not a traceback); a finished run, what to do next."""

from __future__ import annotations

import json
import shlex
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Exit statuses of a stopped command, as a shell reports them (128 + the signal), and as reelgen's others.
BY_CTRL_C, BY_SIGTERM = 128 + signal.SIGINT, 128 + signal.SIGTERM


class Killed(BaseException):
    """SIGTERM arrived: raised in the main thread so the checkpoint being written is taken back whole.

    With the default action ``python -m reelgen.train.micro`` ended where it stood, leaving the hidden
    file a checkpoint was being written to (16 MB for the transformer) beside the run's files.
    """


def _raise_killed(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second kill while unwinding ends it at once
    raise Killed


@contextmanager
def kill_unwinds() -> Iterator[None]:
    """Run the block with SIGTERM raising ``Killed``; the handler before (reelgen's CLI has one) comes back."""
    try:
        previous = signal.signal(signal.SIGTERM, _raise_killed)
    except ValueError:  # not the main thread: signals are not ours to take
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stopped_line(args: Any, by: str) -> str:
    """What a stop (``by``: "Ctrl-C" or "SIGTERM") of the step ``args`` asked for left, in one line."""
    said = f"stopped with {by}; nothing half-written was left"
    if args.command == "train":
        out = Path(args.out)
        step = _checkpoint_step(out)
        if step is None:
            return f"{said}, and no checkpoint was written to {out} yet"
        # A resumed run takes only the options it is given (size, batch, ...), so the whole command again.
        return (
            f"{said}; {out} holds the checkpoint of step {step}: to go on, run the same command with "
            f"--resume {out} --vae-seconds 0 added"
        )
    if args.command == "export":
        return f"{said}; nothing was exported ({args.dest} is as it was)"
    return said


def finished_line(args: Any, prog: str) -> str:
    """The last line of a ``train`` run that ended by itself: where its checkpoint is and how it becomes a model.

    The run's last line was its transformer's step count: nothing said the checkpoint was saved,
    where, or that ``export`` turns it into a model ``reelgen generate`` can load.
    """
    out = Path(args.out)
    step = _checkpoint_step(out)
    report = f", its scores in {out / 'eval.json'}" if (out / "eval.json").is_file() else ""
    model = shlex.quote(f"{out}-model")
    of_step = f" of step {step}" if step is not None else ""
    return (
        f"done: {out} holds the checkpoint{of_step}{report}; make it a model with "
        f"`{prog} export --checkpoint {shlex.quote(str(out))} --dest {model}`"
    )


def _checkpoint_step(out: Path) -> int | None:
    try:
        step = json.loads((out / "state.json").read_text(encoding="utf-8")).get("step")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return None
    return step if isinstance(step, int) else None
