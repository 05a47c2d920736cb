"""Tab completion beyond generate's -m: pull's names, models --family, and the job commands' -m,
--status and --variant offer what each takes (they offered nothing, so bash listed files)."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app


def _offered(words: str) -> list[str]:
    # The word being completed is the last one typed, or a new empty one after a trailing space.
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {"_REELGEN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = CliRunner().invoke(app, [], env=env, prog_name="reelgen")
    return result.output.split()


def test_pull_offers_the_models_with_something_to_pull() -> None:
    offered = _offered("reelgen pull ")
    assert {"ltx-2b", "wan-1.3b", "rife", "realesrgan"} <= set(offered)
    # A tiny or bundled model has nothing to download: not offered until nothing else matches.
    assert not {"ltx-tiny", "reelgen-micro", "auto"} & set(offered)
    assert _offered("reelgen pull ri") == ["rife"]
    assert "ltx-2b" in _offered("reelgen pull rife lt")


def test_models_family_offers_the_family_ids() -> None:
    offered = _offered("reelgen models --family ")
    assert {"ltx", "ltx2", "wan", "svd"} <= set(offered) and len(offered) == len(set(offered))
    assert _offered("reelgen models --family hun") == ["hunyuan", "hunyuan15"]


def test_submit_offers_model_names_after_m() -> None:
    assert _offered("reelgen submit fox -m ltx-t") == ["ltx-tiny"]
    offered = _offered("reelgen submit fox --model ")
    assert "auto" in offered and "wan-1.3b" in offered
    assert "musetalk" not in offered  # refused by /v1/videos: avatars are `reelgen avatar`


def test_list_offers_models_and_states() -> None:
    assert _offered("reelgen list -m wan-t") == ["wan-tiny"]
    assert "auto" not in _offered("reelgen list --model ")  # the server lists no job of model "auto"
    assert _offered("reelgen list --status ") == ["queued", "in_progress", "completed", "failed", "cancelled"]
    assert _offered("reelgen list --status c") == ["completed", "cancelled"]


def test_download_offers_the_variants() -> None:
    assert _offered("reelgen download video_x --variant ") == ["video", "thumbnail", "spritesheet"]
    assert _offered("reelgen download video_x --variant s") == ["spritesheet"]
