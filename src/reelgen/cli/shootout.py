"""`reelgen shootout --models A,B --prompts prompts.yaml`: every model on every prompt, scored, in one HTML report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reelgen.cli.output import console, fail, progress_bar
from reelgen.core.errors import ReelgenError
from reelgen.core.progress import Progress

if TYPE_CHECKING:
    from reelgen.core.shootout import Shootout

Opt = typer.Option


def _names(values: list[str] | None) -> list[str]:
    """Comma-separated and repeated options alike, in order, blanks dropped."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def shootout(
    models: Annotated[
        list[str], Opt("--models", "-m", help="Models to compare: A,B,C (or repeat the option).")
    ],
    prompts: Annotated[
        Path, Opt("--prompts", "-p", help="YAML of prompts, shared settings and score weights.")
    ],
    images: Annotated[
        list[str] | None,
        Opt(
            "--images",
            "-i",
            help="Start images for image-to-video models, one per prompt in turn (a.png,b.png).",
        ),
    ] = None,
    output: Annotated[
        Path | None, Opt("--output", "-o", help="Report folder (default shootout-YYYYmmdd-HHMMSS).")
    ] = None,
    price: Annotated[
        float | None, Opt("--price-per-gpu-hour", help="Price of GPU time (default: the prompts file's).")
    ] = None,
    device: Annotated[str | None, Opt(help="cpu, cuda or cuda:N (default: first GPU, else CPU).")] = None,
    quiet: Annotated[bool, Opt("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run each model on each prompt and write a report: time per stage, peak VRAM, cost, quality, score.

    The folder gets report.html (self-contained: opens offline), results.json (every
    number), the clips, a contact sheet and an animated preview of each. Weights and
    shared settings live in the prompts file (see docs/shootout.md).

    Example:

      reelgen shootout --models ltx-distilled,wan-1.3b --prompts prompts.yaml -o compare/
    """
    from reelgen.core.shootout import load_prompts, run_shootout

    folder = output or Path(f"shootout-{dt.datetime.now():%Y%m%d-%H%M%S}")
    progress = Progress(preview_every=0)
    try:
        spec = load_prompts(prompts)
        with progress_bar(progress.cancel, quiet) as on_event:
            progress.on_event = on_event
            done = run_shootout(
                _names(models),
                spec,
                folder,
                base_dir=prompts.resolve().parent,
                images=_names(images),
                progress=progress,
                device=device,
                price_per_gpu_hour=price,
            )
    except ReelgenError as exc:
        raise fail(exc) from None
    _say(done)


def _say(done: Shootout) -> None:
    """The ranking and the failures on the console; the report's path on stdout."""
    from reelgen.core.shootout import ranking

    for row in ranking(done.results):
        finished = f"{row['done']} of {row['trials']} finished"
        console.print(f"{row['model']}: mean score {row['score']:.1f} ({finished})")
    for r in done.results:
        if r.error:
            console.print(f"[yellow]{r.key} failed:[/] {r.error['message']}")
    typer.echo(str(done.report))


def register(app: typer.Typer) -> None:
    app.command()(shootout)
