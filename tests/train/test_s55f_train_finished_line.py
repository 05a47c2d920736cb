"""A `reelgen train-micro train` run that finishes ends with where its checkpoint is and the export command.

Its last line was the transformer's step count ("transformer: 1 steps of 4; no average logged
yet"): nothing said the checkpoint was saved, where, or that `export` makes it a model.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.train import micro_loop
from reelgen.train.micro import main
from reelgen.train.micro_checkpoint import save_checkpoint

SMOKE = ["--device", "cpu", "--seconds", "60", "--vae-seconds", "10", "--eval-prompts", "0"]


@pytest.fixture
def one_checkpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Training cut down to what it leaves: one checkpoint of step 7 (nothing is trained)."""

    def run(cfg: Any) -> Any:
        parts: Any = SimpleNamespace(vae=torch.nn.Linear(2, 2), step=7, mean=None, std=None, log={})
        save_checkpoint(parts, cfg, torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))
        return parts

    monkeypatch.setattr(micro_loop, "run", run)


def test_the_last_line_names_the_checkpoint_and_the_export_command(
    tmp_path: Path, one_checkpoint: None
) -> None:
    out = tmp_path / "runs" / "smoke"
    result = CliRunner().invoke(app, ["train-micro", "train", "--out", str(out), *SMOKE])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"done: {out} holds the checkpoint of step 7; make it a model with "
        f"`reelgen train-micro export --checkpoint {out} --dest {out}-model`"
    )


def test_the_module_names_itself_and_quotes_a_path_with_a_space(
    tmp_path: Path, one_checkpoint: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "my runs" / "smoke"
    assert main(["train", "--out", str(out), *SMOKE]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == (
        f"done: {out} holds the checkpoint of step 7; make it a model with "
        f"`python -m reelgen.train.micro export --checkpoint '{out}' --dest '{out}-model'`"
    )
