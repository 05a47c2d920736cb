"""The CogVideoX backend on its tiny models: every task end to end, size and frame rules, LoRAs."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image

from reelgen.core.backends.cogvideox import SPEC
from reelgen.core.cache import ModelCache
from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import probe
from reelgen.core.render import render
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.types import Video
from reelgen.core.weights import sha256_file
from tests.core.helpers import loaded, progress_bars, resolved, run

SMALL = {"width": 48, "height": 32, "num_frames": 9, "fps": 12.0, "seed": 1, "prompt": "a red cat"}


@pytest.fixture(scope="module")
def cache() -> ModelCache:
    """One cache for the module, so each tiny model is loaded once."""
    # Let go at the module's end, not freed: free() runs a full gc.collect, which in a full run's test
    # process walks all that the earlier files left (about 2 CPU-s; 0.25 s with this file alone). The
    # tiny weights weigh under 1 MB, and what reference counting leaves the next automatic gc takes.
    return ModelCache(max_models=2)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("cog-inputs")
    ramp = np.linspace(0, 255, 64, dtype=np.uint8)
    start = np.stack(
        [np.tile(ramp, (48, 1)), np.tile(ramp[:48, None], (1, 64)), np.full((48, 64), 90, np.uint8)], -1
    )
    Image.fromarray(start).save(folder / "start.png")
    write_video(
        Video(np.stack([np.roll(start, 3 * i, axis=1) for i in range(12)]), Fraction(8)),
        folder / "source.mp4",
    )
    return {"start": str(folder / "start.png"), "video": str(folder / "source.mp4")}


@pytest.fixture(scope="module")
def lora_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real LoRA for the tiny CogVideoX transformer, made with peft and saved as diffusers writes it."""
    from diffusers import CogVideoXPipeline, CogVideoXTransformer3DModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    from reelgen.core.spec.registry import resolve
    from reelgen.core.weights import tiny_folder

    folder = tiny_folder(SPEC, resolve("cogvideox-tiny")[1])
    transformer = CogVideoXTransformer3DModel.from_pretrained(folder / "transformer")
    torch.manual_seed(3)
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["to_q", "to_k", "to_v"], init_lora_weights=False)
    transformer.add_adapter(config)
    out = tmp_path_factory.mktemp("cog-lora")
    CogVideoXPipeline.save_lora_weights(
        out, transformer_lora_layers=get_peft_model_state_dict(transformer), weight_name="style.safetensors"
    )
    return out / "style.safetensors"


def _request(**fields: Any) -> ResolvedRequest:
    return resolved(**{**SMALL, **fields})


@pytest.mark.parametrize(
    ("model", "fields", "size"),
    [
        ("cogvideox-tiny", {"task": "t2v"}, (48, 32)),
        ("cogvideox-tiny", {"task": "v2v", "source_video": "video", "source_strength": 0.6}, (48, 32)),
        # The I2V transformer's learned position embeddings only run at its own size.
        ("cogvideox-i2v-tiny", {"task": "i2v", "start_image": "start", "width": 32}, (32, 32)),
    ],
    ids=["t2v", "v2v", "i2v"],
)
def test_every_tiny_task_renders_the_requested_clip(
    model: str,
    fields: dict[str, Any],
    size: tuple[int, int],
    inputs: dict[str, str],
    cache: ModelCache,
    tmp_path: Path,
) -> None:
    fields = {k: inputs.get(v, v) if k in ("start_image", "source_video") else v for k, v in fields.items()}
    result = render(_request(model=model, **fields), tmp_path / "out.mp4", cache=cache)
    info = probe(result.path)
    assert (info["frames"], (info["width"], info["height"])) == (9, size)
    assert info["fps"] == pytest.approx(12.0)
    assert result.video.frames.std() > 0


def test_wrong_sizes_and_frame_counts_name_the_nearest_valid_ones(inputs: dict[str, str]) -> None:
    with pytest.raises(InvalidRequest, match=r"width 40 is not a multiple of 16.*nearest valid: 32 or 48"):
        _request(model="cogvideox-tiny", width=40)
    with pytest.raises(InvalidRequest, match=r"13 frames is not 8k\+1.*nearest valid: 9 or 17"):
        _request(model="cogvideox-tiny", num_frames=13)
    with pytest.raises(InvalidRequest, match=r"size 1280x720 is not supported.*valid: 720x480"):
        _request(model="cogvideox-5b-i2v", task="i2v", start_image=inputs["start"], width=1280, height=720)


