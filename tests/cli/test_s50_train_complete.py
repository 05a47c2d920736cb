"""`reelgen generate -m <TAB>` offers only the models generate can run."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app


def _offered(words: str) -> list[str]:
    env = {
        "_REELGEN_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    return CliRunner().invoke(app, [], env=env, prog_name="reelgen").output.split()


def test_generate_leaves_out_the_talking_head_models_it_refuses() -> None:
    # It offered reelgen-lipsync and musetalk, which generate refuses ('cannot do t2v; talking avatars
    # are made ... with `reelgen avatar`').
    assert _offered("reelgen generate -m reelgen-") == ["reelgen-micro"]
    assert _offered("reelgen generate -m mu") == []
    refused = CliRunner().invoke(app, ["generate", "x", "-m", "reelgen-lipsync"])
    assert refused.exit_code == 2 and "reelgen avatar" in refused.output
    # image-to-video models stay: generate takes --image.
    assert "svd" in _offered("reelgen generate -m sv")
