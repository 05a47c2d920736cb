"""A batch item that fails as it renders (its AnimateDiff camera LoRA not downloaded) names its place,
``items[N]``, and the manifest's field, as an item refused while planning does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reelgen.core.backends import companions
from reelgen.core.backends.animatediff import presets as ap
from reelgen.core.batch import run, run_batch


def _missing_lora(planned: Any, *args: Any) -> dict:
    # What the AnimateDiff runner does as it loads the LoRA, without building the model on a CPU.
    name = planned.request.options.camera_motion
    companions.require(ap.CAMERA_MOTIONS[name], f"camera_motion {name!r}", "options.camera_motion")
    raise AssertionError("the LoRA was found in an empty cache")


def test_a_missing_camera_lora_names_the_items_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache: the LoRA is not there
    monkeypatch.setattr(run, "_render", _missing_lora)
    manifest = {
        "defaults": {"model": "animatediff-tiny"},
        "items": [
            {"prompt": "a fox", "output": "pan", "motion": {"preset": "pan-left"}},
            {"prompt": "a fox", "output": "anim", "motion": {"preset": "zoom-in"}},
        ],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    summary = run_batch(tmp_path / "manifest.json")
    (problem,) = [p for p in summary.failed if p.output == "anim"]
    assert problem.param == "items[1].motion"
    (line,) = [line for line in summary.lines() if line.startswith("failed anim")]
    assert line.startswith(
        "failed anim (items[1]): motion (AnimateDiff's camera LoRA 'zoom-in') needs guoyww/animatediff-motion"
    )


def test_a_bug_met_rendering_an_item_names_its_place_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> dict:
        raise RuntimeError("boom")

    monkeypatch.setattr(run, "_render", broken)
    items = [{"prompt": "a fox", "output": "fox"}, {"prompt": "a cat", "output": "cat"}]
    manifest = {"defaults": {"model": "animatediff-tiny"}, "items": items}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    summary = run_batch(tmp_path / "manifest.json")
    cat = summary.failed[1]
    assert (cat.reason, cat.param) == (
        "items[1] (cat): internal error (RuntimeError: boom); please report it",
        "items[1]",
    )
