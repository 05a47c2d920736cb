"""``reelgen replay``: a LoRA the record holds no hash of is checked only by a hash recorded for its own path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from tests.cli.replaying import said
from tests.cli.test_s45_lora_replay_given import sidecar
from tests.cli.test_s51h_replay_lora_twice import Loaded, _stop
from tests.lora_files import write_lora

runner = CliRunner()


def test_another_lora_of_the_same_bytes_as_a_moved_one_is_still_unchecked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tmp_path / "made"
    made.mkdir()
    style = write_lora(made / "style.safetensors")
    record = sidecar(made, style)
    other = tmp_path / "other.safetensors"  # outside the folder; its entry has no hash (edited by hand)
    shutil.copyfile(style, other)
    edited = json.loads(record.read_text())
    edited["request"]["loras"].append({"path": str(other), "strength": 0.3})
    edited["loras"].append({"path": str(other), "strength": 0.3})
    record.write_text(json.dumps(edited))
    moved = tmp_path / "moved"
    made.rename(moved)  # style.safetensors moved with the video; other.safetensors stayed
    monkeypatch.setattr(weights, "locate", _stop)
    result = runner.invoke(app, ["replay", str(moved / record.name), "-o", str(tmp_path / "again.mp4")])
    assert isinstance(result.exception, Loaded), result.output
    assert f"loras[0]: {style} no longer exists; using {moved / style.name}, the same file" in said(result)
    # It replayed loras[1] without a word: its bytes matched the hash of loras[0], another entry.
    assert f"loras[1]: {other} cannot be checked: the record holds no SHA-256 of it" in said(result)
