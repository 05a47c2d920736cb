"""The lip-sync training scripts stopped by Ctrl-C say so in one line, exit 130, not a traceback."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from reelgen.train import avatar, avatar_latent, avatar_open


def _inputs(tmp_path: Path) -> dict[str, str]:
    """Stand-in data, sources, VAE and lip-sync folders that pass the scripts' checks."""
    ones = np.zeros(1)
    np.savez(tmp_path / "train.npz", features=ones, frames=ones, opening=ones, width=ones)
    np.savez(tmp_path / "sources.npz", textures=ones, photos=ones, photo_mouths=ones)
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "lipsync.json").write_text("{}")
    return {"tmp": str(tmp_path)}


@pytest.mark.parametrize(
    ("script", "lead"),
    [
        (avatar, []),
        (avatar_latent, ["--vae", "{tmp}"]),
        (avatar_open, ["train", "--model", "{tmp}", "--sources", "{tmp}/sources.npz"]),
    ],
)
def test_ctrl_c_while_training_is_one_line(
    script: ModuleType,
    lead: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def train(*_: Any) -> None:
        raise KeyboardInterrupt  # in a training step: a traceback out of torch's modules

    monkeypatch.setattr(script, "train", train)
    names = _inputs(tmp_path)
    out = tmp_path / "out"
    argv = [a.format(**names) for a in lead] + ["--data", f"{tmp_path}/train.npz", "--out", str(out)]
    with pytest.raises(SystemExit) as exit_:
        script.main(argv)
    assert exit_.value.code == 130
    err = capsys.readouterr().err
    assert err.endswith(
        f": error: stopped with Ctrl-C; the model is written to {out} only when training ends\n"
    )
    assert len(err.splitlines()) == 1
