"""`reelgen enhance --upscaler FILE` with a file that reads as no network: the refusal says what would load."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance.upscale import torch_model
from tests.cli.test_enhance_cli import _clip, _said

runner = CliRunner()


@pytest.mark.parametrize("kind", ["junk", "list", "dict"])
def test_a_checkpoint_that_is_no_network_is_refused_naming_what_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    # It said only "is not a readable .pth/.safetensors file (KeyError: 174812789)" or "holds no state
    # dict of tensors", with nothing on what file would do.
    monkeypatch.setattr(torch_model, "spandrel", lambda: None)
    checkpoint = tmp_path / "model.pth"
    if kind == "junk":
        checkpoint.write_bytes(b"junk\n")
    else:
        torch.save([torch.zeros(1)] if kind == "list" else {"a": 1}, checkpoint)
    source, out = _clip(tmp_path / "in.mp4", frames=3), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "-q", "--upscale", "2", "--upscaler", str(checkpoint)]
    result = runner.invoke(app, args)
    said = _said(result)
    assert result.exit_code == 2, said
    assert f"--upscaler checkpoint {checkpoint}" in said
    assert "without spandrel reelgen loads Real-ESRGAN RRDBNet" in said
    assert "SRVGGNetCompact" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4", "model.pth"]
