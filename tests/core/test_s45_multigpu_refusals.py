"""What `--gpus N` refuses before any process starts: a family the split lacks, a device name, a short source clip."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.parallel import launch
from reelgen.core.render import render
from reelgen.core.types import Video
from reelgen.core.weights import WeightSource
from tests.core.helpers import resolved


@pytest.fixture
def nothing_may_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the request should have been refused before this")

    monkeypatch.setattr(launch.weights, "locate", refuse)
    monkeypatch.setattr(launch.subprocess, "Popen", refuse)


@pytest.mark.usefixtures("nothing_may_start")
def test_ltx2_is_told_it_is_not_the_ltx_family_the_split_covers(tmp_path: Path) -> None:
    # "support the ltx and wan families" read as if LTX-2 (ltx2-*) were among them.
    with pytest.raises(InvalidRequest, match="lists as LTX-Video or Wan\\). Use --gpus 1") as refused:
        render(resolved(model="ltx2-tiny", prompt="a cat"), tmp_path / "a.mp4", gpus=2, device="cpu")
    assert str(refused.value).startswith("LTX-2 cannot split one run over 2 GPUs")
    assert refused.value.param == "gpus"


def test_cpu_with_an_index_is_the_cpu_as_for_one_device(monkeypatch: pytest.MonkeyPatch) -> None:
    # One device takes --device cpu:0; with --gpus 2 it was read as a GPU: "this machine has no CUDA GPU".
    monkeypatch.setattr(launch, "gpu_count", lambda: 0)
    assert launch.check_devices(2, "cpu:0") is False
    assert launch.check_devices(2, " CPU ") is False


@pytest.mark.parametrize("have", [0, 2])
@pytest.mark.parametrize("device", ["gpu", "cuda:x", "cpu0"])
def test_a_device_that_is_no_name_is_refused_as_such(
    device: str, have: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: "this machine has no CUDA GPU" (none here) or "choose which GPUs with CUDA_VISIBLE_DEVICES".
    monkeypatch.setattr(launch, "gpu_count", lambda: have)
    with pytest.raises(
        InvalidRequest, match=f"device '{device}' is not a device name; .* cuda .* or cpu"
    ) as no:
        launch.check_devices(2, device)
    assert no.value.param == "device"


@pytest.mark.usefixtures("nothing_may_start")
def test_a_source_clip_too_short_is_refused_before_the_processes_load(tmp_path: Path) -> None:
    # It was said only once both processes had started and loaded (seconds, minutes on a real model).
    source = tmp_path / "source.mp4"
    frames = np.zeros((5, 64, 64, 3), np.uint8) + np.arange(5, dtype=np.uint8)[:, None, None, None] * 40
    write_video(Video(frames, Fraction(8)), source)
    request = resolved(model="wan-tiny", prompt="oil", task="v2v", source_video=str(source), num_frames=9)
    with pytest.raises(
        InvalidRequest, match=r"lasts 0.62 s \(5 frames at 8 fps\).*ask for 5 frames or fewer"
    ):
        render(request, tmp_path / "out.mp4", gpus=2, device="cpu")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.mp4"]


def test_a_count_the_heads_cannot_be_shared_by_is_refused_before_any_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It was refused once every process had loaded the model (Wan 1.3B's 12 heads over 5 GPUs: minutes).
    folder = tmp_path / "wan-weights"  # a diffusers folder: the transformer's config is all that is read
    (folder / "transformer").mkdir(parents=True)
    (folder / "transformer" / "config.json").write_text(json.dumps({"num_attention_heads": 2}))
    monkeypatch.setattr(launch.weights, "locate", lambda *a: WeightSource("diffusers", folder))
    monkeypatch.setattr(launch, "usable_cores", lambda: 8)
    monkeypatch.setattr(launch.subprocess, "Popen", lambda *a, **k: pytest.fail("no process may start"))
    request = resolved(model="wan-tiny", prompt="a cat", guidance=1.0)  # no guidance halves: all on attention
    with pytest.raises(
        InvalidRequest, match="the model's 2 attention heads cannot be shared by 3 processes"
    ) as no:
        render(request, tmp_path / "a.mp4", gpus=3, device="cpu")
    assert str(no.value).endswith("use --gpus 1 or 2") and no.value.param == "gpus"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wan-weights"]