def test_a_source_clip_shorter_than_the_request_is_refused(
    inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    # 12 frames at 8 fps last 1.5 s; 25 frames at 12 fps take 2 s of it, and 17 (8k+1) fit in it.
    request = _request(model="cogvideox-tiny", task="v2v", source_video=inputs["video"], num_frames=25)
    with pytest.raises(
        InvalidRequest,
        match=r"lasts 1.50 s \(12 frames at 8 fps\), and 25 frames at 12 fps take 2.08 s of it; "
        "ask for 17 frames or fewer",
    ):
        render(request, tmp_path / "out.mp4", cache=cache)
    assert not (tmp_path / "out.mp4").exists()


def test_a_lora_changes_the_clip_and_is_recorded(lora_file: Path, cache: ModelCache, tmp_path: Path) -> None:
    plain = render(_request(model="cogvideox-tiny"), tmp_path / "a.mp4", cache=cache)
    styled = render(
        _request(model="cogvideox-tiny", loras=[{"path": str(lora_file), "strength": 1.0}]),
        tmp_path / "b.mp4",
        cache=cache,
    )
    assert not np.array_equal(plain.video.frames, styled.video.frames)
    assert styled.metadata["loras"] == [
        {"path": str(lora_file), "strength": 1.0, "sha256": sha256_file(lora_file)}
    ]
    again = render(_request(model="cogvideox-tiny"), tmp_path / "c.mp4", cache=cache)
    assert np.array_equal(plain.video.frames, again.video.frames)  # the LoRA does not linger


def test_video_to_video_that_leaves_no_denoising_step_is_refused(inputs: dict[str, str]) -> None:
    with pytest.raises(InvalidRequest, match="leaves no denoising step") as err:
        _request(
            model="cogvideox-tiny", task="v2v", source_video=inputs["video"], source_strength=0.4, steps=2
        )
    assert err.value.param == "source_strength"


def test_a_single_checkpoint_file_is_refused_with_what_would_load(tmp_path: Path) -> None:
    single = tmp_path / "cogvideox.safetensors"
    single.write_bytes(b"not read")
    with pytest.raises(InvalidRequest, match="loads diffusers folders only") as err:
        render(_request(model="cogvideox-tiny", weights=str(single)), tmp_path / "out.mp4")
    assert err.value.param == "weights"


def test_generate_draws_no_diffusers_progress_bar(
    inputs: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    fields = {**SMALL, "task": "v2v", "source_video": inputs["video"]}
    runner = loaded("cogvideox-tiny", **fields)
    capfd.readouterr()  # loading may print; generating must not
    frames = run(runner, **fields)  # the video-to-video pipeline is built on first use
    assert frames.shape == (9, 32, 48, 3)
    assert progress_bars(capfd.readouterr().err) == []


def test_a_source_clip_holding_one_output_frame_says_frame_not_frames(tmp_path: Path) -> None:
    from fractions import Fraction

    import numpy as np

    from reelgen.core.backends.source_clip import check_long_enough
    from reelgen.core.encode import write_video
    from reelgen.core.spec import registry
    from reelgen.core.types import Video

    clip = tmp_path / "two.mp4"
    write_video(Video(np.full((2, 32, 32, 3), 90, np.uint8), Fraction(8)), clip)
    request = _request(model="cogvideox-tiny", task="v2v", source_video=str(clip), num_frames=9)
    spec, preset = registry.resolve("cogvideox-tiny")
    with pytest.raises(InvalidRequest) as err:
        check_long_enough(request, spec.rules_for(preset))
    # It said "ask for 1 frame or fewer" (and before that "1 frames"): a still, not a restyle.
    assert err.value.message.endswith(
        "the fewest this model makes, 9 frames at 12 fps, need a clip longer than 0.67 s: give a longer video"
    )
