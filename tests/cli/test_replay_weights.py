"""``reelgen replay`` of a video made with ``--weights``: the same weights, or a refusal that says they changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from reelgen.core.spec import registry

runner = CliRunner()


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


@pytest.fixture
def checkpoint(tmp_path: Path) -> Path:
    """A single-file transformer checkpoint of ltx-tiny, copied where the test may change it."""
    folder = weights.tiny_folder(*registry.resolve("ltx-tiny"))
    return Path(
        shutil.copy(
            folder / "transformer" / "diffusion_pytorch_model.safetensors", tmp_path / "t.safetensors"
        )
    )


def made_with(checkpoint: Path, out: Path) -> Path:
    args = [
        "generate",
        "waves",
        "-m",
        "ltx-tiny",
        "--seed",
        "2",
        "--weights",
        str(checkpoint),
        "-o",
        str(out),
        "-q",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def overwrite_one_weight(checkpoint: Path) -> None:
    """Another checkpoint of the same shape: one byte of its last tensor flipped (its header stays whole)."""
    data = bytearray(checkpoint.read_bytes())
    data[-10] ^= 0xFF
    checkpoint.write_bytes(bytes(data))


def test_a_weights_file_changed_since_is_refused_unless_told(checkpoint: Path, tmp_path: Path) -> None:
    clip = made_with(checkpoint, tmp_path / "clip.mp4")
    overwrite_one_weight(checkpoint)
    again = tmp_path / "again.mp4"
    refused = runner.invoke(app, ["replay", str(clip), "-o", str(again), "-q"])
    assert refused.exit_code == 2, refused.output
    assert f"weights: {checkpoint} has changed since the video was made" in said(refused)
    assert "--allow-changed-inputs" in said(refused) and not again.exists()

    allowed = runner.invoke(app, ["replay", str(clip), "-o", str(again), "-q", "--allow-changed-inputs"])
    assert allowed.exit_code == 0, allowed.output
    assert "warning: weights:" in said(allowed) and again.is_file()


def test_a_weights_file_gone_since_is_named(checkpoint: Path, tmp_path: Path) -> None:
    clip = made_with(checkpoint, tmp_path / "clip.mp4")
    checkpoint.unlink()
    result = runner.invoke(app, ["replay", str(clip), "-o", str(tmp_path / "again.mp4"), "-q"])
    assert result.exit_code == 2
    assert f"weights: {checkpoint} no longer exists" in said(result)


def test_the_same_weights_replay_without_a_word(checkpoint: Path, tmp_path: Path) -> None:
    clip = made_with(checkpoint, tmp_path / "clip.mp4")
    result = runner.invoke(app, ["replay", str(clip), "-o", str(tmp_path / "again.mp4"), "-q"])
    assert result.exit_code == 0, result.output
    assert "weights:" not in said(result)


def test_a_record_without_the_weights_hashes_replays_and_says_once_they_could_not_be_checked(
    checkpoint: Path, tmp_path: Path
) -> None:
    import json

    clip = made_with(checkpoint, tmp_path / "clip.mp4")
    sidecar = clip.with_suffix(".json")
    record = json.loads(sidecar.read_text())
    del record["model"]["files"]  # as a record without them (or edited) holds them
    sidecar.write_text(json.dumps(record))
    again = tmp_path / "again.mp4"
    result = runner.invoke(app, ["replay", str(sidecar), "-o", str(again)])
    assert result.exit_code == 0, result.output
    line = (
        f"warning: weights: {checkpoint} cannot be checked: the record holds no SHA-256 of it; replayed as "
        "it is now, so the frames may differ"
    )
    assert said(result).count(line) == 1, said(result)
    assert again.is_file()


def test_a_lora_changed_since_is_refused_and_one_without_a_recorded_hash_replays_with_a_warning(
    tmp_path: Path,
) -> None:
    import json

    from tests.core.test_loras import ltx_lora

    lora = ltx_lora(tmp_path, "style.safetensors")
    clip = tmp_path / "clip.mp4"
    args = [
        "generate",
        "waves",
        "-m",
        "ltx-tiny",
        "--seed",
        "2",
        "--lora",
        f"{lora}:0.8",
        "-o",
        str(clip),
        "-q",
    ]
    made = runner.invoke(app, args)
    assert made.exit_code == 0, made.output
    ltx_lora(tmp_path, "style.safetensors", seed=9)  # the same name, other weights
    again = tmp_path / "again.mp4"
    refused = runner.invoke(app, ["replay", str(clip), "-o", str(again)])
    assert refused.exit_code == 2, refused.output
    assert f"loras[0]: {lora} has changed since the video was made" in said(refused) and not again.exists()

    sidecar = clip.with_suffix(".json")
    record = json.loads(sidecar.read_text())
    del record["loras"][0]["sha256"]  # a record that never held it: nothing to compare with
    sidecar.write_text(json.dumps(record))
    result = runner.invoke(app, ["replay", str(sidecar), "-o", str(again)])
    assert result.exit_code == 0, result.output
    line = f"warning: loras[0]: {lora} cannot be checked: the record holds no SHA-256 of it; replayed as it is now"
    assert said(result).count(line) == 1, said(result)
    assert again.is_file()
