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


def generated(out: Path, *extra: str) -> Path:
    """``out``, made by generate of ltx-tiny at seed 2 with ``extra`` options."""
    result = runner.invoke(
        app, ["generate", "waves", "-m", "ltx-tiny", "--seed", "2", *extra, "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    return out


def made_with(checkpoint: Path, out: Path) -> Path:
    return generated(out, "--weights", str(checkpoint))


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
    # --input takes inputs and LoRAs, not --weights: the refusal pointed at it all the same.
    assert "put it back at that path (--weights files are found only there)" in said(result)
    assert "--input" not in said(result)


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

    lora, clip = lora_clip(tmp_path)
    ltx_lora(lora.parent, lora.name, seed=9)  # the same name, other weights
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


def lora_clip(tmp_path: Path) -> tuple[Path, Path]:
    """A LoRA in ``tmp_path/loras`` and a clip made with it in ``tmp_path/clips``."""
    from tests.core.test_loras import ltx_lora

    (tmp_path / "loras").mkdir(parents=True)
    lora = ltx_lora(tmp_path / "loras", "style.safetensors")
    clip = tmp_path / "clips" / "clip.mp4"
    clip.parent.mkdir()
    generated(clip, "--lora", f"{lora}:0.8")
    return lora, clip


def test_a_lora_gone_from_its_path_is_named_with_input_as_the_refusal_says(tmp_path: Path) -> None:
    """The refusal said "--input PARAM=FILE" of a gone LoRA, and --input refused loras[0] as no input."""
    lora, clip = lora_clip(tmp_path)
    kept = tmp_path / "elsewhere" / "style-v1.safetensors"
    kept.parent.mkdir()
    shutil.move(lora, kept)
    refused = runner.invoke(app, ["replay", str(clip), "-o", str(tmp_path / "never.mp4")])
    assert refused.exit_code == 2
    assert f"loras[0]: {lora} no longer exists" in said(refused) and "--input PARAM=FILE" in said(refused)

    again = tmp_path / "again.mp4"
    given = runner.invoke(app, ["replay", str(clip), "-o", str(again), "--input", f"loras[0]={kept}"])
    assert given.exit_code == 0, given.output
    assert again.is_file() and "warning" not in said(given)

    other = tmp_path / "elsewhere" / "other.safetensors"
    from tests.core.test_loras import ltx_lora

    ltx_lora(other.parent, other.name, seed=9)  # another LoRA: checked by the recorded SHA-256
    wrong = runner.invoke(
        app, ["replay", str(clip), "-o", str(tmp_path / "x.mp4"), "--input", f"loras[0]={other}"]
    )
    assert wrong.exit_code == 2 and (
        f"loras[0]: {other} is not the file the video was made from (its SHA-256 differs from the record's)"
        in said(wrong)
    )


def test_a_lora_moved_with_the_clip_is_found_beside_it(tmp_path: Path) -> None:
    """Inputs moved with a clip were found by their SHA-256; its LoRAs were refused as gone."""
    lora, clip = lora_clip(tmp_path / "made")
    moved = tmp_path / "moved"
    shutil.move(tmp_path / "made", moved)
    result = runner.invoke(app, ["replay", str(moved / "clips" / "clip.mp4"), "-o", str(tmp_path / "a.mp4")])
    assert result.exit_code == 0, result.output
    here = moved / "loras" / "style.safetensors"
    assert f"loras[0]: {lora} no longer exists; using {here}, the same file" in said(result)
