"""FramePack: long image-to-video in sections, exact frame counts, first+last frame, and its three repos."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from reelgen.core.validate import resolve_request

from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec.request import GenerationRequest


def _image(path: Path, seed: int = 0) -> str:
    Image.fromarray(np.random.default_rng(seed).integers(0, 256, (48, 64, 3), dtype=np.uint8)).save(path)
    return str(path)


def test_long_clip_is_made_in_sections_and_cut_to_the_requested_frames(tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    request = GenerationRequest(
        model="framepack-tiny",
        prompt="a cat walks",
        start_image=_image(tmp_path / "s.png"),
        width=48,
        height=32,
        num_frames=13,
        fps=15,
        seed=4,
    )
    result = render(request, tmp_path / "out.mp4", progress=Progress(on_event=events.append))
    info = probe(result.path)
    assert (info["width"], info["height"], info["frames"], info["fps"]) == (48, 32, 13, 15.0)
    # 13 frames need two sections of 2 latent frames (17 frames made, 13 kept); 2 steps each.
    assert [(e.step, e.total) for e in events if e.stage == "denoise"] == [(i, 4) for i in range(5)]
    assert result.video.extra["sections"] == 2
    assert result.video.frames.std() > 0


@pytest.mark.parametrize("sampling", ["inverted_anti_drifting", "vanilla"])
def test_both_sampling_orders_run_and_only_anti_drifting_takes_an_end_image(
    sampling: str, tmp_path: Path
) -> None:
    fields: dict[str, Any] = dict(
        model="framepack-tiny",
        prompt="a cat",
        start_image=_image(tmp_path / "s.png"),
        end_image=_image(tmp_path / "e.png", 1),
        options={"sampling_type": sampling},
        seed=1,
    )
    if sampling == "vanilla":
        with pytest.raises(
            InvalidRequest, match="end_image needs options.sampling_type 'inverted_anti_drifting'"
        ):
            resolve_request(GenerationRequest(**fields))
        fields["end_image"] = None
    else:
        # Extra frames are cut from the end, so with an end image the count must fit the sections.
        with pytest.raises(InvalidRequest, match=r"num_frames must be 8k\+1 .*nearest valid: 9 or 17"):
            resolve_request(GenerationRequest(**fields, num_frames=13))
    result = render(GenerationRequest(**fields), tmp_path / "out.mp4")
    assert probe(result.path)["frames"] == 9


def test_wrong_size_and_options_name_what_is_valid(tmp_path: Path) -> None:
    start = _image(tmp_path / "s.png")
    with pytest.raises(
        InvalidRequest, match=r"width 72 is not a multiple of 16 \(FramePack\); nearest valid: 64 or 80"
    ):
        resolve_request(GenerationRequest(model="framepack", start_image=start, width=72))
    with pytest.raises(InvalidRequest, match="options.sampling_type"):
        resolve_request(
            GenerationRequest(model="framepack", start_image=start, options={"sampling_type": "sideways"})
        )
    _, _, preset_default = resolve_request(GenerationRequest(model="framepack", start_image=start))
    assert (preset_default.fps, preset_default.num_frames) == (30.0, 145)


# ---- real weights come from three repos in the Hugging Face cache ------------------------------------


def _cached_repo(repo: str) -> Path:
    """An empty snapshot of ``repo`` laid out as huggingface_hub's cache has it."""
    root = Path(os.environ["HF_HUB_CACHE"]) / f"models--{repo.replace('/', '--')}"
    commit = "1" * 40
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text(commit)
    snapshot = root / "snapshots" / commit
    snapshot.mkdir(parents=True)
    return snapshot


def _cache_framepack_transformer() -> None:
    from reelgen.core.backends.hunyuan_tiny import framepack_transformer

    framepack_transformer().save_pretrained(str(_cached_repo("lllyasviel/FramePackI2V_HY")))


def _cache_companions() -> None:
    from reelgen.core.backends.hunyuan import HunyuanBackend
    from reelgen.core.backends.hunyuan_tiny import siglip
    from reelgen.core.spec.registry import resolve

    base = _cached_repo("hunyuanvideo-community/HunyuanVideo")
    HunyuanBackend.build_tiny(resolve("hunyuan-tiny")[1], base)
    shutil.rmtree(base / "transformer")  # as `hf download ... --exclude "transformer/*"` leaves it
    redux = _cached_repo("lllyasviel/flux_redux_bfl")
    parts = siglip()
    parts["image_encoder"].save_pretrained(str(redux / "image_encoder"))
    parts["feature_extractor"].save_pretrained(str(redux / "feature_extractor"))


def test_real_preset_joins_transformer_base_and_image_encoder_from_the_cache(tmp_path: Path) -> None:
    _cache_framepack_transformer()
    _cache_companions()
    request = GenerationRequest(
        model="framepack",
        prompt="a cat",
        start_image=_image(tmp_path / "s.png"),
        width=32,
        height=32,
        num_frames=9,
        steps=1,
        options={"latent_window_size": 2},
        seed=1,
    )
    result = render(request, tmp_path / "out.mp4")
    assert probe(result.path)["frames"] == 9
    files = result.metadata["model"]["files"]
    assert "diffusion_pytorch_model.safetensors" in files
    assert "hunyuanvideo-community/HunyuanVideo/text_encoder/model.safetensors" in files
    assert "lllyasviel/flux_redux_bfl/image_encoder/model.safetensors" in files


def test_missing_companions_are_named_with_the_commands_that_fetch_them(tmp_path: Path) -> None:
    _cache_framepack_transformer()
    request = GenerationRequest(
        model="framepack", start_image=_image(tmp_path / "s.png"), width=32, height=32, num_frames=9
    )
    with pytest.raises(ModelNotAvailable) as caught:
        render(request, tmp_path / "out.mp4")
    message = str(caught.value)
    assert "hunyuanvideo-community/HunyuanVideo" in message and "lllyasviel/flux_redux_bfl" in message
    assert "reelgen pull framepack" in message
    assert not (tmp_path / "out.mp4").exists()
