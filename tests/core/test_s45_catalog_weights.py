"""Where a model's weights are not: its place in the models folder holding something else, a model with no repository."""

from __future__ import annotations

import hashlib
import importlib
import io
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reelgen.core import weights
from reelgen.core.errors import InvalidRequest, WeightsNotHere
from reelgen.core.spec import registry
from tests.jobs import fakes


def refusal() -> str:
    with pytest.raises(WeightsNotHere) as caught:
        weights.locate(*registry.resolve("ltx-2b"))
    return caught.value.message


def test_a_checkpoint_copied_into_the_models_folder_is_said_to_be_no_diffusers_folder() -> None:
    """ "Looked in: PATH" named a folder plainly holding the model's file, and said nothing of why it was passed over."""
    local = Path(os.environ["REELGEN_MODELS_DIR"]) / "ltx-2b"
    local.mkdir(parents=True)
    (local / "ltx-video-2b-v0.9.5.safetensors").write_bytes(b"x")
    assert (
        f"Looked in: {local} (there, but with no model_index.json: it must be the model's whole diffusers "
        "folder, as `save_pretrained` writes it) and the Hugging Face cache" in refusal()
    )
    (local / "ltx-video-2b-v0.9.5.safetensors").unlink()
    assert f"Looked in: {local} and the Hugging Face cache" in refusal()  # an empty folder: nothing to say
    local.rmdir()
    local.write_bytes(b"")
    assert f"Looked in: {local} (a file: the model's diffusers folder goes there) and" in refusal()


def test_a_plugin_model_with_no_repository_is_sent_to_the_models_folder_not_to_pull() -> None:
    """generate said "(None) ... Fetch it with: reelgen pull MODEL", and pull that it "is built locally"."""
    local = Path(os.environ["REELGEN_MODELS_DIR"]) / "s45-local"
    preset = replace(fakes.PRESET, name="s45-local", family="s45local", repo_id=None, tiny=False)
    spec = replace(fakes.SPEC, family="s45local", presets=(preset,))
    with pytest.raises(WeightsNotHere) as missing:
        weights.locate(spec, preset)
    assert missing.value.message == (
        "model 's45-local' has no weights on this machine and no Hugging Face repository to pull them from. "
        f"Looked in: {local}; copy its diffusers folder there"
    )
    with pytest.raises(InvalidRequest) as pulled:
        weights.pull(preset)
    assert pulled.value.message == (
        f"model 's45-local' has no Hugging Face repository, so there is nothing to pull; copy its diffusers "
        f"folder to {local}"
    )


class Terminal(io.StringIO):
    """Output a person reads: tqdm draws there."""

    def isatty(self) -> bool:
        return True


def test_a_pull_draws_its_download_bars_on_a_terminal_and_nowhere_else(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """reelgen turns the libraries' bars off, and a pull of tens of GB sat at "downloading ..." like a hang."""
    drawn: dict[str, str] = {}

    def fake_download(repo: str, **kwargs: Any) -> str:
        for where, out in (("terminal", Terminal()), ("log", io.StringIO())):
            with kwargs["tqdm_class"](total=4, desc="Downloading bytes", file=out) as bar:
                bar.update(2)
            drawn[where] = out.getvalue()
        return str(tmp_path / "snapshot")

    monkeypatch.setenv(
        "HF_HUB_DISABLE_PROGRESS_BARS", "1"
    )  # as the CLI sets it, before huggingface_hub reads it
    monkeypatch.setattr(
        importlib.import_module("huggingface_hub.utils.tqdm"), "HF_HUB_DISABLE_PROGRESS_BARS", True
    )
    monkeypatch.setattr("huggingface_hub.snapshot_download", fake_download)
    weights.pull(registry.resolve("ltx-2b")[1])
    assert "Downloading bytes:  50%" in drawn["terminal"] and drawn["log"] == ""


def test_a_hash_is_given_though_the_data_folder_cannot_keep_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A read-only data folder failed a finished render as it was recorded: the hash cache could not be
    written, and the video (which needs nothing there) was never saved."""
    blocked = tmp_path / "home"
    blocked.write_text("a file where the data folder would be")
    monkeypatch.setenv("REELGEN_HOME", str(blocked))
    picture = tmp_path / "start.png"
    picture.write_bytes(b"not much of a picture")
    assert weights.sha256_file(picture) == hashlib.sha256(b"not much of a picture").hexdigest()
    assert blocked.read_text() == "a file where the data folder would be"
