"""`reelgen train-micro` given a damaged checkpoint or model folder: one line naming the file, no "internal error"."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from reelgen.core.backends.micro import build as mb
from reelgen.core.errors import InvalidRequest
from reelgen.train.micro import main
from reelgen.train.micro_checkpoint import WEIGHTS, check_checkpoint, load_checkpoint
from reelgen.train.micro_loop import Parts


def _checkpoint(folder: Path) -> Path:
    """A checkpoint of the right files (tiny stand-in weights, real statistics): enough for the checks."""
    folder.mkdir()
    for name in WEIGHTS:
        save_file({"weight": torch.zeros(2, 2)}, str(folder / f"{name}.safetensors"))
    state = {
        "step": 3,
        "latents_mean": [0.0] * mb.Z_DIM,
        "latents_std": [1.0] * mb.Z_DIM,
        "vae_config": mb.VAE_CONFIG,
        "transformer_config": mb.TRANSFORMER_CONFIG,
    }
    (folder / "state.json").write_text(json.dumps(state))
    return folder


def test_a_whole_checkpoint_passes(tmp_path: Path) -> None:
    check_checkpoint(_checkpoint(tmp_path / "run"))


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        # safetensors raised "invalid header length" and "header too small" as an internal error.
        (
            lambda f: (f / "vae.safetensors").write_bytes(b"\x01" * 4),
            "vae.safetensors cannot be read as safetensors",
        ),
        (
            lambda f: (f / "transformer.safetensors").write_bytes(
                (f / "transformer.safetensors").read_bytes()[:-8]
            ),
            "transformer.safetensors cannot be read as safetensors",
        ),
        (lambda f: (f / "state.json").write_text("{not json"), "state.json is not readable JSON"),
        (lambda f: (f / "state.json").write_text("[]"), "state.json lacks latents_mean and latents_std"),
        (
            lambda f: (f / "state.json").write_text(json.dumps({"latents_mean": None, "latents_std": [1.0]})),
            f"lacks latents_mean and latents_std, {mb.Z_DIM} numbers each",
        ),
    ],
)
def test_a_damaged_checkpoint_is_refused_naming_the_file(tmp_path: Path, damage: object, said: str) -> None:
    folder = _checkpoint(tmp_path / "run")
    damage(folder)  # type: ignore[operator]
    with pytest.raises(InvalidRequest) as refused:
        check_checkpoint(folder, "--resume")
    assert refused.value.message.startswith(f"--resume {folder} is damaged: ")
    assert (
        said in refused.value.message
        and "give a folder `reelgen train-micro train --out` wrote" in refused.value.message
    )


def test_a_file_given_as_the_checkpoint_is_called_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert main(["export", "--checkpoint", str(notes), "--dest", str(tmp_path / "model")]) == 2
    assert f"error: --checkpoint {notes} is a file; give a folder" in capsys.readouterr().err


def test_weights_of_another_model_are_refused_naming_the_part(tmp_path: Path) -> None:
    # A checkpoint whose transformer file held the VAE's weights: load_state_dict's RuntimeError, pages long.
    folder = _checkpoint(tmp_path / "run")
    parts = Parts(None, torch.nn.Linear(2, 2, bias=False), torch.nn.Linear(3, 3, bias=False), None)
    with pytest.raises(InvalidRequest) as refused:
        load_checkpoint(folder, parts)
    assert refused.value.message.startswith(
        f"{folder / 'transformer.safetensors'} does not fit this reelgen's"
    )


def test_a_damaged_model_folder_is_refused_before_scoring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "model_index.json").write_text("{")

    class Pipeline:  # diffusers' own answer to that folder, without importing diffusers (seconds)
        @staticmethod
        def from_pretrained(folder: str, **_: object) -> None:
            raise OSError(
                f"It looks like the config file at '{folder}/model_index.json' is not a valid JSON file."
            )

    monkeypatch.setitem(sys.modules, "diffusers", types.SimpleNamespace(WanPipeline=Pipeline))
    monkeypatch.setattr("reelgen.core.backends.plumbing.silence_library_bars", lambda: None)
    assert main(["evaluate", "--model", str(model), "--prompts", "1", "--out", str(tmp_path / "e.json")]) == 2
    err = capsys.readouterr().err  # it was "internal error (OSError: ...)"
    assert err == (
        f"error: --model {model} cannot be loaded (It looks like the config file at '{model}/model_index.json' is "
        "not a valid JSON file.); give one `reelgen train-micro export --dest` wrote, or leave --model out for the "
        "shipped model\n"
    )
    assert not (tmp_path / "e.json").exists()
