"""Console helpers shared by the CLI commands: errors, progress bars, option parsing, output names."""

from __future__ import annotations

import json
import math
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from reelgen.cli.kept_output import forget_output, kept, note_output
from reelgen.cli.sigterm import Terminated, stopped_by_sigterm
from reelgen.cli.usage import STOPPED, STOPPED_SAID
from reelgen.core.atomic import LOOP, link_loop, name_problem
from reelgen.core.errors import Cancelled, ReelgenError
from reelgen.core.progress import CancelToken, ProgressEvent
from reelgen.core.progress import Progress as RenderProgress

if TYPE_CHECKING:
    from reelgen.core.render import RenderResult
    from reelgen.core.spec.request import ResolvedRequest

#: Messages are not folded at the console's width (80 columns when not a terminal): a path cut
#: in two cannot be copied, and a log or a test reads a line as it was written. No emoji codes:
#: ``RAY_ADDRESS='a:b:c'`` was printed as 'a🅱c'.
console = Console(stderr=True, soft_wrap=True, emoji=False)


#: The most takes one ``--count`` makes: enough to pick the best of, few enough to finish in a sitting.
MAX_TAKES = 100


#: Control characters other than line breaks and tabs: a file name holding ESC "[31m" turned the rest of
#: the terminal red (Rich drops BEL but prints ESC as it is). They are shown as ``\x1b``, as Python writes them.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """``text`` safe to print through Rich: its markup escaped and its control characters made visible."""
    return escape(_CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


def say_ended(what: str, message: str) -> None:
    """A job's end that is not success, ``failed: MESSAGE``, in red with the message as it was said."""
    console.print(f"[red]{shown(what)}[/]: {shown(message)}", highlight=False)


def say_error(text: str) -> None:
    """One ``error:`` line. Escaped: a name holding "[/]" ended in "internal error (MarkupError)", and
    "[b]x" lost its brackets, read as Rich markup."""
    console.print(f"[bold red]error:[/] {shown(text)}", highlight=False)


def fail(exc: ReelgenError) -> typer.Exit:
    """Print a reelgen error the way a person reads it and pick the exit code (2 = bad input)."""
    if exc.code == "cancelled":
        say_error(kept(exc.message))  # and the earlier file -o named, if any, is as it was
        return typer.Exit(STOPPED)
    say_error(exc.message)
    return typer.Exit(2 if exc.code in ("invalid_request", "unsupported_task", "model_not_available") else 1)


def positive_gib(value: float | None) -> float | None:
    """``--vram-budget``'s check: a budget is some GiB above 0, or left out for the free VRAM."""
    if value is not None and not (math.isfinite(value) and value > 0):  # nan > 0 and nan <= 0 are both False
        raise typer.BadParameter(
            f"{value:g} GiB is no budget; give the GiB above 0 to plan for, or leave it out"
        )
    return value


def output_path(text: str) -> Path:
    """``--output`` as typed: an empty name is refused here, while it can still be told from ".".

    Read as a path, "" is ".", so ``-o "$OUT"`` with OUT unset was refused as "output . is a
    folder", which named neither the option nor what was wrong.
    """
    if not text.strip():
        raise typer.BadParameter("it is empty; give a file name such as clip.mp4, or leave it out")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):  # a line break split the "one path a line" output
        raise typer.BadParameter(
            f"{text!r} holds a control character (a line break or tab); give a plain name"
        )
    too_long = name_problem(Path(text))  # it was an internal error (File name too long)
    if too_long:
        raise typer.BadParameter(too_long)
    if text.endswith("/"):  # "dir/ is a folder" sent a person looking for a dir that was not there
        raise typer.BadParameter(
            f"{text} names a folder (it ends in /); give a file name in it such as {text}clip.mp4"
        )
    if Path(text).name in ("", ".."):  # ".. has no name before .."; "." is ""
        raise typer.BadParameter(
            f"{text} is a folder; give a file name in it such as {Path(text) / 'clip.mp4'}"
        )
    if Path(text).name.startswith(".") and not Path(text).suffix:  # "output .mp4 must end in .mp4, ..."
        raise typer.BadParameter(f"{text} has no name before {Path(text).name}; give one such as clip.mp4")
    if link_loop(Path(text)):
        raise typer.BadParameter(f"{text} {LOOP}; give a file name such as clip.mp4, or remove the link")
    note_output(Path(text))
    return Path(text)


