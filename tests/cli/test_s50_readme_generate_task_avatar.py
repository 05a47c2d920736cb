"""`generate --task avatar` could never run: an avatar needs a voice, and generate takes none, yet its
refusal asked for --audio or --text, options generate does not have. It now points to `reelgen avatar`."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


def test_generate_task_avatar_points_to_the_avatar_command(tmp_path: Path) -> None:
    face = tmp_path / "face.png"
    Image.new("RGB", (64, 64), (180, 140, 120)).save(face)
    out = tmp_path / "never.mp4"
    args = [
        "generate",
        "hello",
        "--task",
        "avatar",
        "-m",
        "musetalk-tiny",
        "--image",
        str(face),
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert said.startswith("error: Invalid value for '--task': avatar: talking avatars are made from a face")
    assert "reelgen avatar --image face.png --text" in said
    assert "--audio voice.wav" not in said.partition("reelgen avatar")[0]  # no option generate lacks
    assert not out.exists()
