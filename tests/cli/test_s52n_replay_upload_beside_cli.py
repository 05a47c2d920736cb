"""``reelgen replay`` of a video downloaded from a server, its upload gone: where to put the file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.replaying import said

runner = CliRunner()


def test_an_upload_named_by_file_name_is_put_beside_the_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server's record names the upload by the name it was sent under; run from another folder, replay
    # said "start_image: photo.png no longer exists; put it back at that path" (a path that is no place).
    (tmp_path / "sent").mkdir()
    image = tmp_path / "sent" / "photo.png"  # not beside the video nor in a folder above it
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(image)
    clip = tmp_path / "clip.mp4"
    argv = ["generate", "go", "-m", "ltx-tiny", "--image", str(image), "--steps", "1", "--seed", "5"]
    result = runner.invoke(app, [*argv, "--frames", "9", "-o", str(clip), "-q"])
    assert result.exit_code == 0, result.output
    record = json.loads(clip.with_suffix(".json").read_text())
    record["request"]["start_image"] = record["inputs"]["start_image"]["path"] = "photo.png"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "it.json").write_text(json.dumps(record))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["replay", str(downloads / "it.json"), "-o", str(tmp_path / "a.mp4")])
    assert result.exit_code == 2
    assert (
        f"start_image: photo.png no longer exists; put photo.png beside the video ({downloads}), or say "
        "where it is now with --input PARAM=FILE (checked by its recorded SHA-256)"
    ) in said(result), said(result)

    (downloads / "photo.png").write_bytes(image.read_bytes())  # as it says: then it replays
    result = runner.invoke(app, ["replay", str(downloads / "it.json"), "-o", str(tmp_path / "a.mp4")])
    assert result.exit_code == 0, result.output
