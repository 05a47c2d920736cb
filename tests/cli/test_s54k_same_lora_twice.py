"""The same LoRA file given twice to ``reelgen generate`` is refused by name, not quietly applied twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _said(result: object) -> str:
    return " ".join(result.output.replace("│", " ").split())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "twice",
    [
        ["l.safetensors", "l.safetensors"],
        ["l.safetensors", "./l.safetensors:0.5"],
        ["l.safetensors:0.8", "sub/../l.safetensors:0.8"],
    ],
)
def test_one_lora_file_twice_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, twice: list[str]
) -> None:
    # Both were loaded and stacked: a style twice as strong as asked, without a word.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "l.safetensors").write_bytes(b"x")
    args = ["generate", "x", "-m", "ltx-tiny", "--lora", twice[0], "--lora", twice[1], "-o", "x.mp4", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    said = _said(result)
    assert "Invalid value for '--lora'" in said, said
    assert "l.safetensors is given twice; give each LoRA once" in said, said
    assert not (tmp_path / "x.mp4").exists()


def test_two_different_lora_files_are_not_refused_as_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.safetensors").write_bytes(b"x")
    (tmp_path / "b.safetensors").write_bytes(b"x")
    args = [
        "generate",
        "x",
        "-m",
        "ltx-tiny",
        "--lora",
        "a.safetensors",
        "--lora",
        "b.safetensors",
        "-o",
        "x.mp4",
    ]
    result = runner.invoke(app, args)
    assert "given twice" not in _said(result), _said(result)
