"""render(): files, records, replay, cancel and the out-of-memory ladder, seen from the outside."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from reelgen.core import render as render_module
from reelgen.core.encode import read_metadata
from reelgen.core.errors import Cancelled, InvalidRequest, ModelNotAvailable, OutOfMemory
from reelgen.core.media import probe, read_video
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.record import replay
from reelgen.core.render import render
from reelgen.core.spec import registry, resolve
from reelgen.core.spec.request import GenerationRequest, ResolvedRequest
from tests.core.fakes import SPEC, FakeRunner, fake_cuda
from tests.core.helpers import alike


@pytest.fixture(autouse=True)
def fake_family() -> Iterator[None]:
    registry.register(SPEC)
    FakeRunner.fail_plans = set()
    FakeRunner.fail_load = set()
    FakeRunner.loads = []
    yield
    registry.unregister("fake")


@pytest.fixture(scope="module")
def frozen_heap() -> None:
    """What this process holds by now, frozen out of the garbage collector, as conftest freezes what
    imports left once collection ends.

    Each out-of-memory rung drops the model and runs a full ``gc.collect`` (``devices.empty_cache``; a
    second one where a loaded model is unloaded). Every one walked all that the libraries imported since collection (here
    diffusers and transformers, which the first render imports; in a full run, every pipeline the
    worker's earlier tests loaded): 0.75 CPU-s apiece, nine in the three ladder tests. The collections
    still run, over what these tests make; the ladder is the same."""
    gc.collect()
    gc.freeze()


def R(**fields: object) -> ResolvedRequest:
    """A request resolved as the CLI resolves it."""
    return resolve(GenerationRequest.model_validate(fields))


def test_render_writes_mp4_and_sidecar_with_the_same_record(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    result = render(R(model="fake-tiny", prompt="a cat", seed=7), out)
    info = probe(out)
    assert (info["frames"], info["width"], info["height"], info["fps"]) == (5, 32, 32, 8.0)
    assert (info["codec"], info["pix_fmt"]) == ("h264", "yuv420p")
    sidecar = json.loads(result.sidecar.read_text())
    embedded = read_metadata(out)
    assert sidecar["request"] == embedded["request"]
    assert embedded["request"]["seed"] == 7 and embedded["request"]["num_frames"] == 5
    assert sidecar["model"]["files"]["weights.safetensors"]  # weight file hash recorded
    assert set(sidecar["timings"]) >= {"load", "generate", "encode", "total"}
    assert sidecar["versions"]["torch"]


def test_unset_seed_is_resolved_and_recorded(tmp_path: Path) -> None:
    result = render(R(model="fake-tiny"), tmp_path / "a.mp4")
    assert isinstance(result.metadata["request"]["seed"], int)


def test_replay_reproduces_frames(tmp_path: Path) -> None:
    first = render(R(model="fake-tiny", seed=3), tmp_path / "a.mp4")
    again = replay(first.path, tmp_path / "b.mp4")
    assert alike(read_video(first.path).frames, read_video(again.path).frames)  # decoded: within rounding
    assert again.metadata["request"] == first.metadata["request"]


def test_bad_inputs_raise_specific_errors_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "x.mp4"
    with pytest.raises(
        InvalidRequest, match=r"width 40 is not a multiple of 16 \(Fake\); nearest valid: 32 or 48"
    ):
        render(R(model="fake-tiny", width=40), out)
    with pytest.raises(InvalidRequest, match=r"8 frames is not 4k\+1 \(Fake\); nearest valid: 5 or 9"):
        render(R(model="fake-tiny", num_frames=8), out)
    with pytest.raises(ModelNotAvailable, match="unknown model 'fake-tinny'; did you mean fake-tiny") as near:
        render(R(model="fake-tinny"), out)
    assert "ltx-2b" not in near.value.message  # the near name, not buried in every other one
    with pytest.raises(
        ModelNotAvailable,
        match="unknown model 'qqqq'; no known model is named like it; known models: .*ltx-2b",
    ):
        render(R(model="qqqq"), out)
    with pytest.raises(InvalidRequest, match="LoRA file .*nope.safetensors does not exist"):
        render(R(model="fake-tiny", loras=[{"path": str(tmp_path / "nope.safetensors")}]), out)
    assert list(tmp_path.iterdir()) == []


def test_cancel_mid_run_leaves_no_file_and_next_run_works(tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    progress = Progress()

    def on_event(event: ProgressEvent) -> None:
        events.append(event)
        if event.stage == "denoise" and event.step == 1:
            progress.cancel.cancel()

    progress.on_event = on_event
    with pytest.raises(Cancelled):
        render(R(model="fake-tiny", seed=1), tmp_path / "c.mp4", progress=progress)
    assert max(e.step for e in events if e.stage == "denoise") == 1
    assert list(tmp_path.iterdir()) == []
    assert render(R(model="fake-tiny", seed=1), tmp_path / "d.mp4").path.is_file()


def test_cancel_after_the_last_step_still_leaves_no_file(tmp_path: Path) -> None:
    # Ctrl-C during the VAE decode or the encode: the CLI has said "cancelling at the next step".
    progress = Progress()

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "denoise" and event.total and event.step == event.total:
            progress.cancel.cancel()

    progress.on_event = on_event
    with pytest.raises(Cancelled, match="no file was written"):
        render(R(model="fake-tiny", seed=1, steps=3), tmp_path / "c.mp4", progress=progress)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("frozen_heap")
def test_out_of_memory_steps_down_one_rung_and_records_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_module, "device_info", lambda prefer=None: fake_cuda(24.0))
    FakeRunner.fail_plans = {"gpu"}
    messages: list[str] = []
    progress = Progress(on_event=lambda e: messages.append(e.message))
    result = render(R(model="fake-tiny", seed=1), tmp_path / "o.mp4", progress=progress)
    attempts = result.metadata["attempts"]
    assert [a["plan"]["strategy"] for a in attempts] == ["gpu", "model_offload"]
    assert [a["outcome"] for a in attempts] == ["out_of_memory", "ok"]
    assert result.metadata["memory_plan"]["strategy"] == "model_offload"
    assert any("retrying with model_offload" in m for m in messages)
    assert FakeRunner.loads == ["gpu", "model_offload"]


@pytest.mark.usefixtures("frozen_heap")
def test_out_of_memory_twice_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_module, "device_info", lambda prefer=None: fake_cuda(24.0))
    FakeRunner.fail_plans = {"gpu", "model_offload"}
    with pytest.raises(OutOfMemory) as caught:
        render(R(model="fake-tiny"), tmp_path / "o.mp4")
    # Each rung is named once, in the order tried.
    assert "ran out of GPU memory with gpu then model_offload;" in caught.value.message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("frozen_heap")
def test_out_of_memory_while_loading_steps_down_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_module, "device_info", lambda prefer=None: fake_cuda(24.0))
    FakeRunner.fail_load = {"gpu"}
    result = render(R(model="fake-tiny", seed=1), tmp_path / "o.mp4")
    assert [a["outcome"] for a in result.metadata["attempts"]] == ["out_of_memory", "ok"]
    assert result.metadata["memory_plan"]["strategy"] == "model_offload"
    FakeRunner.fail_load = {"gpu", "model_offload"}
    with pytest.raises(OutOfMemory, match="with gpu then model_offload"):
        render(R(model="fake-tiny", seed=1), tmp_path / "p.mp4")


def test_vram_budget_picks_a_leaner_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_module, "device_info", lambda prefer=None: fake_cuda(80.0))
    roomy = render(R(model="fake-tiny"), tmp_path / "a.mp4")
    tight = render(R(model="fake-tiny"), tmp_path / "b.mp4", vram_budget_gib=8)
    assert roomy.metadata["memory_plan"]["strategy"] == "gpu"
    assert tight.metadata["memory_plan"]["strategy"] in {"group_offload", "sequential_offload"}
    assert tight.metadata["memory_plan"]["budget_gib"] == 8


def _image(path: Path, colour: tuple[int, int, int]) -> Path:
    from PIL import Image

    Image.new("RGB", (32, 32), colour).save(path)
    return path


def test_replay_works_from_another_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    _image(work / "start.png", (200, 30, 30))
    first = render(R(model="fake-tiny", seed=3, start_image="start.png"), work / "a.mp4")
    assert first.metadata["request"]["start_image"] == str(work / "start.png")  # recorded absolute
    assert first.metadata["inputs"]["start_image"]["sha256"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    again = replay(work / "a.mp4", elsewhere / "b.mp4")
    assert alike(read_video(first.path).frames, read_video(again.path).frames)  # decoded: within rounding


def test_replay_refuses_a_changed_input_unless_told(tmp_path: Path) -> None:
    start = _image(tmp_path / "start.png", (200, 30, 30))
    first = render(R(model="fake-tiny", seed=3, start_image=str(start)), tmp_path / "a.mp4")
    _image(start, (30, 30, 200))
    with pytest.raises(InvalidRequest, match="start_image: .*has changed.*--allow-changed-inputs"):
        replay(first.path, tmp_path / "b.mp4")
    assert not (tmp_path / "b.mp4").exists()
    messages: list[str] = []
    progress = Progress(on_event=lambda e: messages.append(e.message))
    changed = replay(first.path, tmp_path / "c.mp4", allow_changed_inputs=True, progress=progress)
    assert any("has changed" in m for m in messages)
    assert not np.array_equal(read_video(first.path).frames, read_video(changed.path).frames)
    start.unlink()
    with pytest.raises(InvalidRequest, match="no longer exists"):
        replay(first.path, tmp_path / "d.mp4", allow_changed_inputs=True)


def test_replay_of_a_record_edited_past_the_models_rules_is_refused_before_rendering(tmp_path: Path) -> None:
    first = render(R(model="fake-tiny", seed=3), tmp_path / "a.mp4")
    record = json.loads(first.sidecar.read_text())
    record["request"]["num_frames"] = 10  # fake-tiny makes 4k+1 frames
    first.sidecar.write_text(json.dumps(record))
    with pytest.raises(InvalidRequest) as refused:
        replay(first.sidecar, tmp_path / "b.mp4")
    assert str(refused.value) == (
        f"{first.sidecar} holds a request that cannot be made: num_frames: 10 frames is not 4k+1 (Fake); nearest valid: 9 or 13"
    )
    assert not (tmp_path / "b.mp4").exists()


def test_render_takes_the_resolved_request_as_it_is(tmp_path: Path) -> None:
    request = R(model="fake-tiny", seed=11)
    result = render(request, tmp_path / "a.mp4")
    assert ResolvedRequest.model_validate(result.metadata["request"]) == request
    assert result.metadata["stages"] == ["generate"]
    assert result.metadata["quality"]["fatal"] is False


def test_text_a_model_will_not_read_is_said_before_it_loads(tmp_path: Path) -> None:
    """SVD reads no text, and a negative prompt goes unread without CFG: made anyway, but said."""
    messages: list[str] = []
    render(
        R(model="fake-tiny", seed=1, negative_prompt="blurry", guidance=1.0),
        tmp_path / "a.mp4",
        progress=Progress(on_event=lambda e: messages.append(e.message)),
    )
    assert (
        "warning: the negative prompt has no effect on fake-tiny at guidance 1: it counts only above 1"
        in (" ".join(messages))
    )

    def said(model: str, **fields: object) -> str | None:
        spec, preset = registry.resolve(model)
        return spec.runner_class().unread_text(R(model=model, **fields), preset.name)

    start = str(_image(tmp_path / "start.png", (200, 30, 30)))
    assert said("svd-tiny", prompt="a fox", start_image=start) == (
        "svd-tiny reads no text: the prompt will not steer it"
    )
    assert said("svd-tiny", start_image=start) is None
    hunyuan = said("hunyuan-tiny", prompt="a fox", negative_prompt="blurry")
    assert hunyuan is not None and "give --option true_cfg_scale above 1" in hunyuan
    assert (
        said("hunyuan-tiny", prompt="a fox", negative_prompt="blurry", options={"true_cfg_scale": 2.0})
        is None
    )
    assert said("fake-tiny", prompt="a fox", negative_prompt="blurry", guidance=3.0) is None


def test_a_vram_budget_on_the_cpu_is_said_to_be_unused_not_shown_as_exceeded(tmp_path: Path) -> None:
    messages: list[str] = []
    progress = Progress(on_event=lambda e: messages.append(e.message))
    made = render(R(model="fake-tiny", seed=1), tmp_path / "a.mp4", progress=progress, vram_budget_gib=0.1)
    said = next(m for m in messages if m.startswith("memory plan:"))
    # "needs ~3.0 GiB of 0.1 GiB" read as a plan over its budget that ran anyway.
    assert "of 0.1 GiB" not in said and "a VRAM budget (0.1 GiB) plans GPU memory, so it is not used" in said
    assert made.metadata["memory_plan"]["budget_gib"] is None
