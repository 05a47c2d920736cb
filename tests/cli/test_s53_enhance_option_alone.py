"""``reelgen enhance --option`` without a stage to set says what to ask for, not "name a stage of this run ()"."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def test_an_option_without_interpolate_or_upscale_says_nothing_is_asked(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not read: the request is refused first")
    result = CliRunner().invoke(
        app,
        ["enhance", str(clip), "-o", str(tmp_path / "out.mp4"), "--option", "flow.scene_threshold=0.5", "-q"],
    )
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "nothing to do: ask for --interpolate, --target-fps or --upscale" in said, said
    assert "()" not in said and not (tmp_path / "out.mp4").exists()
