"""`reelgen generate --weights FILE` with a file that cannot be a model checkpoint: said for what it is."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from reelgen.core.spec import registry
from tests.lora_files import write_lora

runner = CliRunner()


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


def generate_with(checkpoint: Path, out: Path) -> object:
    return runner.invoke(
        app, ["generate", "a fox", "-m", "ltx-tiny", "--weights", str(checkpoint), "-o", str(out)]
    )


def test_a_checkpoint_cut_short_is_said_to_be_cut_short(tmp_path: Path) -> None:
    whole = (
        weights.tiny_folder(*registry.resolve("ltx-tiny"))
        / "transformer"
        / "diffusion_pytorch_model.safetensors"
    )
    cut = tmp_path / "ltx.safetensors"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # a download that stopped half-way
    out = tmp_path / "never.mp4"
    result = generate_with(cut, out)
    assert result.exit_code == 2, said(result)
    # It was "not a LTXVideoTransformer3DModel checkpoint matching ltx-tiny", as if the wrong model.
    assert f"--weights file {cut} is cut short" in said(result) and "download it again" in said(result)
    assert "matching" not in said(result) and not out.exists()


def test_a_lora_given_as_weights_is_said_to_go_with_lora(tmp_path: Path) -> None:
    lora = write_lora(tmp_path / "style.safetensors")
    out = tmp_path / "never.mp4"
    result = generate_with(lora, out)
    assert result.exit_code == 2, said(result)
    assert f"--weights file {lora} is a LoRA" in said(result)
    assert "give it with --lora PATH[:STRENGTH] and leave --weights out" in said(result)
    assert not out.exists()


def test_a_tiny_models_own_checkpoint_file_loads_with_the_rest_of_its_build(tmp_path: Path) -> None:
    """A wan-tiny transformer file given as --weights was sent to `reelgen pull wan-tiny` for the
    rest of the model, which has nothing to pull: the rest is the tiny build on this machine."""
    spec, preset = registry.resolve("wan-tiny")
    build = weights.tiny_folder(spec, preset)
    checkpoint = tmp_path / "wan tiny.safetensors"
    checkpoint.write_bytes((build / "transformer" / "diffusion_pytorch_model.safetensors").read_bytes())
    source = weights.locate(spec, preset, str(checkpoint))
    assert (source.kind, source.path, source.base) == ("single_file", checkpoint, build)


def test_a_device_given_as_weights_is_named_as_one(tmp_path: Path) -> None:
    out = tmp_path / "never.mp4"
    result = generate_with(Path("/dev/zero"), out)
    assert result.exit_code == 2, said(result)
    # It was "weights path /dev/zero does not exist".
    assert "/dev/zero is not a regular file" in said(result) and "does not exist" not in said(result)
    assert not out.exists()


def test_a_missing_weights_path_is_told_what_to_give(tmp_path: Path) -> None:
    result = generate_with(tmp_path / "nowhere", tmp_path / "never.mp4")
    assert result.exit_code == 2, said(result)
    assert "does not exist; give a diffusers folder or a checkpoint file (.safetensors, .bin" in said(result)
