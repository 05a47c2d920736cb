"""`reelgen train-micro export` never replaces a --dest folder that holds the checkpoint it exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.train.micro import main
from tests.train.test_s53b_checkpoint_state import _checkpoint


def test_a_dest_holding_the_checkpoint_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A run trained into a folder inside an earlier export's (model/run) was deleted by the export
    # that replaced model/ with the run's own weights.
    model = tmp_path / "model"
    model.mkdir()
    (model / "model_index.json").write_text("{}")
    run = _checkpoint(model / "run")
    assert main(["export", "--checkpoint", str(run), "--dest", str(model)]) == 2
    assert capsys.readouterr().err == (
        f"error: --dest {model} holds the checkpoint {run}, and export replaces the whole folder; give a "
        "folder outside it\n"
    )
    assert sorted(p.name for p in run.iterdir()) == [
        "state.json",
        "text_encoder.safetensors",
        "transformer.safetensors",
        "vae.safetensors",
    ]
