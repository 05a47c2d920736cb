"""`reelgen train-micro`: train, export and evaluate the project's own reelgen-micro model."""

from __future__ import annotations

from typing import Annotated

import typer


def train_micro(
    ctx: typer.Context,
    args: Annotated[
        list[str] | None,
        typer.Argument(help="train | export | evaluate, then that step's options (STEP --help lists them)."),
    ] = None,
) -> None:
    """Train reelgen-micro on procedural scenes (GPU), export it into the package, or score it.

    The steps and their options are those of `python -m reelgen.train.micro`;
    see docs/micro.md (it has a smoke run for a machine without a GPU).
    Export without --dest replaces the shipped model.

    Examples:

      reelgen train-micro train --out runs/micro

      reelgen train-micro export --checkpoint runs/micro --dest runs/micro-model

      reelgen train-micro evaluate --model runs/micro-model --out heldout.json

      reelgen train-micro train --help
    """
    # --help before a step is this page; after one (train --help) it is that step's options, which
    # only the step's own parser knows, so Click's eager --help is off for this command.
    if not args or args[0] in ("--help", "-h"):
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    from reelgen.train.micro import main

    raise typer.Exit(main(args, prog="reelgen train-micro"))


def register(app: typer.Typer) -> None:
    app.command(
        "train-micro",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    )(train_micro)
