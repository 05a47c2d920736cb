"""`reelgen enhance URL` or `reelgen enhance VIDEO_ID` without --server: told what it is, not "file ... does not exist"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

VIDEO_ID = "video_" + "0123456789abcdef" * 2


@pytest.mark.parametrize(
    ("source", "said_of_it"),
    [
        # It read "input: file http:/example.com/a.mp4 does not exist": the URL itself mangled.
        (
            "http://example.com/a.mp4",
            "input: http://example.com/a.mp4 is a URL; enhance reads a video file: download it first",
        ),
        # A server's video id, --server left out: "input: file video_... does not exist".
        (VIDEO_ID, f"input: {VIDEO_ID} is a server's video id; add --server URL to enhance it there"),
    ],
    ids=["url", "video-id"],
)
def test_a_source_that_is_no_file_here_is_said_for_what_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, said_of_it: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["enhance", source, "--interpolate", "2", "-o", "out.mp4"])
    said = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2, said
    assert said_of_it in said, said
    assert list(tmp_path.iterdir()) == []
