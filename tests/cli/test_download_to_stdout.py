"""`reelgen download ID -o -` says it writes a file, not stdout, before asking the server anything."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app

VIDEO_ID = "video_" + "0" * 32


def test_dash_as_output_is_said_as_stdout_not_as_a_name() -> None:
    # It read "output -: the video is an MP4 file; give a name ending in .mp4".
    # The server URL has nothing listening: the refusal comes before any request.
    result = CliRunner().invoke(app, ["download", VIDEO_ID, "-o", "-", "--server", "http://127.0.0.1:9"])
    assert " ".join(result.output.split()) == (
        "error: --output -: download writes a file, not to stdout (it is written whole, then renamed); "
        f"give a file name, e.g. -o {VIDEO_ID}.mp4"
    )
    assert result.exit_code == 2
