"""A LoRA file that is not safetensors (.bin, .pt, .ckpt, a renamed text file) is refused before any model loads."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights

runner = CliRunner()
VALID = "LoRAs are taken as .safetensors files only (a .bin, .pt or .ckpt LoRA must be converted first)"


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


def pickled_lora(path: Path) -> Path:
    """A LoRA as diffusers once saved them (pytorch_lora_weights.bin): a pickled state dict."""
    layer = "transformer.transformer_blocks.0.attn1.to_q"
    torch.save(
        {f"{layer}.lora_A.weight": torch.ones(4, 32), f"{layer}.lora_B.weight": torch.ones(32, 4)}, path
    )
    return path


@pytest.mark.parametrize("name", ["style.bin", "style.pt", "style.ckpt", "notes.bin"])
def test_generate_refuses_a_lora_of_another_format_naming_it_before_loading_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    lora = tmp_path / name
    if name.startswith("notes"):
        lora.write_text("a text file renamed\n")
    else:
        pickled_lora(lora)

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model's weights were looked up before the LoRA was checked")

    monkeypatch.setattr(weights, "locate", no_load)
    out = tmp_path / "x.mp4"
    result = runner.invoke(
        app, ["generate", "waves", "-m", "ltx-tiny", "--lora", f"{lora}:0.8", "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert f"error: --lora: {name} is not a .safetensors file; {VALID}" in said(result)
    assert "Traceback" not in result.output and not out.exists()
