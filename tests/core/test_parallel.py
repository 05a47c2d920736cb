"""One run over two processes (gloo on the CPU): the frames one process makes, rank 0 writing, cancel, failures.

Each test starts two real processes through the same launcher a GPU run uses,
with tiny models and one thread each.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import save_file

from reelgen.core.errors import Cancelled, GenerationFailed, InvalidRequest
from reelgen.core.parallel import ParallelOptions, render_parallel
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import RenderResult, render
from reelgen.core.spec.request import ResolvedRequest
from tests.core.helpers import resolved

#: uint8 levels two runs may differ by: a batch of one and a batch of two round float32 sums apart.
TOLERANCE = 2


@pytest.fixture(autouse=True)
def _one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "1")


def _alone(request: ResolvedRequest, folder: Path) -> np.ndarray:
    return render(request, folder / "one.mp4").video.frames


def _same_frames(split: RenderResult, alone: np.ndarray) -> None:
    frames = split.video.frames
    assert frames.shape == alone.shape
    assert int(np.abs(frames.astype(np.int16) - alone.astype(np.int16)).max()) <= TOLERANCE


def _written_by_rank_0(split: RenderResult, folder: Path) -> dict[str, object]:
    """The split run wrote one video and one sidecar, whose record names both processes."""
    assert sorted(p.name for p in folder.iterdir() if p.stem == split.path.stem) == ["two.json", "two.mp4"]
    record = json.loads(split.sidecar.read_text())["parallel"]
    assert record == split.metadata["parallel"]
    assert [d["rank"] for d in record["devices"]] == [0, 1]
    assert record["processes"] == 2 and record["backend"] == "gloo"
    # Wan's VAE decode is pipelined over both processes; LTX's runs on rank 0.
    wan = split.metadata["model"]["family"] == "wan"
    assert record["vae_decode"] == ("pipelined by layers over ranks 0-1" if wan else "rank 0")
    return dict(record)


def test_wan_over_two_processes_shares_the_guidance_passes_through_render(tmp_path: Path) -> None:
    request = resolved(model="wan-tiny", prompt="a red cat walks", seed=7)
    alone = _alone(request, tmp_path)
    events: list[ProgressEvent] = []
    split = render(
        request, tmp_path / "two.mp4", progress=Progress(on_event=events.append), gpus=2, device="cpu"
    )
    _same_frames(split, alone)
    record = _written_by_rank_0(split, tmp_path)
    # With guidance and two processes the automatic layout gives each one guidance pass.
    assert record["cfg_parallel"] is True and record["context_parallel"] is None
    # Rank 0's progress reaches the caller: the plan, then every denoising step.
    assert any(e.stage == "plan" and "memory plan" in e.message for e in events)
    assert [e.step for e in events if e.stage == "denoise"] == list(range(request.steps + 1))


def test_wan_over_two_processes_splits_attention_ulysses(tmp_path: Path) -> None:
    request = resolved(model="wan-tiny", prompt="a blue bird flies", seed=3)
    alone = _alone(request, tmp_path)
    split = render_parallel(
        request, tmp_path / "two.mp4", gpus=2, device="cpu", options=ParallelOptions(cfg="off")
    )
    _same_frames(split, alone)
    record = _written_by_rank_0(split, tmp_path)
    assert record["cfg_parallel"] is False
    assert record["context_parallel"] == {"ulysses": 2, "ring": 1, "uneven": False}


def test_ltx_with_a_keyframe_splits_attention_over_a_sequence_only_its_pipeline_knows(tmp_path: Path) -> None:
    # A pinned last frame goes through LTX's condition pipeline, whose conditions add tokens:
    # the split takes Ulysses' uneven variant, and text attention stays whole on each process.
    image = tmp_path / "last.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(image)
    request = resolved(
        model="ltx-tiny",
        prompt="a green forest at night",
        seed=5,
        keyframes=[{"frame": 8, "image": str(image)}],
    )
    alone = _alone(request, tmp_path)
    split = render_parallel(
        request, tmp_path / "two.mp4", gpus=2, device="cpu", options=ParallelOptions(cfg="off")
    )
    _same_frames(split, alone)
    assert _written_by_rank_0(split, tmp_path)["context_parallel"] == {
        "ulysses": 2,
        "ring": 1,
        "uneven": True,
    }


def test_ltx_over_two_processes_shares_its_guidance_batch(tmp_path: Path) -> None:
    request = resolved(model="ltx-tiny", prompt="a yellow car on the beach", seed=11)
    alone = _alone(request, tmp_path)
    split = render_parallel(
        request, tmp_path / "two.mp4", gpus=2, device="cpu", options=ParallelOptions(cfg="on")
    )
    _same_frames(split, alone)
    assert _written_by_rank_0(split, tmp_path)["cfg_parallel"] is True


def _weights_no_process_loads(tmp_path: Path) -> Path:
    """A folder that passes for a diffusers checkpoint until a process tries to load it."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model_index.json").write_text(
        json.dumps({"_class_name": "WanPipeline", "vae": ["diffusers", "AutoencoderKLWan"]})
    )
    # Its one part is whole on disk (a config and a complete weight file), so the check of a copied
    # folder's parts before the run passes it; its weights are no Wan VAE's.
    (broken / "vae").mkdir()
    (broken / "vae" / "config.json").write_text(json.dumps({"_class_name": "AutoencoderKLWan"}))
    save_file({"stray": torch.zeros(1)}, str(broken / "vae" / "diffusion_pytorch_model.safetensors"))
    return broken


def test_a_cancel_while_the_processes_start_stops_them_all_before_the_model_loads_and_writes_nothing(
    tmp_path: Path,
) -> None:
    # Asked before the run, the cancel reaches both processes while they import: they stop together at
    # their vote before loading. Weights no process could load tell it: a cancel taken only at the first
    # step, once each process had loaded the model (minutes for a 14B one), failed the run on them instead.
    progress = Progress()
    progress.cancel.cancel("cancelled by the test")
    out = tmp_path / "out" / "two.mp4"
    out.parent.mkdir()
    request = resolved(model="wan-tiny", prompt="a cat", weights=str(_weights_no_process_loads(tmp_path)))
    with pytest.raises(Cancelled, match="cancelled by the test"):
        render(request, out, progress=progress, gpus=2, device="cpu")
    assert list(out.parent.iterdir()) == []


def test_a_process_that_fails_fails_the_run_with_its_reason(tmp_path: Path) -> None:
    broken = _weights_no_process_loads(tmp_path)
    out = tmp_path / "out" / "two.mp4"
    out.parent.mkdir()
    request = resolved(model="wan-tiny", prompt="a cat", weights=str(broken))
    # reelgen's own error from a process comes through as it was said there.
    with pytest.raises(InvalidRequest, match=r"weights folder .*broken does not load as wan-tiny \(Wan\)"):
        render(request, out, gpus=2, device="cpu")
    assert list(out.parent.iterdir()) == []


def test_an_error_of_any_other_kind_in_a_process_is_named_with_the_process() -> None:
    from reelgen.core.parallel.rank import portable

    said = portable(RuntimeError("the kernel died"), 1, "cuda:1")
    assert isinstance(said, GenerationFailed)
    assert str(said) == "process 1 (cuda:1) failed: RuntimeError: the kernel died"
    ours = InvalidRequest("a reason", param="weights")
    assert portable(ours, 0, "cpu") is ours
