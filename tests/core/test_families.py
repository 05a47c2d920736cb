"""Every tiny model of every family makes a real MP4 for each task it claims, at the size asked."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgen.core.cache import ModelCache
from reelgen.core.encode import write_video
from reelgen.core.media import probe
from reelgen.core.render import render
from reelgen.core.spec import registry, resolve
from reelgen.core.spec.request import GenerationRequest, Keyframe, Task
from reelgen.core.types import Video

TINY = sorted(
    (name, task)
    for name, (_, preset) in registry.presets().items()
    if preset.tiny
    for task in preset.tasks
    if task not in (Task.AUDIO, Task.AVATAR)
)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    ramp = np.linspace(0, 255, 96, dtype=np.uint8)
    start = np.stack(
        [np.tile(ramp, (96, 1)), np.tile(ramp[:, None], (1, 96)), np.full((96, 96), 90, np.uint8)], -1
    )
    Image.fromarray(start).save(folder / "start.png")
    Image.fromarray(start[::-1].copy()).save(folder / "end.png")
    clip = np.stack([np.roll(start, 4 * i, axis=1) for i in range(33)])
    write_video(Video(clip, Fraction(8)), folder / "source.mp4")
    return {"start": folder / "start.png", "end": folder / "end.png", "video": folder / "source.mp4"}


@pytest.fixture(scope="module")
def cache_of() -> Callable[[str], ModelCache]:
    """A model cache for each tiny model, held while that model's tasks run (TINY is sorted by name, so
    they run one after another): a model is loaded once for all its tasks, as a server's cache holds it,
    not once a task (14 loads fewer). The cache before is let go, not freed, as each render's own cache
    was: ``free`` runs a full garbage collection."""
    held: dict[str, ModelCache] = {}

    def cache_for(name: str) -> ModelCache:
        if name not in held:
            held.clear()
            held[name] = ModelCache(max_models=1)
        return held[name]

    return cache_for


def _request(name: str, task: Task, inputs: dict[str, Path]) -> GenerationRequest:
    _, preset = registry.resolve(name)
    fields: dict[str, object] = {
        "model": name,
        "prompt": "a red circle moves to the right",
        "task": task,
        "seed": 1,
    }
    if task is Task.I2V:
        fields["start_image"] = str(inputs["start"])
    if task is Task.KEYFRAMES:
        last = preset.num_frames - 1
        fields["keyframes"] = [
            Keyframe(image=str(inputs["start"]), frame=0),
            Keyframe(image=str(inputs["end"]), frame=last, strength=0.8),
        ]
    if task in (Task.V2V, Task.EXTEND):
        fields["source_video"] = str(inputs["video"])
    return GenerationRequest.model_validate(fields)


def test_there_are_tiny_models_for_the_core_families() -> None:
    families = {registry.resolve(name)[1].family for name, _ in TINY}
    assert {"ltx", "wan"} <= families


@pytest.mark.parametrize(("name", "task"), TINY, ids=[f"{n}-{t.value}" for n, t in TINY])
def test_tiny_model_runs_task_end_to_end(
    name: str, task: Task, inputs: dict[str, Path], cache_of: Callable[[str], ModelCache], tmp_path: Path
) -> None:
    _, preset = registry.resolve(name)
    result = render(resolve(_request(name, task, inputs)), tmp_path / "out.mp4", cache=cache_of(name))
    info = probe(result.path)
    assert info["frames"] == preset.num_frames
    assert (info["width"], info["height"]) == (preset.width, preset.height)
    assert info["fps"] == pytest.approx(preset.fps, rel=1e-3)
    assert result.metadata["request"]["task"] == task.value
    assert result.video.frames.std() > 0  # not a blank clip


@pytest.mark.parametrize("model", ["ltx-tiny", "reelgen-micro", "cogvideox-tiny", "mochi-tiny"])
def test_a_second_guidance_for_a_one_expert_model_is_refused_not_ignored(model: str) -> None:
    from reelgen.core.errors import InvalidRequest

    with pytest.raises(InvalidRequest, match="has one, so it would be ignored") as caught:
        resolve(GenerationRequest(model=model, prompt="x", guidance=4.0, guidance_2=7.0))
    assert caught.value.param == "guidance_2" and "wan22-tiny" in caught.value.message
    # A record's guidance_2, which follows guidance on these models, still replays.
    assert resolve(GenerationRequest(model=model, prompt="x", guidance=4.0, guidance_2=4.0)).guidance_2 == 4.0


def test_a_second_guidance_reaches_a_two_expert_model() -> None:
    assert resolve(GenerationRequest(model="wan22-tiny", prompt="x", guidance_2=7.0)).guidance_2 == 7.0
