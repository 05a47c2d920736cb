"""A .safetensors LoRA with bytes after its tensors' end is refused at the check, naming what is wrong: it was
listed as usable and accepted at create, then safetensors failed on the worker ("file not fully covered")."""

from __future__ import annotations

from pathlib import Path

import pytest
from safetensors import SafetensorError
from safetensors.numpy import load_file
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.spec.lora_files import lora_file_problem
from tests.lora_files import write_lora


def test_bytes_past_the_end_are_refused_before_the_model(tmp_path: Path) -> None:
    whole = write_lora(tmp_path / "style.safetensors")
    assert lora_file_problem(whole) is None
    joined = tmp_path / "joined.safetensors"
    joined.write_bytes(whole.read_bytes() + b"\0" * 10)  # a download that wrote past the end
    with pytest.raises(SafetensorError, match="not fully covered"):  # what the worker met once loaded
        load_file(str(joined))
    said = lora_file_problem(joined)
    assert said is not None and said.startswith("is damaged: 10 bytes follow its tensors' end"), said
    assert said.endswith("copy or download it again")
    out = tmp_path / "x.mp4"
    result = CliRunner().invoke(
        app, ["generate", "-m", "reelgen-micro", "--lora", str(joined), "a fox", "-o", str(out)]
    )
    told = " ".join(result.output.split())
    assert result.exit_code == 2, told
    assert "--lora: joined.safetensors is damaged: 10 bytes follow" in told, told
    assert not out.exists()
