"""`reelgen train-micro --help` says how long each example takes, and its CPU smoke run is there to copy.

The page gave three commands and no times: `train --out runs/micro` on its defaults runs 35
minutes (and on a machine without a GPU is refused), `evaluate` makes 128 clips at about 9 s
each on the CPU; the smoke run a new user on a CPU needs was only in docs/micro.md, which a
pip install does not have.
"""

from __future__ import annotations

import shlex

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.train.micro import parser, train_config


def _help() -> str:
    result = CliRunner().invoke(app, ["train-micro", "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def _commands(page: str) -> list[list[str]]:
    """Each `reelgen train-micro STEP ...` command of the page, its continued lines joined."""
    lines = [line.strip() for line in page.splitlines()]
    commands, current = [], ""
    for line in lines:
        if current:
            current += " " + line.rstrip("\\").strip()
        elif line.startswith("reelgen train-micro "):
            current = line.rstrip("\\").strip()
        if current and not line.endswith("\\"):
            commands.append(shlex.split(current)[2:])
            current = ""
    return commands


def test_each_example_says_how_long_it_takes() -> None:
    said = " ".join(_help().split())
    assert (
        "# 35 minutes on one GPU (--seconds 2100), evaluation included: reelgen train-micro train --out runs/micro"
        in said
    )
    assert "# a few seconds: reelgen train-micro export --checkpoint runs/micro" in said
    assert (
        "# 128 clips on the CPU, about 9 s each: 20 minutes (fewer with --prompts): reelgen train-micro evaluate"
        in said
    )
    assert (
        "Without a GPU, a smoke run goes through every phase: training takes a minute (--seconds 60)" in said
    )


def test_the_smoke_run_on_the_page_is_taken_as_printed() -> None:
    commands = _commands(_help())
    smoke = [argv for argv in commands if any("smoke" in a for a in argv)]
    assert [argv[0] for argv in smoke] == ["train", "export", "evaluate"], commands
    train = parser("reelgen train-micro").parse_args(smoke[0])
    assert train.device == "cpu"
    cfg = train_config(train)  # the budget and pool checks a run makes before it starts
    assert (cfg.seconds, cfg.eval_prompts, cfg.size) == (60.0, 0, 32)
    assert parser("reelgen train-micro").parse_args(smoke[1]).checkpoint == train.out
    evaluate = parser("reelgen train-micro").parse_args(smoke[2])
    assert evaluate.model == parser("reelgen train-micro").parse_args(smoke[1]).dest
