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

    The steps and their options are those of `python -m reelgen.train.micro`
    (STEP --help lists them; the recipe, docs/micro.md, is in reelgen's
    source, not in an installed wheel). Export without --dest replaces the
    shipped model.

    Examples:
      # 35 minutes on one GPU (--seconds 2100), evaluation included:
      reelgen train-micro train --out runs/micro
      # a few seconds:
      reelgen train-micro export --checkpoint runs/micro --dest runs/micro-model
      # 128 clips on the CPU, about 9 s each: 20 minutes (fewer with --prompts):
      reelgen train-micro evaluate --model runs/micro-model --out heldout.json
      reelgen train-micro train --help

    Without a GPU, a smoke run goes through every phase: training takes a
    minute (--seconds 60) on an idle machine, export and evaluation seconds
    each; the model it makes draws nothing yet:
      reelgen train-micro train --out runs/smoke --device cpu --seconds 60 \\
        --vae-seconds 10 --size 32 --frames 5 --vae-frames 5 --batch 4 \\
        --vae-batch 4 --pool 16 --stats-clips 8 --refresh 2 \\
        --validate-every 0 --eval-prompts 0
      reelgen train-micro export --checkpoint runs/smoke --dest runs/smoke-model
      reelgen train-micro evaluate --model runs/smoke-model --prompts 2 \\
        --size 32 --frames 5 --steps 1 --out runs/smoke-eval.json
    """
    # --help before a step is this page; after one (train --help) it is that step's options, which
    # only the step's own parser knows, so Click's eager --help is off for this command.
    if args and args[0] in ("--help", "-h"):
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    if not args:
        # No step did nothing and exited 0, so `reelgen train-micro && ...` went on as if it had trained;
        # it is a usage error, as `reelgen project` without a subcommand is (the page, then exit 2).
        typer.echo(ctx.get_help())
        typer.echo("error: give a step: train, export or evaluate (STEP --help lists its options)", err=True)
        raise typer.Exit(2)
    from reelgen.train.micro import main

    raise typer.Exit(main(args, prog="reelgen train-micro"))


def register(app: typer.Typer) -> None:
    app.command(
        "train-micro",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    )(train_micro)
