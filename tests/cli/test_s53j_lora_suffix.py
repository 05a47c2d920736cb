"""A LoRA named without its suffix, as a person types it, is shown the file of that name beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.lora_files import write_lora

runner = CliRunner()


@pytest.mark.parametrize("suffix", [".safetensors", ".sft"])
def test_a_lora_named_without_its_suffix_is_told_the_file_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    # It read "LoRA file style does not exist; give a .safetensors file" with style.safetensors right there.
    monkeypatch.chdir(tmp_path)
    write_lora(tmp_path / f"style{suffix}")
    result = runner.invoke(app, ["generate", "waves", "-m", "ltx-tiny", "--lora", "style", "-q"])
    assert result.exit_code == 2
    assert f"error: --lora: LoRA file style does not exist; did you mean style{suffix}?" in result.output
    assert not list(tmp_path.glob("*.mp4"))


def test_a_lora_with_no_file_of_its_name_is_still_told_what_to_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_lora(tmp_path / "other.safetensors")
    result = runner.invoke(app, ["generate", "waves", "-m", "ltx-tiny", "--lora", "style", "-q"])
    assert result.exit_code == 2
    assert "error: --lora: LoRA file style does not exist; give a .safetensors file" in result.output
