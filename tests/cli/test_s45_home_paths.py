"""A path of a user this machine does not have (~nouser/...) is bad input, said so, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.atomic import link_loop
from tests.cli.reelgen_main import run_reelgen


def test_an_image_under_a_home_that_does_not_exist_is_not_found() -> None:
    result = CliRunner().invoke(app, ["generate", "a fox", "-m", "wan-i2v-tiny", "--image", "~nouser/x.png"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "--image: file ~nouser/x.png does not exist" in said


def test_an_image_name_too_long_for_any_folder_is_told_its_length() -> None:
    result = CliRunner().invoke(
        app, ["generate", "a fox", "-m", "wan-i2v-tiny", "--image", "a" * 300 + ".png"]
    )
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "is 304 bytes long, and a folder or file name may have at most 255" in said


def test_such_a_path_is_no_link_loop() -> None:
    assert not link_loop(Path("~nouser/clip.mp4"))  # it was said to lead back to itself


def test_an_output_under_such_a_home_is_bad_input_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # Through main(), the `reelgen` script's entry point, run in this process (reelgen_main.py says why).
    monkeypatch.chdir(tmp_path)
    run = run_reelgen(monkeypatch, capfd, "generate", "x", "-o", "~nouser/x.mp4")
    assert run.returncode == 2, run.stderr
    assert run.stderr.endswith(
        "error: a path begins with ~NAME, the home folder of a user this machine does not have; "
        "give that path in full\n"
    )
    assert "internal error" not in run.stderr
