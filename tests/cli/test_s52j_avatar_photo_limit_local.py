"""``reelgen avatar --image`` with a photo over the input pixel cap is told the avatar's own limit
(4096 a side) at once, not "at most 64,000,000 pixels (8000x8000, say)", which it would fail again."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from tests.api.test_edge import bomb_png


def test_a_photo_over_the_pixel_cap_is_told_the_avatar_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(bomb_png(9000, 9000))  # its header claims 9000x9000; nothing is decoded
    out = CliRunner().invoke(
        app, ["avatar", "--image", str(big), "--text", "hello", "-o", str(tmp_path / "a.mp4")]
    )
    assert out.exit_code == 2, out.output
    said = " ".join(out.output.split())
    assert (
        "--image: the photo is 9000x9000 pixels; an avatar is made at its photo's size, which must be "
        "64 to 4096 pixels a side (scale it down)" in said
    ), said
    assert "64,000,000" not in said
    assert not (tmp_path / "a.mp4").exists()
