"""RIFE weights that cannot work (`--option rife.weights=...`): refused before any frame is made, saying what works."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance.files import enhance_file
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.spec.request import EnhanceStep
from tests.core.enhance_media import flat_png_clip

runner = CliRunner()


def _refusal(source: Path, weights: Path, tmp_path: Path) -> str:
    out = tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "rife"]
    result = runner.invoke(app, [*args, "--option", f"rife.weights={weights}", "-q"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not out.exists()
    return result.output


def test_a_folder_is_said_to_be_a_folder(tmp_path: Path) -> None:
    source = flat_png_clip(tmp_path / "in.mov", (10, 90, 170), 32, 24)
    folder = tmp_path / "rife"
    folder.mkdir()
    said = _refusal(source, folder, tmp_path)
    assert f"{folder} is a folder" in said and "flownet.pkl" in said
    assert "do not exist" not in said  # it was, of a folder that does


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"not a model\n", "not a readable flownet.pkl"), (None, "hold no state dict")],
)
def test_a_file_that_is_no_weights_is_named_with_what_works(
    tmp_path: Path, content: bytes | None, why: str
) -> None:
    source = flat_png_clip(tmp_path / "in.mov", (10, 90, 170), 32, 24)
    weights = tmp_path / "flownet.pkl"
    if content is None:
        torch.save([1, 2, 3], weights)  # a torch file, but no state dict
    else:
        weights.write_bytes(content)
    said = " ".join(_refusal(source, weights, tmp_path).split())
    assert str(weights) in said and why in said
    # What would work: before, only that this file did not.
    assert "v4.25/v4.26" in said and "reelgen pull rife" in said


def test_bad_weights_stop_a_chain_before_its_first_stage_runs(tmp_path: Path) -> None:
    # An upscale, then RIFE: the weights were read at RIFE's first pair, after frames were upscaled.
    source = flat_png_clip(tmp_path / "in.mov", (10, 90, 170, 250), 32, 24)
    weights = tmp_path / "flownet.pkl"
    weights.write_bytes(b"not a model\n")
    events: list[ProgressEvent] = []
    steps = [
        EnhanceStep(name="lanczos", options={"scale": 2}),
        EnhanceStep(name="rife", options={"factor": 2, "weights": str(weights)}),
    ]
    with pytest.raises(InvalidRequest, match="not a readable flownet.pkl"):
        enhance_file(source, tmp_path / "out.mp4", steps, progress=Progress(on_event=events.append))
    assert not [e for e in events if e.stage == "upscale" and e.step > 0]
