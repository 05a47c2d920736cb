"""`reelgen generate` and `animate` as typed: exact target rates, and problems named by the option a person typed."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _rate(path: Path) -> Fraction:
    with av.open(str(path)) as container:
        return Fraction(container.streams.video[0].average_rate)


def test_generate_takes_an_exact_ntsc_target_rate_as_a_fraction(tmp_path: Path) -> None:
    out = tmp_path / "ntsc.mp4"
    args = ["generate", "a cat", "-m", "wan-tiny", "--seed", "1", "-o", str(out), "-q"]
    result = runner.invoke(app, [*args, "--target-fps", "24000/1001", "--interpolator", "flow"])
    assert result.exit_code == 0, result.output
    assert _rate(out) == Fraction(24000, 1001)


def test_generate_refuses_a_target_rate_that_is_not_one(tmp_path: Path) -> None:
    out = tmp_path / "never.mp4"
    args = ["generate", "a cat", "-m", "wan-tiny", "-o", str(out), "--target-fps", "fast"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "--target-fps 'fast' is not a frame rate" in result.output
    assert not out.exists()


def test_animate_and_generate_name_what_was_typed_not_request_fields(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.png")
    animate = runner.invoke(app, ["animate", missing, "it moves", "-m", "ltx-tiny", "-q"])
    assert animate.exit_code == 2 and f"IMAGE: file {missing} does not exist" in animate.output
    args = ["generate", "a cat", "-m", "ltx-tiny", "-q"]
    keyframe = runner.invoke(app, [*args, "--keyframe", f"0:{missing}"])
    assert keyframe.exit_code == 2 and f"--keyframe: file {missing} does not exist" in keyframe.output
    option = runner.invoke(app, [*args, "--option", "speed=2"])
    assert option.exit_code == 2 and "--option speed is not a known field" in option.output
    assert "start_image" not in animate.output and "keyframes[0]" not in keyframe.output


def test_a_nul_character_in_a_path_is_refused_naming_the_option(tmp_path: Path) -> None:
    # It reached Path.resolve() and ended as a bare ValueError (exit 1, nothing said).
    out = tmp_path / "x.mp4"
    result = runner.invoke(
        app, ["generate", "a cat", "-m", "ltx-tiny", "-o", str(out), "--weights", "a\x00b"]
    )
    assert result.exit_code == 2
    assert "--weights holds a NUL character" in result.output and not out.exists()


def test_a_model_option_of_true_for_a_number_is_refused_naming_the_option(tmp_path: Path) -> None:
    # --option values are read as JSON, so flow_shift=true was a flow shift of 1.0.
    out = tmp_path / "never.mp4"
    args = ["generate", "a cat", "-m", "wan-tiny", "-o", str(out), "--option", "flow_shift=true"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "--option flow_shift: true is not a number; give a number above 0" in " ".join(
        result.output.split()
    )
    assert not out.exists()


def test_a_keyframe_image_with_a_colon_in_its_name_is_taken_whole(tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "shot 12:30.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(shot)
    for typed, strength in ((f"0:{shot}", 1.0), (f"0:{shot}:0.5", 0.5)):
        out = tmp_path / f"key-{strength}.mp4"
        args = ["generate", "a cat", "-m", "ltx-tiny", "--keyframe", typed, "-o", str(out), "-q"]
        result = runner.invoke(app, args)
        # It read "30.png" as the strength: "strength '30.png' is not a number".
        assert result.exit_code == 0, result.output
        key = json.loads(out.with_suffix(".json").read_text())["request"]["keyframes"][0]
        assert (key["image"], key["strength"]) == (str(shot), strength)


def test_a_keyframe_frame_that_is_no_number_is_said_so() -> None:
    result = runner.invoke(app, ["generate", "a cat", "-m", "ltx-tiny", "--keyframe", "-1:start.png"])
    assert result.exit_code == 2
    assert "frame '-1' is not a frame number (0 is the first)" in " ".join(result.output.split())