def output_option(help: str) -> Any:
    """``--output`` / ``-o``, read by ``output_path``; ``help`` says what it writes and its default."""
    return typer.Option("--output", "-o", parser=output_path, metavar="<path>", help=help)


def take_count(value: int) -> int:
    """``--count``'s check: from 1 take (a plain run) to ``MAX_TAKES``."""
    if not 1 <= value <= MAX_TAKES:
        raise typer.BadParameter(f"{value} is not from 1 to {MAX_TAKES}; give how many takes to make")
    return value


#: ``-q`` of the commands whose step lines ``progress_bar`` drops when quiet (``STEP_STAGES``).
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar or step lines; warnings still print.")
]

#: ``--count`` of generate and animate, read by ``take_count``.
CountOpt = Annotated[
    int,
    typer.Option(
        "--count",
        callback=take_count,
        help="Takes to make (1 to 100), seeds S, S+1, ... from one model load; -o x.mp4 "
        "names them x-1.mp4 ... The last lines are their paths, one a line.",
    ),
]


def parse_pairs(values: list[str], what: str) -> dict[str, Any]:
    """KEY=VALUE options; values are read as JSON when they parse (numbers, booleans), else strings."""
    out: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        # "flow_shift = 3" (spaced as in a config file) kept the space in the key: "flow_shift  is not a
        # known field; did you mean flow_shift?". No key holds one; a JSON value may be spaced already.
        key, raw = key.strip(), raw.strip()
        if not sep or not key:
            raise typer.BadParameter(f"{what} {item!r} must look like KEY=VALUE")
        if key in out:  # the last would win without a word, and the record hide that the first was asked
            raise typer.BadParameter(f"{what} {key} is given twice; give each KEY once")
        try:
            out[key] = json.loads(raw)
        except ValueError:
            out[key] = raw
        except RecursionError:  # ten thousand "[" was an internal error; no option nests that deep
            raise typer.BadParameter(f"{what} {key} nests lists or objects too deeply to read") from None
    return out


#: The stages whose lines say how a run goes, not what went wrong: the memory plan, a scene and its
#: windows, each batch item or shoot-out trial as it ends (their failures are said again in the summary).
#: ``-q`` leaves them out; notes of other stages (a frame cut short, what an output cannot carry) stay.
STEP_STAGES = frozenset({"plan", "project", "window", "batch", "shootout", "free_noise"})


def step_line(event: ProgressEvent) -> bool:
    """Whether ``event``'s line is a step of the run, which ``-q`` leaves out; a warning never is."""
    return event.stage in STEP_STAGES and not event.message.startswith("warning:")


@contextmanager
def progress_bar(cancel: CancelToken, quiet: bool = False) -> Iterator[Any]:
    """A rich progress bar fed by ProgressEvents; the first Ctrl-C cancels at the next step.

    With ``quiet`` there is no bar and no step lines (``step_line``); warnings still print.
    """
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
        # -q printed the memory plan and every item's line though its help promised no progress.
        if event.message and not (quiet and step_line(event)):
            console.print(f"[dim]{shown(event.message)}[/]")
        if not event.total:
            return
        if event.stage not in tasks:
            if not tasks:
                # Shown from its first step: a bar started with no task still ends with an empty line,
                # which stood between the model line and an error in logs ("error: ..." was no longer
                # the one line after it).
                bar.start()
            tasks[event.stage] = bar.add_task(event.stage, total=event.total)
        bar.update(tasks[event.stage], completed=event.step, total=event.total)

    def on_sigint(signum: int, frame: Any) -> None:
        if cancel.cancelled:  # a second Ctrl-C means now
            raise KeyboardInterrupt
        console.print("[yellow]cancelling at the next step (Ctrl-C again to abort now)[/]")
        cancel.cancel("cancelled with Ctrl-C")

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield on_event
    except KeyboardInterrupt:
        # A second Ctrl-C stops at once: said in one line with exit 130 by the command's own handling
        # of Cancelled, as the first is (it ended silently, with no word of what was kept). A file
        # being written is removed as the interrupt passes through its writer (core.atomic.staged).
        raise Cancelled(STOPPED_SAID) from None
    finally:
        if tasks:
            bar.stop()
        signal.signal(signal.SIGINT, previous)


