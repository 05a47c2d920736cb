"""An output the user asks for where no file can go: a clear error before any work, never a traceback."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Video

runner = CliRunner()


def said(result: object) -> str:
    """What the command printed, with rich's line wrapping undone."""
    return " ".join(result.output.split())  # type: ignore[attr-defined]


@pytest.fixture
def blocker(tmp_path: Path) -> Path:
    """A plain file where the user's path needs a folder."""
    path = tmp_path / "notes.txt"
    path.write_text("not a folder\n")
    return path


def _commands(tmp_path: Path, blocker: Path) -> dict[str, list[str]]:
    clip = write_video(Video(np.zeros((5, 32, 32, 3), np.uint8), Fraction(8)), tmp_path / "clip.mp4")
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a lighthouse at night]\n")
    return {
        "generate": ["generate", "a cat", "-m", "ltx-tiny", "-q", "-o", str(blocker / "sub" / "x.mp4")],
        "enhance": ["enhance", str(clip), "--interpolate", "2", "-q", "-o", str(blocker / "x.mp4")],
        "shootout": ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-q", "-o", str(blocker / "report")],
        "project new": ["project", "new", str(blocker / "film")],
    }


@pytest.mark.parametrize("command", ["generate", "enhance", "shootout", "project new"])
def test_an_output_under_a_file_is_refused_in_plain_words(
    tmp_path: Path, blocker: Path, command: str
) -> None:
    result = runner.invoke(app, _commands(tmp_path, blocker)[command])
    assert result.exit_code == 2, result.output
    assert f"{blocker} is a file, not a folder" in said(result)
    assert "Traceback" not in result.output and not isinstance(result.exception, OSError)
    assert blocker.read_text() == "not a folder\n"


def test_an_output_in_a_folder_that_takes_no_file_is_refused_before_rendering(tmp_path: Path) -> None:
    # /proc takes no new file, even for root (CI runs as root, so a read-only folder would not do);
    # reelgen runs on Linux (README), which always has it.
    locked = Path("/proc/reelgen-no-such-folder/x.mp4")
    result = runner.invoke(app, ["generate", "a cat", "-m", "ltx-tiny", "-q", "-o", str(locked)])
    assert result.exit_code == 2, result.output
    assert f"output {locked}: cannot write into /proc" in said(result)
    assert "denoise" not in result.output and not isinstance(result.exception, OSError)


def test_a_download_to_a_path_under_a_file_is_refused_before_asking_the_server(blocker: Path) -> None:
    target = blocker / "fox.mp4"
    nowhere = "http://127.0.0.1:9"  # nothing answers: the path is checked before any request
    result = runner.invoke(app, ["download", "video_" + "0" * 32, "-o", str(target), "--server", nowhere])
    assert result.exit_code == 2, result.output  # bad input, as the local commands above exit
    assert f"output {target}: {blocker} is a file, not a folder" in said(result)
    assert not isinstance(result.exception, OSError) and "cannot reach" not in said(result)


def test_a_download_to_a_folder_is_refused_before_asking_the_server(tmp_path: Path) -> None:
    # The finished file was renamed onto the folder: an IsADirectoryError traceback after the download.
    video_id = "video_" + "0" * 32
    nowhere = "http://127.0.0.1:9"
    result = runner.invoke(app, ["download", video_id, "-o", str(tmp_path), "--server", nowhere])
    assert result.exit_code == 2, result.output
    assert (
        f"output {tmp_path} is a folder; give a file path in it, e.g. -o {tmp_path / video_id}.mp4"
        in said(result)
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_video_never_replaces_a_json_file_of_the_persons_own(tmp_path: Path) -> None:
    # The record goes to NAME.json beside the video: a storyboard or notes of that name were lost.
    mine = tmp_path / "shot.json"
    mine.write_text('{"scenes": ["a lighthouse"]}\n')
    out = tmp_path / "shot.mp4"
    result = runner.invoke(app, ["generate", "a cat", "-m", "ltx-tiny", "-q", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert f"its record would replace {mine}, which is not a record reelgen wrote" in said(result)
    assert mine.read_text() == '{"scenes": ["a lighthouse"]}\n' and not out.exists()
    assert "denoise" not in result.output  # said before any work


def test_a_video_made_anew_replaces_its_own_record(tmp_path: Path) -> None:
    args = ["generate", "a cat", "-m", "ltx-tiny", "-q", "-o", str(tmp_path / "a.mp4"), "--seed"]
    assert runner.invoke(app, [*args, "3"]).exit_code == 0
    again = runner.invoke(app, [*args, "4"])
    assert again.exit_code == 0, again.output
    assert '"seed": 4' in (tmp_path / "a.json").read_text()


@pytest.mark.parametrize("command", ["generate", "enhance"])
def test_an_output_that_is_a_folder_is_said_to_be_one(tmp_path: Path, command: str) -> None:
    # It said "must end in .mp4, .mov, .webm" / "unknown container (none)", as if the name were the problem.
    folder = tmp_path / "renders"
    folder.mkdir()
    clip = write_video(Video(np.zeros((5, 32, 32, 3), np.uint8), Fraction(8)), tmp_path / "clip.mp4")
    args = {
        "generate": ["generate", "a cat", "-m", "ltx-tiny", "-q", "-o", str(folder)],
        "enhance": ["enhance", str(clip), "--interpolate", "2", "-q", "-o", str(folder)],
    }[command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"--output {folder} is a folder; give a file path in it" in said(result)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("count", ["1", "2"])
def test_an_output_under_a_quoted_tilde_goes_to_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: str
) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir(), work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    result = runner.invoke(
        app, ["generate", "a cat", "-m", "ltx-tiny", "-q", "--count", count, "-o", "~/clip.mp4"]
    )
    assert result.exit_code == 0, result.output
    # Input paths took "~" as the home folder; the output made a folder named "~" where the command ran.
    made = sorted(p.name for p in home.iterdir() if p.suffix == ".mp4")
    assert made == (["clip.mp4"] if count == "1" else ["clip-1.mp4", "clip-2.mp4"])
    assert not (work / "~").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["generate", "x", "-m", "wan-tiny", "-o", ".mp4"],
            ".mp4 has no name before .mp4; give one such as clip.mp4",
        ),
        (["project", "export", "film", "-o", "out/.webm"], "out/.webm has no name before .webm"),
        (["generate", "x", "-m", "wan-tiny", "-o", "a\nb.mp4"], "'a\\nb.mp4' holds a control character"),
    ],
)
def test_an_output_name_no_file_can_carry_is_refused_by_what_is_wrong(args: list[str], said: str) -> None:
    # ".mp4" was told "must end in .mp4, ..."; a line break was written, breaking the one-path-a-line output.
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert said in " ".join(result.output.split())
