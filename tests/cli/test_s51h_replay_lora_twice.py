"""``reelgen replay`` of a record edited to list one LoRA file twice checks both entries by its hash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from tests.cli.replaying import said
from tests.cli.test_s45_lora_replay_given import sidecar
from tests.lora_files import write_lora

runner = CliRunner()


def twice(folder: Path) -> tuple[Path, Path]:
    """A record whose request was edited to apply its one LoRA twice (its ``loras`` hash it once)."""
    lora = write_lora(folder / "style.safetensors")
    record = sidecar(folder, lora)
    edited = json.loads(record.read_text())
    edited["request"]["loras"].append({"path": str(lora), "strength": 0.3})
    record.write_text(json.dumps(edited))
    return record, lora


class Loaded(Exception):
    """Raised where the model's weights are looked up: the replay got past its file checks."""


def _stop(*args: object, **kwargs: object) -> None:
    raise Loaded


def test_the_second_entry_is_checked_by_the_hash_recorded_for_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record, lora = twice(tmp_path)
    monkeypatch.setattr(weights, "locate", _stop)
    result = runner.invoke(app, ["replay", str(record), "-o", str(tmp_path / "again.mp4")])
    assert isinstance(result.exception, Loaded), result.output
    # It warned "loras[1]: ... cannot be checked: the record holds no SHA-256 of it" though it does.
    assert "cannot be checked" not in said(result), result.output


def test_the_second_entry_of_a_file_changed_since_is_said_to_have_changed(tmp_path: Path) -> None:
    record, lora = twice(tmp_path)
    write_lora(lora, rank=2)  # edited since the video was made
    refused = runner.invoke(app, ["replay", str(record), "-o", str(tmp_path / "again.mp4")])
    assert refused.exit_code == 2, refused.output
    assert (
        f"loras[0]: {lora} has changed since the video was made; "
        f"loras[1]: {lora} has changed since the video was made; pass --allow-changed-inputs"
    ) in said(refused)
    assert not (tmp_path / "again.mp4").exists()


def test_both_entries_moved_with_the_video_are_found_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tmp_path / "made"
    made.mkdir()
    record, lora = twice(made)
    moved = tmp_path / "moved"
    made.rename(moved)  # the folder moved as a whole: the record still names made/style.safetensors
    monkeypatch.setattr(weights, "locate", _stop)
    result = runner.invoke(app, ["replay", str(moved / record.name), "-o", str(tmp_path / "again.mp4")])
    assert isinstance(result.exception, Loaded), result.output
    here = moved / lora.name
    for i in (0, 1):
        assert f"loras[{i}]: {lora} no longer exists; using {here}, the same file" in said(result)
    # It warned that loras[1] "cannot be checked" right after saying it was the same file.
    assert "cannot be checked" not in said(result), result.output