def take_outputs(output: Path | None, seeds: list[int], model: str) -> list[Path]:
    """Where each of several takes of one request goes, every name checked before any work.

    ``-o take.mp4`` gives take-1.mp4, take-2.mp4 ... (take-01.mp4 ... from ten takes on, so
    they sort in order); without it each take gets the default name, which holds its seed.
    """
    from reelgen.core.encode import wrong_container
    from reelgen.core.render import SUFFIXES, check_output, default_output

    output = output.expanduser() if output is not None else None
    if output is not None and output.suffix.lower() not in SUFFIXES:
        raise wrong_container(output)
    digits = len(str(len(seeds)))
    paths = [
        default_output(model, seed)
        if output is None
        else output.with_name(f"{output.stem}-{number:0{digits}d}{output.suffix}")
        for number, seed in enumerate(seeds, 1)
    ]
    for path in paths:
        check_output(path)
    return paths


def takes_ready(output: Path | None, seeds: list[int], request: ResolvedRequest) -> list[Path]:
    """``take_outputs``, then the model's weights found: missing, their error came after a
    "take 1/N: seed S -> NAME" line, which read as if a take had begun."""
    from reelgen.core import weights
    from reelgen.core.spec import registry

    paths = take_outputs(output, seeds, request.model)
    weights.locate(*registry.resolve(request.model), request.weights)
    return paths


def plan_line(result: RenderResult) -> str:
    """The memory plan, seed and size a render ended with, the line before its path.

    A run split over processes names how (``--gpus 2 --device cpu`` said just "plan: cpu"):
    how many processes over which backend, and what they share, as the record's ``parallel`` says.
    """
    meta, video = result.metadata, result.video
    split = meta.get("parallel") or {}
    shares = [
        *(["guidance halves"] if split.get("cfg_parallel") else []),
        *(
            f"{kind.capitalize() if kind == 'ulysses' else kind} {degree}"
            for kind, degree in (split.get("context_parallel") or {}).items()
            if kind in ("ulysses", "ring") and isinstance(degree, int) and degree > 1
        ),
    ]
    over = f" over {split['backend']}" if split.get("backend") else ""
    layout = f" | {split['processes']} processes{over}" if split.get("processes") else ""
    layout += f": {', '.join(shares)}" if layout and shares else ""
    return (
        f"plan: {meta['memory_plan']['strategy']}{layout} | seed {meta['request']['seed']} | "
        f"{video.num_frames} frame{'' if video.num_frames == 1 else 's'} {video.width}x{video.height} @ {video.fps} fps"
    )


def render_takes(
    takes: list[tuple[ResolvedRequest, Path]],
    make: Callable[[ResolvedRequest, Path, RenderProgress], RenderResult],
    quiet: bool,
    say: Callable[[ReelgenError], ReelgenError],
) -> None:
    """Make the takes in order under one progress bar, then print their paths, one a line.

    A take that fails stops the rest (they would fail the same way) and a Ctrl-C stops the
    one running (it writes nothing); the takes already made are kept and their paths printed.
    """
    progress, made = RenderProgress(preview_every=0), []
    forget_output()
    try:
        with progress_bar(progress.cancel, quiet) as on_event:
            for number, (take, path) in enumerate(takes, 1):
                label = f"take {number}/{len(takes)}"
                # Each take gets its own rows ("take 2/3 denoise"), so the bar shows which is running.
                # A line keeps its stage, by which -q knows a step from a warning.
                progress.on_event = lambda event, label=label: on_event(
                    replace(event, stage=f"{label} {event.stage}") if event.total else event
                )
                if not quiet:  # a step line; the plan line after it names the seed as well
                    console.print(f"{label}: seed {take.seed} -> {path}")
                result = make(take, path, progress)
                made.append(result.path)
                if not quiet:  # -q promised no step lines: "take 1/2 plan: ..." is one
                    console.print(f"{label} {plan_line(result)}")
    except ReelgenError as exc:  # a second Ctrl-C too (Cancelled): the file being written was removed
        if isinstance(exc, Cancelled) and len(takes) > 1:
            # "no file was written" read as if the takes kept below were gone too: it is true of one take.
            running = len(made) + 1
            exc = Cancelled(
                f"take {running} of {len(takes)} {progress.cancel.reason}; that take wrote no file"
            )
        stop = fail(say(exc))
        _name_kept(made, len(takes))
        raise stop from None
    except Terminated:  # a kill: said as a Ctrl-C is, the error line first, then the takes kept
        killed = stopped_by_sigterm()
        _name_kept(made, len(takes))
        raise killed from None
    for path in made:
        typer.echo(str(path))


def _name_kept(made: list[Path], count: int) -> None:
    if made:
        console.print(f"kept {len(made)} of the {count} takes, made before it stopped:")
    for path in made:
        typer.echo(str(path))
