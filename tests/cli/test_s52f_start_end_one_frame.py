"""A start image and an end image on a clip of one frame would both pin frame 0: refused, as keyframes are."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


def test_start_and_end_image_on_one_frame_are_refused_by_name(tmp_path: Path) -> None:
    # It ran, and the one frame showed whichever image the pipeline pinned last, without a word.
    start, end = tmp_path / "start.png", tmp_path / "end.png"
    Image.new("RGB", (64, 64), (200, 0, 0)).save(start)
    Image.new("RGB", (64, 64), (0, 0, 200)).save(end)
    out = tmp_path / "one.mp4"
    args = ["generate", "a fox", "-m", "ltx-tiny", "--image", str(start), "--end-image", str(end)]
    result = CliRunner().invoke(app, [*args, "--frames", "1", "-o", str(out)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert (
        "error: --end-image is the last frame, 0, which the start image (--image) pins already: "
        "a clip of one frame has one image; drop one of them, or make the clip longer (--frames)"
    ) in said
    assert not out.exists()
