"""``reelgen replay --input loras[i]=FILE`` naming another file than the one the video was made with."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.weights import sha256_file
from tests.cli.replaying import said
from tests.core.helpers import resolved
from tests.lora_files import write_lora

runner = CliRunner()


def sidecar(folder: Path, lora: Path) -> Path:
    """The record of an ltx-tiny video made with ``lora``, as generate writes its request and LoRAs."""
    request = resolved(model="ltx-tiny", prompt="waves", seed=1, loras=[{"path": str(lora), "strength": 0.5}])
    record = {
        "record_format": 2,
        "request": request.model_dump(mode="json"),
        "loras": [{"path": str(lora), "strength": 0.5, "sha256": sha256_file(lora)}],
    }
    path = folder / "clip.json"
    path.write_text(json.dumps(record))
    return path


def test_a_lora_named_with_input_that_is_another_file_is_not_said_to_have_changed(tmp_path: Path) -> None:
    made = write_lora(tmp_path / "style.safetensors", rank=4)
    record = sidecar(tmp_path, made)
    other = write_lora(tmp_path / "other.safetensors", rank=2)
    argv = ["replay", str(record), "-o", str(tmp_path / "again.mp4"), "--input", f"loras[0]={other}"]
    refused = runner.invoke(app, argv)
    assert refused.exit_code == 2, refused.output
    # It read "other.safetensors has changed since the video was made": that file never changed.
    assert (
        f"loras[0]: {other} is not the file the video was made from (its SHA-256 differs from the record's)"
        in said(refused)
    )
    made.write_bytes(other.read_bytes())  # the file at its recorded path, edited since: that one changed
    refused = runner.invoke(app, argv[:4])
    assert refused.exit_code == 2, refused.output
    assert f"loras[0]: {made} has changed since the video was made" in said(refused)
    assert not (tmp_path / "again.mp4").exists()


def test_a_lora_named_with_input_under_a_home_that_is_not_there_is_not_found(tmp_path: Path) -> None:
    record = sidecar(tmp_path, write_lora(tmp_path / "style.safetensors"))
    given = "loras[0]=~reelgen-no-such-user/style.safetensors"
    refused = runner.invoke(app, ["replay", str(record), "-o", str(tmp_path / "again.mp4"), "--input", given])
    assert refused.exit_code == 2, refused.output
    # It ended in "internal error (RuntimeError: Could not determine home directory.)".
    assert "--input loras[0]: ~reelgen-no-such-user/style.safetensors does not exist" in said(refused)


def test_a_record_whose_lora_path_was_emptied_by_hand_says_so(tmp_path: Path) -> None:
    lora = write_lora(tmp_path / "style.safetensors")
    record = sidecar(tmp_path, lora)
    edited = json.loads(record.read_text())
    edited["request"]["loras"][0]["path"] = ""
    record.write_text(json.dumps(edited))
    out = ["-o", str(tmp_path / "again.mp4")]
    refused = runner.invoke(app, ["replay", str(record), *out])
    assert refused.exit_code == 2, refused.output
    # It read "loras[0]:  no longer exists; put it back at that path": there was no path to name.
    assert (
        "loras[0]: the record names no file (its path is empty); say where it is with --input PARAM=FILE"
        in said(refused)
    )


def test_a_lora_named_with_input_that_is_a_symlink_loop_is_said_to_be_one(tmp_path: Path) -> None:
    record = sidecar(tmp_path, write_lora(tmp_path / "style.safetensors"))
    loop = tmp_path / "loop.safetensors"
    loop.symlink_to(loop)
    argv = ["replay", str(record), "-o", str(tmp_path / "again.mp4"), "--input", f"loras[0]={loop}"]
    refused = runner.invoke(app, argv)
    assert refused.exit_code == 2, refused.output
    # It was "internal error (RuntimeError: Symlink loop from ...)".
    assert f"--input loras[0]: {loop} is a symbolic link that leads back to itself; give the file" in said(
        refused
    )


def test_a_file_named_with_input_too_long_for_any_folder_is_said_to_be_so(tmp_path: Path) -> None:
    record = sidecar(tmp_path, write_lora(tmp_path / "style.safetensors"))
    given = "loras[0]=" + "a" * 300 + ".safetensors"
    refused = runner.invoke(app, ["replay", str(record), "-o", str(tmp_path / "again.mp4"), "--input", given])
    assert refused.exit_code == 2, refused.output
    # It was "internal error (OSError: [Errno 36] File name too long: ...)".
    assert "--input loras[0]: the name aaaaaaaaaaaaaaaaaaaaaaaa... is 312 bytes long" in said(refused)
