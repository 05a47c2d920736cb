"""`reelgen generate -m NAME` with a name as people write it elsewhere: the model they mean is offered."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("LTX-2B", "ltx-2b"),  # as model cards write it
        ("Wan-AI/Wan2.1-T2V-1.3B-Diffusers", "wan-1.3b"),  # the repository id diffusers loads
    ],
)
def test_a_model_named_another_way_is_offered_by_its_name_here(typed: str, meant: str) -> None:
    result = runner.invoke(app, ["generate", "a fox", "-m", typed])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert f"unknown model {typed!r}; did you mean {meant}" in said
    assert "known models:" not in said  # not buried under the 70-odd other names


@pytest.mark.parametrize("args", [["-m", "musetalk-tiny"], ["-m", "ltx-tiny", "--task", "avatar"]])
def test_an_avatar_asked_of_generate_is_sent_to_reelgen_avatar(args: list[str]) -> None:
    result = runner.invoke(app, ["generate", "hello", *args])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    # It said "Families that do avatar: avatar", and generate has no options for a face or a voice.
    assert "talking avatars are made from a face and a voice with `reelgen avatar`" in said
    assert "Families that do" not in said
