"""``--lora DIR`` naming a training run's output folder names the .safetensors file(s) inside it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.replaying import said
from tests.lora_files import write_lora

runner = CliRunner()


def refused(folder: Path) -> str:
    out = folder.parent / "clip.mp4"
    result = runner.invoke(
        app, ["generate", "waves", "-m", "ltx-tiny", "--lora", str(folder), "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert not out.exists()
    return said(result)


def test_a_folder_holding_one_lora_names_it(tmp_path: Path) -> None:
    # diffusers' training scripts write pytorch_lora_weights.safetensors into --output_dir; it only
    # read "DIR is a folder; give a .safetensors file", naming none.
    run = tmp_path / "my-lora"
    run.mkdir()
    write_lora(run / "pytorch_lora_weights.safetensors")
    (run / "README.md").write_text("# a model card")
    assert refused(run) == (
        f"error: --lora: {run} is a folder; give the file: {run / 'pytorch_lora_weights.safetensors'}"
    )


def test_a_folder_holding_several_loras_lists_a_few(tmp_path: Path) -> None:
    run = tmp_path / "saves"
    run.mkdir()
    for step in (250, 500, 750, 1000):
        write_lora(run / f"style-{step:04d}.safetensors")
    assert refused(run) == (
        f"error: --lora: {run} is a folder; give one of its files: {run / 'style-0250.safetensors'}, "
        f"{run / 'style-0500.safetensors'}, {run / 'style-0750.safetensors'} (4 in all)"
    )


def test_a_folder_holding_none_says_what_to_give(tmp_path: Path) -> None:
    assert refused(tmp_path) == f"error: --lora: {tmp_path} is a folder; give a .safetensors file"
