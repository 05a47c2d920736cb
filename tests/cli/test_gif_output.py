"""`-o clip.gif` on generate and enhance: a looping GIF a browser plays at the clip's speed, with its
record inside, and a word where the source's sound could not go into it."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import read_metadata, write_video
from reelgen.core.types import Video
from tests.cli.test_enhance_sound import _clip

runner = CliRunner()
MICRO = ["-m", "reelgen-micro", "--width", "64", "--height", "64", "--steps", "2", "--seed", "3", "-q"]


def _gif(path: Path) -> tuple[int, tuple[int, int], int | None, list[int]]:
    """A GIF as a browser reads it: frames, size, loop count (0: forever) and each frame's delay in ms."""
    with Image.open(path) as image:
        count, delays = int(getattr(image, "n_frames", 1)), []
        for n in range(count):
            image.seek(n)
            delays.append(image.info["duration"])
        return count, image.size, image.info.get("loop"), delays


def _frames(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)]).astype(int)


def test_generate_writes_a_looping_gif_with_its_record_and_good_colours(tmp_path: Path) -> None:
    # Two names: clip.mp4's record would replace clip.gif's (clip.json), which is refused.
    gif, mp4 = tmp_path / "clip.gif", tmp_path / "same.mp4"
    for out in (gif, mp4):
        result = runner.invoke(app, ["generate", "a red ball", *MICRO, "--seconds", "0.75", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert result.output.strip().splitlines()[-1] == str(out)
    record = json.loads(gif.with_suffix(".json").read_text())
    frames, fps = record["output"]["frames"], record["output"]["fps"]
    count, size, loop, delays = _gif(gif)
    assert (count, size, loop) == (frames, (64, 64), 0)
    assert abs(sum(delays) / 1000 - frames / float(fps)) <= 0.01
    # The record is inside the GIF too: replay works from the GIF alone.
    assert read_metadata(gif)["request"]["seed"] == 3
    # One palette made for the clip: the picture is the MP4's, give or take dithering.
    assert np.abs(_frames(gif) - _frames(mp4)).mean() < 6


def test_a_generated_clip_with_sound_says_the_sound_is_not_in_the_gif(tmp_path: Path) -> None:
    out = tmp_path / "talk.gif"
    result = runner.invoke(app, ["generate", "a drum", "-m", "ltx2-tiny", "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    said = (
        "the sound is not in talk.gif: a GIF holds pictures only; write .mp4, .mov, .mkv or .webm to keep it"
    )
    assert said in result.output
    output = json.loads(out.with_suffix(".json").read_text())["output"]
    assert output["audio"] is False and output["left_out"] == said
    assert _gif(out)[0] == output["frames"]


def test_enhance_writes_a_gif_timed_to_the_hundredth_and_says_the_sound_is_left_out(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4", [("aac", "eng", "stereo")], frames=12)  # 24 fps, 32x24, a tone
    out = tmp_path / "out.gif"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "--interpolate", "2"])
    assert result.exit_code == 0, result.output
    assert "the sound is not in out.gif" in result.output
    count, size, loop, delays = _gif(out)
    assert (count, size, loop) == (23, (32, 24), 0)
    # 48 fps is 2.08 hundredths a frame: GIF rounds each frame, placed by its time, so the clip keeps its length.
    assert set(delays) == {20, 30} and abs(sum(delays) / 1000 - 23 / 48) <= 0.01
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["audio"] == "left out" and record["output"]["fps"] == "48"
    assert read_metadata(out)["audio"] == "left out"


def test_enhance_to_gif_turns_a_phone_clip_upright(tmp_path: Path) -> None:
    # A GIF has no display matrix: a portrait clip stored sideways would play sideways.
    source = _clip(tmp_path / "phone.mp4", [], frames=4, rotation=90)  # the left half red, shown turned
    out = tmp_path / "phone.gif"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "-q"])
    assert result.exit_code == 0, result.output
    assert _gif(out)[1] == (48, 64)
    last = _frames(out)[-1]
    assert last[48:, :, 0].mean() > 200 and last[:16, :, 0].mean() < 120  # the red half at the bottom
    output = json.loads(out.with_suffix(".json").read_text())["output"]
    assert (output["width"], output["height"]) == (48, 64) and "rotation" not in output


def test_enhance_to_a_gif_faster_than_browsers_play_is_warned(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4", [], frames=6)
    out = tmp_path / "fast.gif"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "--target-fps", "60", "-q"])
    assert result.exit_code == 0, result.output
    assert "60 fps is faster than a GIF plays in browsers" in result.output


def test_a_silent_clip_gets_no_warning(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4", [], frames=6)
    result = runner.invoke(app, ["enhance", str(source), "-o", str(tmp_path / "x.gif"), "--interpolate", "2"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


@pytest.mark.parametrize("command", ["generate", "enhance"])
def test_a_wrong_suffix_is_refused_naming_gif_among_the_valid_ones(tmp_path: Path, command: str) -> None:
    source = _clip(tmp_path / "in.mp4", [], frames=2)
    out = str(tmp_path / "clip.avi")
    args = {
        "generate": ["generate", "a cat", *MICRO, "-o", out],
        "enhance": ["enhance", str(source), "-o", out, "--interpolate", "2"],
    }[command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    # generate lists them as a sentence does ("... .webm or .gif"), enhance after "valid:".
    assert any(f".mp4, .mov, .mkv, .webm{sep} .gif" in result.output for sep in (",", " or"))
    assert not (tmp_path / "clip.avi").exists()


def test_a_clip_at_24_fps_lasts_exactly_its_length(tmp_path: Path) -> None:
    # 24 fps is 4.17 hundredths: frames of 4 and 5 hundredths, 25 every six frames, a second every 24.
    frames = np.zeros((48, 16, 16, 3), np.uint8)
    frames[:, :, :, 0] = np.arange(48)[:, None, None] * 5
    write_video(Video(frames, fps=Fraction(24)), tmp_path / "a.gif")
    count, _, _, delays = _gif(tmp_path / "a.gif")
    assert count == 48 and sum(delays) == 2000 and set(delays) == {40, 50}


def test_a_gif_above_100_fps_is_written_with_the_frames_a_gif_can_time(tmp_path: Path) -> None:
    # A GIF times frames in hundredths of a second: at 240 fps most frames fall on the hundredth of the
    # one before. The run failed after all its work with an internal error; the GIF now keeps the first
    # frame of each hundredth, lasts the clip's length, and the run and the record say so.
    out = tmp_path / "fast.gif"
    args = ["generate", "a ball", *MICRO, "--frames", "25", "--fps", "240", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "a GIF holds at most 100 frames a second" in result.output
    count, _, loop, delays = _gif(out)
    record = json.loads(out.with_suffix(".json").read_text())
    assert (count, loop, record["output"]["frames"], record["output"]["fps"]) == (11, 0, 11, "240")
    assert set(delays) == {10} and abs(sum(delays) / 1000 - 25 / 240) <= 0.01
    assert read_metadata(out)["output"]["frames"] == 11


def test_enhance_to_a_gif_above_100_fps_keeps_the_clip_length(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4", [], frames=12)  # 24 fps, interpolated to 111 frames at 240
    out = tmp_path / "fast.gif"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "--target-fps", "240", "-q"])
    assert result.exit_code == 0, result.output
    count, _, _, delays = _gif(out)
    record = json.loads(out.with_suffix(".json").read_text())
    assert count == record["output"]["frames"] == 47 and abs(sum(delays) / 1000 - 111 / 240) <= 0.01
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fast.gif", "fast.json", "in.mp4"]
