"""LTX-2 on its tiny model: every task end to end with a soundtrack in the MP4, rules, LoRAs, cancel, no bars."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image

from reelgen.core.backends.ltx2.runner import LTX2Runner
from reelgen.core.cache import ModelCache
from reelgen.core.errors import Cancelled, InvalidRequest
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.request import Keyframe, ResolvedRequest, Task
from reelgen.core.weights import locate, sha256_file
from tests.core.helpers import loaded, resolved

# Not the preset's 64x64 / 24 fps, so the output proves the request was followed.
SMALL = {"model": "ltx2-tiny", "width": 96, "height": 64, "num_frames": 17, "fps": 25.0, "seed": 3}


@pytest.fixture(scope="module")
def cache() -> ModelCache:
    # Let go at the module's end, not freed: free() runs a full gc.collect, which in a full run's test
    # process walks all that the earlier files left (about 2 CPU-s; 0.25 s with this file alone). The
    # tiny weights weigh under 1 MB, and what reference counting leaves the next automatic gc takes.
    return ModelCache(max_models=2)


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("ltx2-inputs")
    ramp = np.linspace(0, 255, 90, dtype=np.uint8)
    start = np.stack(
        [np.tile(ramp, (50, 1)), np.tile(ramp[:50, None], (1, 90)), np.full((50, 90), 60, np.uint8)], -1
    )
    Image.fromarray(start).save(folder / "start.png")
    Image.fromarray(start[::-1].copy()).save(folder / "end.png")
    return {"start": str(folder / "start.png"), "end": str(folder / "end.png")}


def _request(**fields: Any) -> ResolvedRequest:
    return resolved(**{**SMALL, "prompt": "a drum solo on a beach", **fields})


def _task_inputs(task: Task, images: dict[str, str]) -> dict[str, Any]:
    if task is Task.I2V:
        return {"start_image": images["start"]}
    if task is Task.KEYFRAMES:
        return {
            "keyframes": [
                Keyframe(image=images["start"], frame=0),
                Keyframe(image=images["end"], frame=16, strength=0.8),
            ]
        }
    return {}


@pytest.mark.parametrize("task", [Task.T2V, Task.I2V, Task.KEYFRAMES, Task.AUDIO])
def test_each_task_makes_the_asked_clip_with_a_soundtrack_as_long_as_the_picture(
    task: Task, images: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    result = render(_request(task=task, **_task_inputs(task, images)), tmp_path / "out.mp4", cache=cache)

    info = probe(result.path)
    assert (info["frames"], info["width"], info["height"]) == (17, 96, 64)
    assert info["fps"] == pytest.approx(25.0)
    assert info["has_audio"] and info["audio_codec"] == "aac"
    assert info["audio_seconds"] == pytest.approx(17 / 25, abs=1 / 25)
    audio = result.video.audio
    assert audio is not None and audio.samples.shape[0] == 2  # stereo
    assert audio.seconds == pytest.approx(17 / 25, abs=1 / audio.sample_rate)
    assert np.abs(audio.samples).max() > 0  # sound, not padding alone
    assert result.metadata["request"]["task"] == task.value


def test_an_end_image_steers_the_ending(images: dict[str, str], cache: ModelCache, tmp_path: Path) -> None:
    start_only = render(_request(start_image=images["start"]), tmp_path / "a.mp4", cache=cache).video
    both = render(
        _request(start_image=images["start"], end_image=images["end"]), tmp_path / "b.mp4", cache=cache
    )

    assert both.video.num_frames == 17
    assert not np.array_equal(start_only.frames[-8:], both.video.frames[-8:])


def test_an_end_image_beside_keyframes_is_one_more_condition(images: dict[str, str]) -> None:
    # It was refused as needing a start image ("give a start image too") though keyframes were given.
    runner = loaded("ltx2-tiny")
    request = _request(end_image=images["end"], keyframes=[Keyframe(image=images["start"], frame=4)])
    conditions = runner.task_inputs(request, runner.pipe)["conditions"]
    assert [c.index for c in conditions] == [1, 2]  # latent frames of frames 4 and 16
    # Frame 8 shares the end image's latent frame (9..16): the pipeline laid one image over the other.
    with pytest.raises(InvalidRequest) as shared:
        _request(end_image=images["end"], keyframes=[Keyframe(image=images["start"], frame=8)])
    assert shared.value.param == "end_image"
    assert shared.value.message == (
        "end_image: the end image (frame 16) and the keyframe at frame 8 land on the same latent frame "
        "(frames 9..16); LTX-2 pins one image per 8 frames, so set them at least 8 frames apart"
    )
    with pytest.raises(InvalidRequest) as alone:
        _request(end_image=images["end"])
    assert alone.value.param == "end_image"
    assert "give a start image (start_image) or keyframes (keyframes) too" in alone.value.message


def test_a_lone_keyframe_at_the_start_runs_as_image_to_video(
    images: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    as_keyframe = render(
        _request(keyframes=[Keyframe(image=images["start"], frame=0)]), tmp_path / "k.mp4", cache=cache
    ).video
    as_start = render(_request(start_image=images["start"]), tmp_path / "s.mp4", cache=cache).video

    assert as_keyframe.num_frames == 17
    assert np.array_equal(as_keyframe.frames, as_start.frames)


def test_no_audio_leaves_the_mp4_silent(cache: ModelCache, tmp_path: Path) -> None:
    result = render(_request(audio=False), tmp_path / "quiet.mp4", cache=cache)

    assert result.video.audio is None
    assert probe(result.path)["has_audio"] is False


def test_same_seed_same_video_and_sound(cache: ModelCache, tmp_path: Path) -> None:
    first = render(_request(), tmp_path / "a.mp4", cache=cache).video
    again = render(_request(), tmp_path / "b.mp4", cache=cache).video
    other = render(_request(seed=4), tmp_path / "c.mp4", cache=cache).video

    assert np.array_equal(first.frames, again.frames)
    assert first.audio is not None and again.audio is not None and other.audio is not None
    assert np.array_equal(first.audio.samples, again.audio.samples)
    assert not np.array_equal(first.frames, other.frames)


def test_steps_report_progress_with_previews_and_cancel_writes_nothing(
    cache: ModelCache, tmp_path: Path
) -> None:
    events: list[ProgressEvent] = []
    render(
        _request(steps=3),
        tmp_path / "seen.mp4",
        cache=cache,
        progress=Progress(events.append, preview_every=1),
    )
    denoise = [e for e in events if e.stage == "denoise"]
    assert [e.step for e in denoise] == [0, 1, 2, 3] and denoise[-1].total == 3
    assert all(e.preview is not None and e.preview.dtype == np.uint8 for e in denoise[1:])

    progress = Progress()
    progress.on_event = lambda e: progress.cancel.cancel() if e.step == 1 else None
    with pytest.raises(Cancelled):
        render(_request(steps=3), tmp_path / "cancelled.mp4", cache=cache, progress=progress)
    assert not (tmp_path / "cancelled.mp4").exists()


@pytest.mark.parametrize(
    ("fields", "param", "hint"),
    [
        ({"width": 70}, "width", "64 or 96"),
        ({"height": 48}, "height", "outside 64..2048"),
        ({"height": 80}, "height", "64 or 96"),
        ({"num_frames": 20}, "num_frames", "17 or 25"),
        ({"model": "ltx2.3-distilled", "steps": 4}, "steps", "steps 8"),
        ({"options": {"stg_scale": -1}}, "options.stg_scale", "stg_scale"),
    ],
)
def test_wrong_requests_name_the_nearest_valid_value(fields: dict[str, Any], param: str, hint: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        _request(**fields)
    assert caught.value.param == param
    assert hint in caught.value.message


def test_a_lora_changes_the_video_and_is_recorded(cache: ModelCache, tmp_path: Path) -> None:
    from diffusers import LTX2Pipeline, LTX2VideoTransformer3DModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    transformer = LTX2VideoTransformer3DModel.from_pretrained(
        locate(*registry.resolve("ltx2-tiny")).path / "transformer"
    )
    torch.manual_seed(7)
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["to_q", "to_k", "to_v"], init_lora_weights=False)
    transformer.add_adapter(config)
    weights = get_peft_model_state_dict(transformer)
    LTX2Pipeline.save_lora_weights(tmp_path, transformer_lora_layers=weights, weight_name="style.safetensors")
    lora = tmp_path / "style.safetensors"

    plain = render(_request(), tmp_path / "plain.mp4", cache=cache)
    styled = render(
        _request(loras=[{"path": str(lora), "strength": 1.0}]), tmp_path / "lora.mp4", cache=cache
    )
    again = render(_request(), tmp_path / "again.mp4", cache=cache)

    assert not np.array_equal(plain.video.frames, styled.video.frames)
    assert styled.metadata["loras"] == [{"path": str(lora), "strength": 1.0, "sha256": sha256_file(lora)}]
    assert np.array_equal(plain.video.frames, again.video.frames)  # the LoRA does not linger


def test_audio_task_with_audio_off_is_refused() -> None:
    # Said with its field in brackets, which the command line turns into --no-audio.
    with pytest.raises(InvalidRequest, match=r"sound cannot be turned off \(audio\)") as caught:
        _request(task=Task.AUDIO, audio=False)
    assert caught.value.param == "audio"


def test_no_diffusers_progress_bar_prints_while_generating(
    images: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    runner = loaded("ltx2-tiny")
    assert isinstance(runner, LTX2Runner)
    capfd.readouterr()
    for task in (Task.T2V, Task.I2V, Task.KEYFRAMES):
        runner.generate(_request(task=task, **_task_inputs(task, images)), Progress())
    err = capfd.readouterr().err
    assert "it/s" not in err and "%|" not in err, err
