"""`reelgen train-micro export --dest LINK` replaces the folder the link leads to, and keeps the link."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reelgen.train import micro
from reelgen.train.micro import main
from tests.train.test_s53b_checkpoint_state import _checkpoint


def test_a_link_to_an_earlier_export_is_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # It failed with "Cannot call rmtree on a symbolic link" (an internal error) once the model was saved.
    v3 = tmp_path / "v3"
    v3.mkdir()
    (v3 / "model_index.json").write_text('{"old": true}')
    current = tmp_path / "current"
    current.symlink_to(v3)

    class Pipe:  # the model's build and weights take seconds; the export's folder handling is what is tested
        tokenizer = text_encoder = transformer = vae = scheduler = None

    def save(pipe: Any, folder: Path, dtype: Any) -> None:
        (folder / "model_index.json").write_text('{"new": true}')

    monkeypatch.setattr(micro.mb, "build_untrained", lambda seed: Pipe())
    monkeypatch.setattr(micro.mb, "save", save)
    monkeypatch.setattr(micro.mb, "build_scheduler", lambda shift: None)
    monkeypatch.setattr(Pipe, "vae", type("Vae", (), {"register_to_config": lambda self, **_: None})())
    state = {"step": 7, "latents_mean": [0.0], "latents_std": [1.0]}
    configs = {"vae_config": micro.mb.VAE_CONFIG, "transformer_config": micro.mb.TRANSFORMER_CONFIG}
    state |= json.loads(json.dumps(configs))  # as state.json gives them back
    monkeypatch.setattr("reelgen.train.micro_checkpoint.load_checkpoint", lambda folder, parts: state)
    run = _checkpoint(tmp_path / "run")
    assert main(["export", "--checkpoint", str(run), "--dest", str(current)]) == 0
    assert current.is_symlink() and current.resolve() == v3.resolve()
    assert (v3 / "model_index.json").read_text() == '{"new": true}'
    assert f"exported step 7 to {v3.resolve()}" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "run", "v3"]  # no hidden folder left
