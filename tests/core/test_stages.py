"""render()'s stages: an enhancer registered like a plugin runs after generation and is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict, Field

from reelgen.core import enhance
from reelgen.core.enhance import Enhancer, Shape
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry, resolve
from reelgen.core.spec.request import EnhanceStep, GenerationRequest
from reelgen.core.types import Video
from tests.core.fakes import SPEC


class RepeatOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    times: int = Field(default=2, ge=1, le=4)


class RepeatFrames(Enhancer):
    """Shows each frame ``times`` times at ``times`` x the frame rate: same duration, more frames."""

    name = "repeat-test"
    stage = "interpolate"
    options_model = RepeatOptions

    def output_shape(self, shape: Shape) -> Shape:
        times = self.options.times  # type: ignore[attr-defined]
        if shape.frames * times > 64:
            raise InvalidRequest(f"repeat-test makes at most 64 frames, not {shape.frames * times}")
        return Shape(shape.width, shape.height, shape.frames * times, shape.fps * times)

    def apply(self, video: Video, progress: Progress, device: str = "cpu") -> Video:
        times = self.options.times  # type: ignore[attr-defined]
        tracker = progress.stage("interpolate", video.num_frames)
        for i in range(video.num_frames):
            tracker.advance(i + 1)
        return Video(np.repeat(video.frames, times, axis=0), video.fps * times, video.audio)


@pytest.fixture(autouse=True)
def plugins() -> Iterator[None]:
    registry.register(SPEC)
    enhance.register(RepeatFrames)
    yield
    enhance.unregister(RepeatFrames.name)
    registry.unregister("fake")


def _request(**fields: object) -> GenerationRequest:
    return GenerationRequest.model_validate({"model": "fake-tiny", "seed": 2, **fields})


def test_the_chain_runs_after_generation_and_is_recorded(tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    request = resolve(_request(enhance=[{"name": "repeat-test", "options": {"times": 3}}]))
    assert request.enhance == (EnhanceStep(name="repeat-test", options={"times": 3}),)
    result = render(request, tmp_path / "a.mp4", progress=Progress(on_event=events.append))
    info = probe(result.path)
    assert info["frames"] == 15 and info["fps"] == pytest.approx(24.0)
    assert result.video.fps == Fraction(24)
    assert result.metadata["stages"] == ["generate", "repeat-test"]
    assert result.metadata["enhance"][0]["options"] == {"times": 3}
    assert result.metadata["output"]["frames"] == 15
    assert [e.step for e in events if e.stage == "interpolate"][-1] == 5
    plain = render(resolve(_request()), tmp_path / "b.mp4").video.frames
    assert np.array_equal(result.video.frames[::3], plain)  # the generated frames, each shown 3 times


def test_the_enhancer_defaults_are_filled_in_at_resolve() -> None:
    request = resolve(_request(enhance=[{"name": "repeat-test"}]))
    assert request.enhance[0].options == {"times": 2}


@pytest.mark.parametrize(
    ("step", "param", "message"),
    [
        ({"name": "nope"}, "enhance[0].name", "no enhancer 'nope'; available: "),
        (
            {"name": "repeat-test", "options": {"times": 9}},
            "enhance[0].options.times",
            "9 is too large; it takes a whole number from 1 to 4",
        ),
        ({"name": "repeat-test", "options": {"speed": 1}}, "enhance[0].options.speed", "not a known field"),
    ],
)
def test_a_bad_step_is_refused_before_anything_runs(
    step: dict[str, object], param: str, message: str
) -> None:
    with pytest.raises(InvalidRequest, match=message) as caught:
        resolve(_request(enhance=[step]))
    assert caught.value.param == param


def test_a_step_that_cannot_take_the_clip_says_so_at_resolve() -> None:
    with pytest.raises(InvalidRequest, match="at most 64 frames, not 80"):
        resolve(_request(num_frames=5, enhance=[{"name": "repeat-test", "options": {"times": 4}}] * 2))
