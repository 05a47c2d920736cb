"""``reelgen replay`` checks a LoRA file it was given, or one that changed, as ``generate`` checks one."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from tests.cli.replaying import said
from tests.cli.test_s45_lora_replay_given import sidecar
from tests.lora_files import write_lora

runner = CliRunner()
VALID = "LoRAs are taken as .safetensors files only (a .bin, .pt or .ckpt LoRA must be converted first)"


def _no_load(*args: object, **kwargs: object) -> None:
    raise AssertionError("the model's weights were looked up before the LoRA was checked")


def test_a_pickle_given_with_input_is_refused_before_the_model_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --allow-changed-inputs the pickle reached diffusers: 'could not be applied (list index out of range)'."""
    record = sidecar(tmp_path, write_lora(tmp_path / "style.safetensors"))
    pickled = tmp_path / "style.pt"
    torch.save({"transformer.a.lora_A.weight": torch.ones(4, 32)}, pickled)
    monkeypatch.setattr(weights, "locate", _no_load)
    out = tmp_path / "again.mp4"
    argv = ["replay", str(record), "-o", str(out), "--input", f"loras[0]={pickled}", "--allow-changed-inputs"]
    refused = runner.invoke(app, argv)
    assert refused.exit_code == 2, refused.output
    assert said(refused) == f"error: loras[0]: {pickled} is not a .safetensors file; {VALID}"
    assert not out.exists()


def test_a_lora_cut_short_since_is_refused_even_with_allow_changed_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lora = write_lora(tmp_path / "style.safetensors")
    record = sidecar(tmp_path, lora)
    lora.write_bytes(lora.read_bytes()[:-40])  # a copy that stopped part-way
    monkeypatch.setattr(weights, "locate", _no_load)
    out = tmp_path / "again.mp4"
    refused = runner.invoke(app, ["replay", str(record), "-o", str(out), "--allow-changed-inputs"])
    assert refused.exit_code == 2, refused.output
    assert said(refused).startswith(f"error: loras[0]: {lora} is cut short: "), refused.output
    assert not out.exists()


def test_a_record_naming_a_folder_as_its_lora_says_it_is_a_folder(tmp_path: Path) -> None:
    """A record edited to name a folder read 'loras[0]: /.../loras no longer exists' though it was there."""
    record = sidecar(tmp_path, write_lora(tmp_path / "style.safetensors"))
    folder = tmp_path / "loras"
    folder.mkdir()
    record.write_text(record.read_text().replace(str(tmp_path / "style.safetensors"), str(folder)))
    refused = runner.invoke(app, ["replay", str(record), "-o", str(tmp_path / "again.mp4")])
    assert refused.exit_code == 2, refused.output
    assert said(refused).startswith(
        f"error: cannot replay {record}: loras[0]: {folder} is a folder, not the LoRA file the video was made "
        "with; "
    ), refused.output
