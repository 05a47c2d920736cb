"""A training checkpoint's files are readable as the umask allows, like every file reelgen makes."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch

from reelgen.train.micro_checkpoint import save_checkpoint
from reelgen.train.micro_loop import TrainConfig


def test_every_checkpoint_file_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    # safetensors wrote the three weight files 0600 while state.json and log.json were 0644, so a
    # run on a shared machine could not be resumed or exported by anyone else.
    out = tmp_path / "run"
    parts: Any = SimpleNamespace(vae=torch.nn.Linear(2, 2), step=3, mean=None, std=None, log=[])
    old = os.umask(0o022)
    try:
        save_checkpoint(
            parts, TrainConfig(out=out, device="cpu"), torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
        )
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert set(modes) == {
        "transformer.safetensors",
        "text_encoder.safetensors",
        "vae.safetensors",
        "state.json",
        "log.json",
    }
    assert modes == dict.fromkeys(modes, 0o644)
