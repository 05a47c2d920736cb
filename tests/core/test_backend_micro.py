"""reelgen-micro: the shipped weights load through the normal backend path and render t2v and i2v MP4s."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reelgen.core.validate import resolve_request

from reelgen.core.backends.micro import MicroBackend
from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import probe, read_video
from reelgen.train.adherence import analyze_clip
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.weights import locate

SMALL = {"model": "reelgen-micro", "width": 64, "height": 64, "num_frames": 9, "steps": 2, "seed": 3}
PROMPT = "a red circle moves to the right over a green background"


@pytest.fixture(scope="module")
def cache() -> Iterator[ModelCache]:
    models = ModelCache(max_models=1)
    yield models
    models.free()


def test_listed_with_its_tasks_and_shipped_weights() -> None:
    backend, preset = registry.resolve("reelgen-micro")
    assert backend is MicroBackend
    assert {t.value for t in preset.tasks} == {"t2v", "i2v"}
    source = locate(backend, preset)
    assert source.origin == "bundled"
    files = [p for p in source.path.rglob("*") if p.is_file()]
    weights = [p for p in files if p.suffix in (".safetensors", ".bin", ".pt", ".ckpt")]
    assert weights and all(p.suffix == ".safetensors" for p in weights)
    assert sum(p.stat().st_size for p in files) <= 30 * 1000**2
    assert json.loads((source.path / "model_index.json").read_text())["_class_name"] == "WanPipeline"


def test_text_to_video_renders_an_mp4_and_repeats_by_seed(tmp_path: Path, cache: ModelCache) -> None:
    first = render(GenerationRequest(prompt=PROMPT, **SMALL), tmp_path / "a.mp4", cache=cache)  # type: ignore[arg-type]
    info = probe(first.path)
    assert (info["frames"], info["width"], info["height"], info["fps"]) == (9, 64, 64, 12.0)
    sidecar = json.loads(first.sidecar.read_text())
    assert sidecar["model"]["name"] == "reelgen-micro" and sidecar["model"]["origin"] == "bundled"
    again = render(GenerationRequest(prompt=PROMPT, **SMALL), tmp_path / "b.mp4", cache=cache)  # type: ignore[arg-type]
    assert np.array_equal(first.video.frames, again.video.frames)
    other = render(GenerationRequest(prompt=PROMPT, **{**SMALL, "seed": 4}), tmp_path / "c.mp4", cache=cache)  # type: ignore[arg-type]
    assert not np.array_equal(first.video.frames, other.video.frames)


def test_image_to_video_starts_from_the_given_image(tmp_path: Path, cache: ModelCache) -> None:
    start = np.zeros((64, 64, 3), np.uint8)
    start[:] = (30, 60, 140)
    start[20:40, 16:36] = (220, 38, 38)
    Image.fromarray(start).save(tmp_path / "start.png")
    request = GenerationRequest(prompt=PROMPT, start_image=str(tmp_path / "start.png"), **SMALL)  # type: ignore[arg-type]
    moving = render(request, tmp_path / "i2v.mp4", cache=cache)
    assert moving.metadata["request"]["task"] == "i2v"
    assert probe(moving.path)["frames"] == 9
    plain = render(GenerationRequest(prompt=PROMPT, **SMALL), tmp_path / "t2v.mp4", cache=cache)  # type: ignore[arg-type]
    assert not np.array_equal(moving.video.frames, plain.video.frames)
    # The first frame is the start image (through the VAE), red square in place.
    first = moving.video.frames[0].astype(float)
    assert np.abs(first - start).mean() < 12
    assert np.abs(first[24:36, 20:32] - (220, 38, 38)).mean() < 40


@pytest.mark.parametrize(
    ("prompt", "seed", "colour", "direction"),
    [
        (PROMPT, 0, "red", "right"),
        ("a yellow star moves to the left over a purple background", 1, "yellow", "left"),
    ],
)
def test_the_clip_shows_the_colour_and_direction_the_prompt_asks_for(
    prompt: str, seed: int, colour: str, direction: str, tmp_path: Path, cache: ModelCache
) -> None:
    # Full default size (128x128, 25 frames, 20 steps), read back from the MP4 the user gets.
    result = render(
        GenerationRequest(model="reelgen-micro", prompt=prompt, seed=seed), tmp_path / "clip.mp4", cache=cache
    )
    found = analyze_clip(read_video(result.path).frames)
    assert (found.colour, found.motion) == (colour, direction), found.as_dict()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"width": 72}, "nearest valid: 64 or 80"),
        ({"num_frames": 10}, "nearest valid: 9 or 13"),
        ({"options": {"flow_shift": 0}}, "options.flow_shift"),
    ],
)
def test_sizes_frames_and_options_are_checked(change: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        resolve_request(GenerationRequest(prompt=PROMPT, **{**SMALL, **change}))  # type: ignore[arg-type]
