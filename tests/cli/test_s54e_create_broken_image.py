"""`reelgen manifest create` on a folder holding an image file it cannot read says so, and writes nothing."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_broken_png_among_the_keyframes_is_named_and_no_manifest_is_written(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    Image.new("RGB", (64, 64), (200, 40, 40)).save(shots / "good.png")
    (shots / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    (shots / "notes.txt").write_text("not an image, and not named like one: left alone")
    result = runner.invoke(app, ["manifest", "create", str(shots)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert f"{shots}: broken.png is not a readable image" in said
    assert (
        "valid: BMP, GIF, JPEG, PNG, TIFF, WEBP" in said and "move it out of the folder or replace it" in said
    )
    assert "Traceback" not in said and "notes.txt" not in said
    assert not (shots / "manifest.json").exists()
