"""FramePack: long image-to-video in sections, exact frame counts, first+last frame, and its three repos."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core.errors import Cancelled, InvalidRequest, ModelNotAvailable
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry
from tests.core.helpers import loaded, resolved, run

#: What a tqdm bar leaves on stderr: "50%|█████     | 1/2 [00:01<00:01, 1.2s/it]".
TQDM = re.compile(r"\d+%\|.*\| *\d+/\d+")


def _image(path: Path, seed: int = 0) -> str:
    Image.fromarray(np.random.default_rng(seed).integers(0, 256, (48, 64, 3), dtype=np.uint8)).save(path)
    return str(path)


def test_long_clip_is_made_in_sections_and_cut_to_the_requested_frames(tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    request = resolved(
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


def test_cancel_in_the_second_section_stops_the_run(tmp_path: Path) -> None:
    progress = Progress()
    steps: list[int] = []

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "denoise":
            steps.append(event.step)
            if event.step == 3:
                progress.cancel.cancel()

    progress.on_event = on_event
    runner = loaded("framepack-tiny", start_image=_image(tmp_path / "s.png"))
    with pytest.raises(Cancelled):
        run(runner, progress, start_image=_image(tmp_path / "s.png"), width=32, height=32, num_frames=13)
    assert steps == [0, 1, 2, 3]
    assert "step" not in vars(runner.pipe.scheduler)  # type: ignore[attr-defined]


def test_no_diffusers_progress_bar_is_printed_during_generate(
    capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fields: dict[str, Any] = dict(start_image=_image(tmp_path / "s.png"), width=32, height=32, num_frames=13)
    runner = loaded("framepack-tiny", **fields)
    capfd.readouterr()
    run(runner, **fields)
    assert not TQDM.search(capfd.readouterr().err)


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
            resolved(**fields)
        fields["end_image"] = None
    else:
        # Extra frames are cut from the end, so with an end image the count must fit the sections.
        with pytest.raises(
            InvalidRequest,
            match=r"^num_frames: 13 frames would cut off the end image; .* 8k\+1 .*nearest valid: 9 or 17",
        ):
            resolved(**fields, num_frames=13)
    result = render(resolved(**fields), tmp_path / "out.mp4")
    assert probe(result.path)["frames"] == 9


def test_wrong_size_and_options_name_what_is_valid(tmp_path: Path) -> None:
    start = _image(tmp_path / "s.png")
    with pytest.raises(
        InvalidRequest, match=r"width 72 is not a multiple of 16 \(FramePack\); nearest valid: 64 or 80"
    ):
        resolved(model="framepack", start_image=start, width=72)
    with pytest.raises(InvalidRequest, match="options.sampling_type"):
        resolved(model="framepack", start_image=start, options={"sampling_type": "sideways"})
    preset_default = resolved(model="framepack", start_image=start)
    assert (preset_default.fps, preset_default.num_frames) == (30.0, 145)


def test_memory_is_one_section_so_longer_clips_need_little_more(tmp_path: Path) -> None:
    spec, preset = registry.resolve("framepack")
    start = _image(tmp_path / "s.png")
    short, long = (resolved(model="framepack", start_image=start, num_frames=n) for n in (37, 361))
    wide = resolved(model="framepack", start_image=start, num_frames=37, options={"latent_window_size": 33})
    # Ten times the frames: only the decoded clip grows; a wider window grows the transformer's tokens.
    assert spec.working_gib(preset, long) < 3 * spec.working_gib(preset, short)
    assert spec.working_gib(preset, wide) > spec.working_gib(preset, short)


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
    from reelgen.core.backends.framepack.tiny import transformer

    transformer().save_pretrained(str(_cached_repo("lllyasviel/FramePackI2V_HY")))


def _cache_companions() -> None:
    from reelgen.core.backends.hunyuan.tiny import siglip

    base = _cached_repo("hunyuanvideo-community/HunyuanVideo")
    spec, preset = registry.resolve("hunyuan-tiny")
    spec.build_tiny(preset, base)
    shutil.rmtree(base / "transformer")  # as `hf download ... --exclude "transformer/*"` leaves it
    redux = _cached_repo("lllyasviel/flux_redux_bfl")
    parts = siglip()
    parts["image_encoder"].save_pretrained(str(redux / "image_encoder"))
    parts["feature_extractor"].save_pretrained(str(redux / "feature_extractor"))


def test_real_preset_joins_transformer_base_and_image_encoder_from_the_cache(tmp_path: Path) -> None:
    _cache_framepack_transformer()
    _cache_companions()
    request = resolved(
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
    request = resolved(
        model="framepack", start_image=_image(tmp_path / "s.png"), width=32, height=32, num_frames=9
    )
    with pytest.raises(ModelNotAvailable) as caught:
        render(request, tmp_path / "out.mp4")
    message = str(caught.value)
    assert "hunyuanvideo-community/HunyuanVideo" in message and "lllyasviel/flux_redux_bfl" in message
    assert "reelgen pull framepack" in message
    assert not (tmp_path / "out.mp4").exists()
