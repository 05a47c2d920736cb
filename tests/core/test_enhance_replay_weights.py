"""`reelgen replay` of clips enhanced with the real RIFE and Real-ESRGAN weights on the CPU.

The same frames come back; weights that changed since, or that this machine
does not have, are refused in words saying what to do about it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip
from tests.cli.test_replay_enhanced import picture, said
from tests.core.enhance_media import real_weights
from tests.core.helpers import alike

runner = CliRunner()

RIFE = ("rife", "flownet.pkl", ("--interpolate", "2", "--interpolator", "rife"))
ESRGAN = (
    "realesrgan",
    "realesr-animevideov3-x4.bin",
    ("--upscale", "2", "--upscaler", "realesr-animevideov3"),
)


def pulled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> Path:
    """A models folder of this test's own holding a copy of the real weights ``name``, as `reelgen pull` leaves it."""
    models = tmp_path / "models"
    shutil.copytree(real_weights(name), models / name)
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    return models / name


def enhanced(folder: Path, *args: str) -> Path:
    """5 frames of 64x48 with sound, enhanced here with ``args``; the enhanced video."""
    source, out = _clip(folder / "in.mp4", frames=5), folder / "out.mp4"
    made = runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", *args])
    assert made.exit_code == 0, made.output
    return out


@pytest.mark.parametrize(
    ("name", "stage", "args", "frames", "size"),
    [
        ("rife", "rife", RIFE[2], 9, (48, 64)),
        ("realesrgan", "esrgan", ESRGAN[2], 5, (96, 128)),
    ],
)
def test_an_enhance_with_real_weights_replays_to_the_same_frames(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    stage: str,
    args: tuple[str, ...],
    frames: int,
    size: tuple[int, int],
) -> None:
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(real_weights(name).parent))
    out = enhanced(tmp_path, *args)
    again = tmp_path / "again.mp4"
    result = runner.invoke(app, ["replay", str(out), "-o", str(again), "-q"])
    assert result.exit_code == 0, result.output
    frames_again, frames_then = picture(again)[1], picture(out)[1]
    assert frames_again.shape == frames_then.shape == (frames, *size, 3)
    assert alike(frames_again, frames_then)  # the same model on the same frames, each encoded once
    then = json.loads(out.with_suffix(".json").read_text())["enhance"][0]
    now = json.loads(again.with_suffix(".json").read_text())["enhance"][0]
    assert now["name"] == then["name"] == stage and now["weights"] == then["weights"]


def test_changed_rife_weights_are_refused_unless_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    mine = tmp_path / "my-rife.pkl"  # a checkpoint of the person's own, given by path
    shutil.copy(real_weights("rife") / "flownet.pkl", mine)
    out = enhanced(tmp_path, *RIFE[2], "--option", f"rife.weights={mine}")
    state = torch.load(mine, map_location="cpu", weights_only=True)
    key = next(k for k, v in state.items() if v.is_floating_point())
    state[key] = state[key] * 1.01  # fine-tuned since: still a checkpoint that loads
    torch.save(state, mine)
    again = tmp_path / "again.mp4"
    refused = runner.invoke(app, ["replay", str(out), "-o", str(again)])
    assert refused.exit_code == 2, refused.output
    assert f"rife weights: {mine} have changed since the video was made" in said(refused)
    assert "pass --allow-changed-inputs" in said(refused) and not again.exists()
    allowed = runner.invoke(app, ["replay", str(out), "-o", str(again), "--allow-changed-inputs"])
    assert allowed.exit_code == 0, allowed.output
    assert f"warning: rife weights: {mine} have changed" in said(allowed)
    assert picture(again)[1].shape == (9, 48, 64, 3)


@pytest.mark.parametrize(("name", "damaged", "args"), [RIFE, ESRGAN])
def test_pulled_weights_changed_since_are_refused_naming_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, damaged: str, args: tuple[str, ...]
) -> None:
    where = pulled(tmp_path, monkeypatch, name)
    out = enhanced(tmp_path, *args)
    target = where / damaged
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF  # the same size, so it still looks pulled
    target.write_bytes(bytes(data))
    for allow in ([], ["--allow-changed-inputs"]):  # enhance runs pulled weights only as published
        result = runner.invoke(app, ["replay", str(out), *allow])
        assert result.exit_code == 2, result.output
        assert f"weights: {target} is damaged since the video was made" in said(result)
        assert f"run `reelgen pull {name}` again" in said(result)
        assert "--allow-changed-inputs" not in said(result)  # it would not help
    assert not (tmp_path / "out-again.mp4").exists()


@pytest.mark.parametrize(("name", "gone", "args"), [RIFE, ESRGAN])
def test_weights_not_on_this_machine_are_refused_naming_reelgen_pull(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, gone: str, args: tuple[str, ...]
) -> None:
    where = pulled(tmp_path, monkeypatch, name)
    out = enhanced(tmp_path, *args)
    shutil.rmtree(where)  # replayed where nothing was pulled (or the pulled folder was cleared)
    result = runner.invoke(app, ["replay", str(out), "--allow-changed-inputs"])
    assert result.exit_code == 2, result.output
    stage = "rife" if name == "rife" else "esrgan"
    assert f"{stage} weights: {where / gone} no longer exists" in said(result)
    assert f"run `reelgen pull {name}`" in said(result)
    assert "Traceback" not in result.output and not (tmp_path / "out-again.mp4").exists()
