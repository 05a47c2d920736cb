"""`reelgen manifest create -o` naming one of the folder's own images is refused, even forced."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_manifest_is_not_written_over_a_keyframe_image(tmp_path: Path) -> None:
    # --force replaced the picture with JSON; its item then failed as "not a readable image".
    for name in ("a.png", "b.png"):
        Image.new("RGB", (32, 32), (200, 40, 40)).save(tmp_path / name)
    before = (tmp_path / "b.png").read_bytes()
    result = runner.invoke(
        app, ["manifest", "create", str(tmp_path), "-o", str(tmp_path / "b.png"), "--force"]
    )
    assert result.exit_code == 2, result.output
    assert "is items[1]'s keyframe image; write the manifest to a .json file" in " ".join(
        result.output.split()
    )
    assert (tmp_path / "b.png").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png"]
