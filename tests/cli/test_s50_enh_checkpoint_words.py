"""A checkpoint file torch cannot read is refused in words, not in torch's reader's internals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip, _said

runner = CliRunner()


def _saved() -> bytes:
    buf = io.BytesIO()
    torch.save({"conv_first.weight": torch.zeros(4, 3, 3, 3)}, buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"junk\n", "not a PyTorch weights file: neither the zip archive torch.save writes nor a pickle"),
        (b"", "the file ends before any weights: empty, or a copy cut short"),
        (_saved()[:200], "a zip archive cut short or damaged (a copy that stopped part-way?); copy it again"),
    ],
)
def test_an_unreadable_checkpoint_is_said_in_words(tmp_path: Path, content: bytes, says: str) -> None:
    checkpoint = tmp_path / "model.pth"
    checkpoint.write_bytes(content)
    source, out = _clip(tmp_path / "in.mp4", frames=3), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "-q", "--upscale", "2", "--upscaler", str(checkpoint)]
    result = runner.invoke(app, args)
    said = _said(result)
    assert result.exit_code == 2, said
    # They were "(KeyError: 174812789)", "(EOFError: no detail)" and five lines on miniz's central directory.
    assert f"--upscaler checkpoint {checkpoint} is not a readable .pth/.safetensors file ({says});" in said
    assert "Error" not in said and "miniz" not in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4", "model.pth"]
