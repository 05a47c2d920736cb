"""A reelgen-micro checkpoint is written whole or not at all, and its state.json is checked before use."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch
from safetensors.torch import save_file

from reelgen.core.backends.micro import build as mb
from reelgen.train.micro import main
from reelgen.train.micro_checkpoint import WEIGHTS, load_checkpoint, save_checkpoint
from reelgen.train.micro_loop import Parts, TrainConfig


def _checkpoint(folder: Path, **state: Any) -> Path:
    """A checkpoint of stand-in 2x2 weights whose state.json is a whole one updated with ``state``."""
    folder.mkdir()
    for name in WEIGHTS:
        save_file({"weight": torch.zeros(2, 2)}, str(folder / f"{name}.safetensors"))
    whole = {
        "step": 3,
        "latents_mean": [0.0] * mb.Z_DIM,
        "latents_std": [1.0] * mb.Z_DIM,
        "vae_config": mb.VAE_CONFIG,
        "transformer_config": mb.TRANSFORMER_CONFIG,
    }
    (folder / "state.json").write_text(json.dumps({**whole, **state}))
    return folder


@pytest.mark.parametrize(
    ("state", "said"),
    [
        # A KeyError "internal error"; without "step", only after the model folder had been written.
        ({"step": None}, "state.json lacks the step it was written at (a whole number, 0 or more)"),
        ({"step": "abc"}, "state.json lacks the step it was written at"),
        ({"vae_config": None}, "state.json lacks vae_config (the models' settings)"),
        ({"transformer_config": "x"}, "state.json lacks transformer_config (the models' settings)"),
    ],
)
def test_export_refuses_a_state_without_what_it_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], state: dict[str, Any], said: str
) -> None:
    folder = _checkpoint(tmp_path / "run", **state)
    dest = tmp_path / "model"
    assert main(["export", "--checkpoint", str(folder), "--dest", str(dest)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --checkpoint {folder} is damaged: {said}")
    assert not dest.exists()


def test_a_damaged_log_does_not_stop_loading_the_weights(tmp_path: Path) -> None:
    # The log is a record: its JSONDecodeError made export (and resume) an "internal error".
    folder = _checkpoint(tmp_path / "run")
    (folder / "log.json").write_text('{"vae": [')
    parts = Parts(None, torch.nn.Linear(2, 2, bias=False), torch.nn.Linear(2, 2, bias=False), None)
    parts.vae = torch.nn.Linear(2, 2, bias=False)
    state = load_checkpoint(folder, parts)
    assert state["step"] == 3
    assert parts.mean is not None and parts.mean.shape == (1, mb.Z_DIM, 1, 1, 1)


def _save(out: Path, step: int, log: dict[str, Any]) -> None:
    parts: Any = SimpleNamespace(vae=torch.nn.Linear(2, 2), step=step, mean=None, std=None, log=log)
    torch.manual_seed(step)  # other weights each step
    save_checkpoint(parts, TrainConfig(out=out, device="cpu"), torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))


def test_a_failed_checkpoint_leaves_the_last_one_whole(tmp_path: Path) -> None:
    # The five files were renamed one by one: a failure (a full disk, Ctrl-C, a kill) after the first
    # left new weights beside the state.json of the step before.
    out = tmp_path / "run"
    _save(out, 3, {"events": []})
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(TypeError):  # log.json, the last file, cannot be written
        _save(out, 4, {"events": [object()]})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert json.loads((out / "state.json").read_text())["step"] == 3
