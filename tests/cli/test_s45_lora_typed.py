"""``--lora PATH[:STRENGTH]`` with a path under ``~`` that the shell left as typed (``--lora=~/...``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from reelgen.cli.typed import lora
from tests.lora_files import write_lora


def test_a_bad_strength_after_a_home_path_is_said_to_be_the_strength(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    write_lora(tmp_path / "style.safetensors")
    # It read "LoRA file ~/style.safetensors:abc does not exist" while ~/style.safetensors was there.
    with pytest.raises(typer.BadParameter) as err:
        lora("~/style.safetensors:abc")
    assert str(err.value) == (
        "LoRA '~/style.safetensors:abc': strength 'abc' is not a number; give one like style.safetensors:0.8"
    )
    assert lora("~/style.safetensors:0.5").path == "~/style.safetensors"
    write_lora(tmp_path / "take:2.safetensors")  # a file whose own name has a colon stays whole
    assert lora("~/take:2.safetensors").path == "~/take:2.safetensors"


@pytest.mark.parametrize("suffix", ["", ":0.5", ":abc"])
def test_a_lora_name_too_long_for_any_folder_is_said_to_be_so(suffix: str) -> None:
    from typer.testing import CliRunner

    from reelgen.cli import app

    name = "a" * 300 + ".safetensors"
    argv = ["generate", "waves", "-m", "ltx-tiny", "--lora", name + suffix, "-o", "never.mp4"]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    # It was "internal error (OSError: [Errno 36] File name too long: 'aaaa...')".
    said = " ".join(result.output.split())
    assert "--lora: the name aaaaaaaaaaaaaaaaaaaaaaaa... is 3" in said, said
    assert "bytes long, and a folder or file name may have at most 255; give a shorter one" in said
