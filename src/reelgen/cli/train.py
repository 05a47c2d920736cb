"""`reelgen train-micro`: train, export and evaluate the project's own reelgen-micro model."""

from __future__ import annotations

from typing import Annotated

import typer


def train_micro(
    args: Annotated[
        list[str] | None, typer.Argument(help="train | export | evaluate, then that step's options.")
    ] = None,
) -> None:
    """Train reelgen-micro on procedural scenes (GPU), export it into the package, or score it.

    The steps and their options are those of `python -m reelgen.train.micro`; see docs/micro.md.

    Examples:

      reelgen train-micro train --out runs/micro

      reelgen train-micro export --checkpoint runs/micro

      reelgen train-micro evaluate --prompts 128 --out heldout.json
    """
    from reelgen.train.micro import main

    raise typer.Exit(main(args or ["--help"]))


def register(app: typer.Typer) -> None:
    app.command("train-micro", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
        train_micro
    )
