"""Tab completion offers model names after -m, as `reelgen models` lists them."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


def _offered(words: str) -> list[str]:
    # The word being completed is the last one typed, or a new empty one after a trailing space.
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {"_REELGEN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = CliRunner().invoke(app, [], env=env, prog_name="reelgen")
    return result.output.split()


def test_generate_completes_model_names() -> None:
    offered = _offered("reelgen generate -m ltx-t")
    assert offered == ["ltx-tiny"]
    assert "wan-1.3b" in _offered("reelgen generate --model wan")


@pytest.mark.parametrize("typed", ["wan-i2v", "cogvideox"])
def test_animate_offers_only_image_to_video_models(typed: str) -> None:
    offered = _offered(f"reelgen animate photo.png -m {typed}")
    assert offered and all("i2v" in name for name in offered)
    assert "wan-1.3b" not in _offered("reelgen animate photo.png -m wan")


def test_avatar_offers_the_talking_head_models() -> None:
    assert _offered("reelgen avatar -m ") == ["auto", "musetalk", "musetalk-tiny", "reelgen-lipsync"]
