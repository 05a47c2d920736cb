"""What a person reads when an option gets a bad value: the choices or the numbers it takes, in the
CLI's words (not pydantic's "Input should be ..."), and Tab completion of the methods it takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _last_line(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    return result.output.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--codec", "divx"], "--codec: 'divx' is not a choice; give one of h264, h265, vp9, av1 or prores"),
        (["--container", "avi"], "--container: 'avi' is not a choice; give one of mp4, mov, mkv or webm"),
        (  # a near one still gets its guess
            ["--codec", "H264"],
            "--codec: 'H264' is not a choice; give one of h264, h265, vp9, av1 or prores; did you mean h264?",
        ),
    ],
)
def test_an_export_choice_is_said_with_what_was_typed(tmp_path: Path, args: list[str], said: str) -> None:
    # It was "--codec: Input should be 'h264', 'h265', 'vp9', 'av1' or 'prores'": pydantic's words.
    assert runner.invoke(app, ["project", "new", str(tmp_path / "film")]).exit_code == 0
    for where in ([], ["--server", "http://127.0.0.1:9"]):  # checked here either way
        assert (
            _last_line(["project", "export", str(tmp_path / "film"), *args, *where, "-q"]) == f"error: {said}"
        )


@pytest.mark.parametrize(
    ("args", "takes"),
    [
        (
            ["generate", "a fox", "--count", "x"],
            "--count: 'x' is not a whole number; it takes a whole number from 1 to 100",
        ),
        (["animate", "a.png", "a fox", "--count", "2.5"], "it takes a whole number from 1 to 100"),
        (["generate", "a fox", "--vram-budget", "x"], "it takes a number of GiB above 0"),
        (["bench", "--warmup-steps", "x"], "it takes a whole number from 0 to 1000"),
        (["batch", "m.yaml", "--price-per-gpu-hour", "x"], "it takes a number of at least 0"),
        (["project", "render", "--vram-budget", "x"], "it takes a number of GiB above 0"),
        (["enhance", "in.mp4", "--upscale", "x"], "it takes a number above 1 and at most 8"),
        (["avatar", "--seed", "x"], "it takes a whole number from 0 to"),
    ],
)
def test_text_for_a_number_is_told_the_numbers_taken(args: list[str], takes: str) -> None:
    # These said only "give one in digits, such as 3", as if any number would do.
    line = _last_line(args)
    assert takes in line and "give one in digits" not in line, line


@pytest.mark.parametrize(
    ("args", "takes"),
    [
        (
            ["submit", "a fox", "--steps", "x"],
            "--steps: 'x' is not a whole number; it takes a whole number from 1 to 1000",
        ),
        (["submit", "a fox", "--interpolate", "x"], "it takes a whole number from 2 to 16"),
        (["submit", "a fox", "--priority", "x"], "it takes a whole number from -1000 to the server's cap"),
        (["remix", "video_1", "a fox", "--steps", "x"], "it takes a whole number from 1 to 1000"),
        (["remix", "video_1", "a fox", "--priority", "x"], "(REELGEN_MAX_PRIORITY, 100 unless set)"),
        (
            ["submit", "a fox", "--fps", "nan"],
            "nan is not a number a request can carry; give a finite one: a number above 0 and at most 240",
        ),
        (["remix", "video_1", "a fox", "--guidance", "inf"], "give a finite one: a number from 0 to 100"),
    ],
)
def test_submit_and_remix_say_the_numbers_as_generate_does(args: list[str], takes: str) -> None:
    # Refused before any server is asked (none runs at port 9), and said with the range generate says.
    line = _last_line([*args, "--server", "http://127.0.0.1:9"])
    assert takes in line and "give one in digits" not in line, line


def _offered(command: list[str], flag: str, typed: str) -> list[str]:
    """What Tab offers after ``flag`` of ``command``, as the shell asks the command."""
    group = get_command(app)
    cmd = group.commands[command[0]]  # type: ignore[attr-defined]
    param = next(p for p in cmd.params if flag in p.opts)
    context = cmd.make_context(command[0], [*command[1:]], resilient_parsing=True)
    return [item.value for item in param.shell_complete(context, typed)]


@pytest.mark.parametrize("command", [["generate", "a fox"], ["enhance", "in.mp4"], ["submit", "a fox"]])
def test_tab_offers_the_interpolators_and_upscalers(command: list[str]) -> None:
    # Tab after --interpolator or --upscaler offered nothing.
    assert _offered(command, "--interpolator", "") == ["auto", "flow", "rife"]
    upscalers = _offered(command, "--upscaler", "")
    assert upscalers[:3] == ["auto", "esrgan", "lanczos"] and "realesr-animevideov3" in upscalers
    assert _offered(command, "--upscaler", "realesrgan-x4") == [
        "realesrgan-x4plus",
        "realesrgan-x4plus-anime",
    ]
    assert _offered(command, "--upscaler", "./ckpt/") == []  # a checkpoint's path: no name can start it


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["list", "--status", "done"],
            "'done' is not a job state; give one of queued, in_progress, completed, failed or cancelled",
        ),
        (["list", "--status", "in-progress"], "; did you mean in_progress?"),
        (
            ["download", "video_1", "--variant", "thumb"],
            "'thumb' is not a variant; give one of video, thumbnail or spritesheet; did you mean thumbnail?",
        ),
    ],
)
def test_a_state_or_variant_is_checked_before_the_server_is_asked(args: list[str], said: str) -> None:
    # Sent as typed, the server's answer was pydantic's "--status: Input should be 'queued', ..."; with
    # no server there it was only "cannot reach ...". Port 9 has none: the words are the CLI's own.
    line = " ".join(_last_line([*args, "--server", "http://127.0.0.1:9"]).split())
    assert said in line and "cannot reach" not in line, line
