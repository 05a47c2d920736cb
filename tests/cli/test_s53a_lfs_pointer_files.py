"""A LoRA or --weights file that is a Git LFS pointer (a repository cloned without git-lfs) is said to be one.

It was "not a readable .safetensors file (damaged, cut short, or another format)", which sent people to
fetch it again the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize 9432208\n".format("0" * 64)
SAID = (
    "is a Git LFS pointer, not the file itself (cloned without git-lfs): run `git lfs pull` in the folder it "
    "was cloned into, or download the file"
)


@pytest.mark.parametrize("option", ["--lora", "--weights"])
def test_a_pointer_is_said_to_be_one_before_anything_loads(tmp_path: Path, option: str) -> None:
    pointer = tmp_path / "style.safetensors"
    pointer.write_text(POINTER)
    out = tmp_path / "o.mp4"
    result = runner.invoke(app, ["generate", "waves", "-m", "ltx-tiny", option, str(pointer), "-o", str(out)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert SAID in said
    assert "memory plan" not in said
    assert not out.exists()
