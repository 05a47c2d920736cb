"""The Stable Video Diffusion backend on its tiny model: image-to-video only, motion knobs, size rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core.backends.svd import SPEC
from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest, UnsupportedTask
from reelgen.core.media import probe
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.request import ResolvedRequest, Task
from tests.core.helpers import loaded, progress_bars, resolved, run

SMALL = {"width": 48, "height": 32, "num_frames": 6, "fps": 10.0, "seed": 1}


@pytest.fixture(scope="module")
def cache() -> Iterator[ModelCache]:
    """One cache for the module, so the tiny model is loaded once."""
    models = ModelCache(max_models=1)
    yield models
    models.free()


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> str:
    ramp = np.linspace(0, 255, 64, dtype=np.uint8)
    image = np.stack(
        [np.tile(ramp, (48, 1)), np.tile(ramp[:48, None], (1, 64)), np.full((48, 64), 90, np.uint8)], -1
    )
    path = tmp_path_factory.mktemp("svd-inputs") / "start.png"
    Image.fromarray(image).save(path)
    return str(path)


def _request(start: str, **fields: Any) -> ResolvedRequest:
    return resolved(**{"model": "svd-tiny", "start_image": start, **SMALL, **fields})


def test_image_to_video_renders_the_requested_clip(start: str, cache: ModelCache, tmp_path: Path) -> None:
    result = render(_request(start), tmp_path / "out.mp4", cache=cache)
    info = probe(result.path)
    assert (info["frames"], info["width"], info["height"]) == (6, 48, 32)
    assert info["fps"] == pytest.approx(10.0)
    assert result.metadata["request"]["task"] == "i2v"
    assert result.metadata["request"]["options"] == {
        "motion_bucket_id": 127,
        "noise_aug_strength": 0.02,
        "decode_chunk_size": 8,
        "min_guidance": 1.0,
    }
    assert result.video.frames.std() > 0


def test_motion_bucket_steers_the_clip(start: str, cache: ModelCache, tmp_path: Path) -> None:
    calm = render(_request(start, options={"motion_bucket_id": 10}), tmp_path / "a.mp4", cache=cache)
    lively = render(_request(start, options={"motion_bucket_id": 250}), tmp_path / "b.mp4", cache=cache)
    assert not np.array_equal(calm.video.frames, lively.video.frames)
    with pytest.raises(InvalidRequest, match=r"options\.motion_bucket_id: 300 is too large"):
        _request(start, options={"motion_bucket_id": 300})


def test_text_to_video_is_refused_with_the_families_that_do_it() -> None:
    with pytest.raises(UnsupportedTask) as caught:
        resolved(model="svd-tiny", prompt="a red cat", task="t2v")
    message = str(caught.value)
    assert "svd-tiny (Stable Video Diffusion) cannot do t2v; it supports i2v" in message
    listed = message.split("Families that do t2v: ")[1].split(", ")
    assert {"cogvideox", "mochi", "animatediff"} <= set(listed)
    assert "svd" not in listed
    assert set(listed) == set(registry.families_supporting(Task.T2V))


def test_a_prompt_alone_is_told_the_image_it_needs() -> None:
    # It said "cannot do t2v; it supports i2v", leaving a person to work out that an image was wanted.
    with pytest.raises(UnsupportedTask) as caught:
        resolved(model="svd-tiny", prompt="a red cat")
    assert caught.value.message == (
        "svd-tiny (Stable Video Diffusion) does not make video from a prompt alone; give a start image (start_image)"
    )
    assert caught.value.param == "start_image"


def test_wrong_sizes_name_the_nearest_valid_ones_and_loras_are_refused(start: str) -> None:
    with pytest.raises(InvalidRequest, match=r"width 36 is not a multiple of 8.*nearest valid: 32 or 40"):
        _request(start, width=36)
    with pytest.raises(InvalidRequest, match=r"width 1400 is outside 64\.\.1280"):
        _request(start, model="svd-xt", width=1400)
    with pytest.raises(InvalidRequest, match="Stable Video Diffusion does not take LoRAs"):
        _request(start, loras=[{"path": start}])


def test_the_real_presets_default_to_their_trained_clip_lengths(start: str) -> None:
    lengths = {
        name: _request(start, model=name, num_frames=None, width=None, height=None, fps=None)
        for name in ("svd", "svd-xt")
    }
    assert {n: (r.num_frames, r.width, r.height, r.fps, r.steps) for n, r in lengths.items()} == {
        "svd": (14, 1024, 576, 7.0, 25),
        "svd-xt": (25, 1024, 576, 7.0, 25),
    }


def test_a_plan_that_asks_for_vae_tiling_still_renders(start: str) -> None:
    # The temporal decoder can neither tile nor slice, and the out-of-memory step-down asks for both.
    from reelgen.core.backends.svd.runner import SVDRunner
    from reelgen.core.progress import Progress
    from reelgen.core.spec.memory import MemoryPlan
    from reelgen.core.weights import locate

    request = _request(start)
    preset = next(p for p in SPEC.presets if p.name == "svd-tiny")
    plan = MemoryPlan("cpu", "cpu", "float32", None, 0.0, vae_tiling=True, vae_slicing=True)
    runner = SVDRunner(SPEC, preset)
    runner.load(locate(SPEC, preset), plan)
    assert runner.generate(request, Progress()).num_frames == 6


def test_generate_draws_no_diffusers_progress_bar(start: str, capfd: pytest.CaptureFixture[str]) -> None:
    runner = loaded("svd-tiny", start_image=start, **SMALL)
    capfd.readouterr()  # loading may print; generating must not
    frames = run(runner, start_image=start, **SMALL)
    assert frames.shape == (6, 32, 48, 3)
    assert progress_bars(capfd.readouterr().err) == []
