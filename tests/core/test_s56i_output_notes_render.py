"""generate and Ken Burns say before they start what enhance says: a GIF taking another video's
record (NAME.json), and a GIF so big it takes minutes to make."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.encode import read_metadata
from reelgen.core.motion import CameraPath, Rect
from reelgen.core.motion.kenburns import KenBurnsRequest, render_ken_burns
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry, resolve
from reelgen.core.spec.request import GenerationRequest
from tests.core.fakes import SPEC

TAKES = "warning: out.json, the record of out.mp4, becomes out.gif's; out.mp4 still carries its own inside it"


@pytest.fixture(autouse=True)
def fake_family() -> Iterator[None]:
    registry.register(SPEC)
    yield
    registry.unregister("fake")


class _Said(Exception):
    """Raised at the big-GIF warning: what matters is that it comes before any frame is made."""


def _stop_at_big(said: list[str]) -> Progress:
    def on_event(event: ProgressEvent) -> None:
        said.append(event.message)
        if "will be a big GIF" in event.message:
            raise _Said
        if event.total:  # a step of the work began (frames counted): too late to say it
            raise AssertionError(f"{event.stage} began with no word of a big GIF: {said}")

    return Progress(on_event=on_event)


def _messages(said: list[ProgressEvent]) -> str:
    return "\n".join(e.message for e in said if e.message)


def test_generate_to_a_gif_beside_an_mp4_says_it_takes_the_mp4s_record(tmp_path: Path) -> None:
    request = resolve(GenerationRequest.model_validate({"model": "fake-tiny", "prompt": "a cat", "seed": 7}))
    render(request, tmp_path / "out.mp4")
    events: list[ProgressEvent] = []
    render(request, tmp_path / "out.gif", progress=Progress(on_event=events.append))
    assert TAKES in _messages(events)
    made = json.loads((tmp_path / "out.json").read_text())["created_at"]
    assert (
        read_metadata(tmp_path / "out.gif")["created_at"]
        == made
        != read_metadata(tmp_path / "out.mp4")["created_at"]
    )
    again: list[ProgressEvent] = []  # the GIF made again replaces its own record: nothing to say
    render(request, tmp_path / "out.gif", progress=Progress(on_event=again.append))
    assert "warning" not in _messages(again)


def test_a_big_generated_gif_is_said_before_the_model_runs(tmp_path: Path) -> None:
    fields = {"model": "fake-tiny", "prompt": "a cat", "width": 1024, "height": 1024, "num_frames": 97}
    said: list[str] = []
    with pytest.raises(_Said):
        render(
            resolve(GenerationRequest.model_validate(fields)),
            tmp_path / "big.gif",
            progress=_stop_at_big(said),
        )
    assert "warning: big.gif will be a big GIF: 97 frames of 1024x1024 (102 megapixels)" in said[-1]
    assert said[-1].endswith("or give a smaller size (width, height or upscale) or fewer frames")
    assert not (tmp_path / "big.gif").exists()


def test_a_big_ken_burns_gif_is_said_before_its_frames_are_made(tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    Image.new("RGB", (960, 720), (90, 120, 200)).save(photo)
    path = CameraPath(
        start=Rect(x=0, y=0, width=960, height=720), end=Rect(x=80, y=60, width=800, height=600)
    )
    request = KenBurnsRequest(image=str(photo), path=path, width=1024, height=768, num_frames=128, fps=24)
    said: list[str] = []
    with pytest.raises(_Said):
        render_ken_burns(request, tmp_path / "kb.gif", progress=_stop_at_big(said))
    assert said[-1].startswith("warning: kb.gif will be a big GIF: 128 frames of 1024x768 (101 megapixels)")
