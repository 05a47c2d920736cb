"""``reelgen replay`` of a project scene clip words its LoRAs and inputs as the replay of a generated clip does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from reelgen.core.project import render
from reelgen.core.project.plan import ScenePlan
from reelgen.core.project.windows import WindowSpec
from reelgen.core.spec.request import LoraSpec
from reelgen.core.weights import sha256_file
from tests.cli.replaying import said
from tests.cli.test_s51h_replay_lora_twice import Loaded, _stop, twice
from tests.core.helpers import resolved

runner = CliRunner()


def scene_record(folder: Path, window: dict[str, Any], **asked: Any) -> Path:
    """A scene clip's record of one window, made with ``window`` as its record and ``asked`` its request."""
    loras = tuple(LoraSpec(**lora) for lora in asked.pop("loras", ()))
    # Set after resolving: a request naming one LoRA twice is refused now, as records made before were not.
    first = resolved(model="ltx-tiny", prompt="waves", seed=1, **asked).model_copy(update={"loras": loras})
    spec = WindowSpec(index=0, frames=first.num_frames, keep_from=0, prompt="waves", seed=1)
    plan = ScenePlan(
        scene_id="sea",
        index=0,
        key="k1",
        first=first,
        windows=(spec,),
        continuation=None,
        end_image=None,
        frames=first.num_frames,
        colour_match=False,
        overlap=0,
        enhance=(),
    )
    record = {"scene": "sea", "key": "k1", "plan": plan.model_dump(mode="json"), "windows": [{"index": 0}]}
    record["windows"][0]["record"] = window
    path = folder / "sea.json"
    path.write_text(json.dumps(record))
    return path


def scene_twice(folder: Path) -> tuple[Path, Path]:
    """A scene clip's record whose one window's record is ``twice``'s: one LoRA applied twice, hashed once."""
    clip_record, lora = twice(folder)
    window = json.loads(clip_record.read_text())
    clip_record.unlink()
    return scene_record(folder, window, loras=window["request"]["loras"]), lora


def _replayed(record: Path, tmp_path: Path) -> str:
    result = runner.invoke(app, ["replay", str(record), "-o", str(tmp_path / "again.mp4")])
    assert isinstance(result.exception, Loaded), result.output
    return said(result)


def test_both_entries_moved_with_a_scene_are_found_and_checked_as_a_clips_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tmp_path / "made"
    made.mkdir()
    record, lora = scene_twice(made)
    moved = tmp_path / "moved"
    made.rename(moved)  # the folder moved as a whole: the record still names made/style.safetensors
    monkeypatch.setattr(weights, "locate", _stop)
    monkeypatch.setattr(render, "render_scene", _stop)
    text = _replayed(moved / record.name, tmp_path)
    here = moved / lora.name
    for i in (0, 1):
        assert f"loras[{i}]: {lora} no longer exists; using {here}, the same file" in text
    # A clip's replay says no more; the scene's warned that loras[1] "cannot be checked".
    assert "cannot be checked" not in text, text


def test_an_input_named_with_input_that_is_another_file_is_not_said_to_have_changed(tmp_path: Path) -> None:
    made = tmp_path / "start.png"
    Image.fromarray(np.zeros((64, 64, 3), np.uint8)).save(made)
    window = {"inputs": {"start_image": {"path": str(made), "sha256": sha256_file(made)}}}
    record = scene_record(tmp_path, window, start_image=str(made))
    other = tmp_path / "other.png"
    Image.fromarray(np.full((64, 64, 3), 200, np.uint8)).save(other)
    argv = ["replay", str(record), "-o", str(tmp_path / "again.mp4"), "--input", f"start_image={other}"]
    refused = runner.invoke(app, argv)
    assert refused.exit_code == 2, refused.output
    # A clip's replay says so; the scene's said other.png "has changed since the video was made".
    assert (
        f"start_image: {other} is not the file the video was made from (its SHA-256 differs from the record's)"
    ) in said(refused)
