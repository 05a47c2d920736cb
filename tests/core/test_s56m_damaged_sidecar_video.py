"""A damaged NAME.json beside two videos of that name (out.mp4, out.gif): replay names the one whose
record it was, or both, never the wrong one as "the same record"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.record import load_record
from reelgen.core.render import render
from reelgen.core.spec import registry, resolve
from reelgen.core.spec.request import GenerationRequest
from tests.core.fakes import SPEC


@pytest.fixture(autouse=True)
def fake_family() -> Iterator[None]:
    registry.register(SPEC)
    yield
    registry.unregister("fake")


@pytest.fixture
def two_videos(tmp_path: Path) -> Path:
    """out.mp4, then out.gif, whose record out.json now is."""
    request = resolve(GenerationRequest.model_validate({"model": "fake-tiny", "prompt": "a cat", "seed": 7}))
    render(request, tmp_path / "out.mp4")
    render(request, tmp_path / "out.gif")
    return tmp_path / "out.json"


def _refusal(sidecar: Path) -> str:
    with pytest.raises(InvalidRequest) as caught:
        load_record(sidecar)
    return caught.value.message


def test_a_cut_short_sidecar_names_the_video_whose_record_it_was(two_videos: Path) -> None:
    record = json.loads(two_videos.read_text())
    # Cut short after the time it was made: the rest of the record is lost.
    text = json.dumps({"created_at": record["created_at"], **record})
    two_videos.write_text(text[: len(text) // 2])
    said = _refusal(two_videos)
    assert said.endswith(f"which carries the same record: reelgen replay {two_videos.with_suffix('.gif')}")


def test_a_sidecar_that_says_nothing_names_both_videos(two_videos: Path) -> None:
    two_videos.write_text("[1, 2]")
    said = _refusal(two_videos)
    assert "which carries the same record" not in said
    gif, mp4 = two_videos.with_suffix(".gif"), two_videos.with_suffix(".mp4")
    assert f"each carries its own record: reelgen replay {mp4} or reelgen replay {gif}" in said
