"""``python -m reelgen.train.avatar`` says where the trained model went in its JSON summary (and in
training.json): it printed every number but the folder to give ``reelgen avatar``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reelgen.train import avatar


def test_the_summary_names_the_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "train.npz"
    np.savez(data, features=np.zeros(1), frames=np.zeros(1), opening=np.zeros(1), width=np.zeros(1))
    out = tmp_path / "lipsync-out"

    def trained(_data: Path, folder: Path, *_: Any) -> dict[str, Any]:  # the model's training itself
        folder.mkdir(parents=True, exist_ok=True)
        return {"steps": 3, "loss": 0.5, "log": [{"step": 3}]}

    monkeypatch.setattr(avatar, "train", trained)
    avatar.main(["--data", str(data), "--out", str(out)])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["out"] == str(out.resolve()), summary
    assert json.loads((out / "training.json").read_text())["out"] == str(out.resolve())
