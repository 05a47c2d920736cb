"""Making a clip with hostile input: each mistake is said for what it is, before any work."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from tests.lora_files import write_lora

runner = CliRunner()


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


def test_a_lora_strength_that_is_no_number_is_said_to_be_the_strength(tmp_path: Path) -> None:
    # It was "LoRA file .../style.safetensors:abc does not exist", though the file is right there.
    lora = write_lora(tmp_path / "style.safetensors")
    out = tmp_path / "never.mp4"
    result = runner.invoke(
        app, ["generate", "a fox", "-m", "ltx-tiny", "--lora", f"{lora}:abc", "-o", str(out)]
    )
    assert result.exit_code == 2, said(result)
    assert "strength 'abc' is not a number; give one like style.safetensors:0.8" in said(result)
    assert "does not exist" not in said(result) and not out.exists()
