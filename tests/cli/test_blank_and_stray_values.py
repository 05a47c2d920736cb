"""Local commands given a blank value (an unset shell variable), a folder for a file, or a setting
for something not asked for: one line naming the option, exit 2, nothing written."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _refused(args: list[str], where: Path) -> str:
    before = sorted(where.rglob("*"))
    result = runner.invoke(app, args, prog_name="reelgen")
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "Traceback" not in said and "internal error" not in said, said
    assert sorted(where.rglob("*")) == before  # no file left behind
    return said


@pytest.mark.parametrize(
    "command",
    [
        ["generate", "a fox", "-m", "ltx-tiny"],
        ["animate", "start.png", "-m", "ltx-tiny"],
        ["avatar", "--image", "face.png", "--audio", "voice.wav"],
        ["enhance", "clip.mp4", "--upscale", "2"],
    ],
)
def test_an_empty_output_is_said_to_be_empty(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read as a path, "" was "." and refused as "output . is a folder", naming neither -o nor the mistake.
    monkeypatch.chdir(tmp_path)
    said = _refused([*command, "-o", ""], tmp_path)
    assert "Invalid value for '--output' / '-o': it is empty; give a file name such as clip.mp4" in said


def test_enhance_refuses_an_empty_input_and_a_folder_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both crashed as "internal error (ValueError: PosixPath('.') has an empty name)", exit 1.
    monkeypatch.chdir(tmp_path)
    said = _refused(["enhance", "", "--upscale", "2"], tmp_path)
    assert "Invalid value for 'IN': it is empty; give a video file" in said
    said = _refused(["enhance", ".", "--upscale", "2"], tmp_path)
    assert said == "error: input: . is a folder; give a video file"


def test_pull_refuses_an_empty_model_name_before_pulling_any(tmp_path: Path) -> None:
    # A blank matched every model without a repo id: "did you mean animatediff-tiny, cogvideox-i2v-tiny, ..."
    said = _refused(["pull", "rife", ""], tmp_path)
    assert said == "error: a model name is empty; give one `reelgen models` lists, or rife or realesrgan"


def _face_and_voice(folder: Path) -> None:
    Image.new("RGB", (64, 64), (200, 160, 140)).save(folder / "face.png")
    with wave.open(str(folder / "voice.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(np.zeros(1600, np.int16).tobytes())


@pytest.mark.parametrize(
    ("args", "line"),
    [
        # Was "--audio: file voices does not exist" of a folder that is there.
        (["--image", "face.png", "--audio", "voices"], "error: --audio: voices is a folder; give a file"),
        # Was "--image: gone.png is not a readable image ([Errno 2] No such file or directory: 'gone.png')".
        (["--image", "gone.png", "--audio", "voice.wav"], "error: --image: file gone.png does not exist"),
        (["--image", "voices", "--audio", "voice.wav"], "error: --image: voices is a folder; give a file"),
        (["--video", "gone.mp4", "--audio", "voice.wav"], "error: --video: file gone.mp4 does not exist"),
    ],
)
def test_an_avatar_input_that_is_missing_or_a_folder_is_said_so(
    args: list[str], line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _face_and_voice(tmp_path)
    (tmp_path / "voices").mkdir()
    said = _refused(["avatar", *args, "-o", "talk.mp4"], tmp_path)
    assert said.endswith(line), said


def test_bench_refuses_a_budget_without_the_budget_variant(tmp_path: Path) -> None:
    # The cap was dropped without a word, and stock and reelgen were timed uncapped.
    said = _refused(["bench", "-m", "ltx-tiny", "--budget", "2"], tmp_path)
    assert said == "error: --budget caps the budget variant: add budget to --variants"


def test_bench_refuses_an_empty_prompt(tmp_path: Path) -> None:
    said = _refused(["bench", "-m", "ltx-tiny", "--prompt", ""], tmp_path)
    assert said == (
        "error: --prompt: it is empty; give what every variant renders, or leave it out for the default"
    )


def test_weights_without_a_model_name_ask_for_one(tmp_path: Path) -> None:
    # -m auto loaded an LTX folder as reelgen-micro: "holds a LTXPipeline, not a WanPipeline ('FrozenDict' ...)".
    folder = tmp_path / "my-ltx"
    folder.mkdir()
    (folder / "model_index.json").write_text('{"_class_name": "LTXPipeline"}')
    said = _refused(["generate", "a fox", "--weights", str(folder), "-o", str(tmp_path / "o.mp4")], tmp_path)
    assert said == (
        "error: --weights: name the model they are with -m (it holds a LTXPipeline), e.g. -m ltx-2b for "
        "LTX-Video weights; auto picks by the weights cached here, not by these (`reelgen models` lists "
        "the models)"
    )
