"""Every record names its format; ``reelgen replay`` goes by it, and refuses a newer one in one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen import __version__
from reelgen.cli import app
from reelgen.core.encode import read_metadata
from reelgen.core.weights import sha256_file
from tests.cli.replaying import frames, said

runner = CliRunner()
BEFORE = "2026-12-04T10:00:00+00:00"  # a day before Wan VACE read a start image beside keyframes
UPGRADE = f"this reelgen ({__version__}) reads record formats up to 2: upgrade reelgen to replay it"


def generate(out: Path, *argv: str) -> dict[str, Any]:
    result = runner.invoke(
        app, ["generate", "go", *argv, "--steps", "2", "--seed", "7", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    return dict(json.loads(out.with_suffix(".json").read_text()))


def written(record: dict[str, Any], path: Path, **changes: Any) -> Path:
    path.write_text(json.dumps({**record, **changes}))
    return path


def image(path: Path, seed: int) -> Path:
    Image.fromarray(np.random.default_rng(seed).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(path)
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small clip, as reelgen wrote it (its sidecar beside it)."""
    out = tmp_path_factory.mktemp("made") / "clip.mp4"
    generate(out, "-m", "ltx-tiny")
    return out


def test_a_new_clip_and_its_enhanced_copy_name_their_record_format(clip: Path, tmp_path: Path) -> None:
    assert json.loads(clip.with_suffix(".json").read_text())["record_format"] == 2
    assert read_metadata(clip)["record_format"] == 2  # the copy inside the video too
    big = tmp_path / "big.mp4"
    result = runner.invoke(
        app, ["enhance", str(clip), "-o", str(big), "--upscale", "2", "--upscaler", "lanczos"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(big.with_suffix(".json").read_text())["record_format"] == 2


def test_a_record_from_a_newer_reelgen_is_refused_in_one_line(clip: Path, tmp_path: Path) -> None:
    record = json.loads(clip.with_suffix(".json").read_text())
    out = tmp_path / "never.mp4"
    result = runner.invoke(
        app, ["replay", str(written(record, tmp_path / "new.json", record_format=3)), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert f"new.json was made by a newer reelgen, record format 3; {UPGRADE}" in said(result)
    assert "Traceback" not in result.output and not out.exists()


def test_a_newer_layout_without_a_request_is_not_called_a_record_without_one(
    clip: Path, tmp_path: Path
) -> None:
    # A newer reelgen may keep its request elsewhere: "neither a request nor an enhancement" would mislead.
    record = {k: v for k, v in json.loads(clip.with_suffix(".json").read_text()).items() if k != "request"}
    path = written(record, tmp_path / "new.json", record_format=7, reelgen="0.9.0", job={"model": "ltx-tiny"})
    result = runner.invoke(app, ["replay", str(path)])
    assert result.exit_code == 2
    assert f"was made by a newer reelgen (0.9.0), record format 7; {UPGRADE}" in said(result)
    assert "neither a request" not in said(result)


@pytest.mark.parametrize("number", ["two", True, 0, 2.5])
def test_a_record_format_that_is_no_number_is_called_damaged(
    clip: Path, tmp_path: Path, number: object
) -> None:
    record = json.loads(clip.with_suffix(".json").read_text())
    result = runner.invoke(app, ["replay", str(written(record, tmp_path / "bad.json", record_format=number))])
    assert result.exit_code == 2
    assert f"has record_format {number!r}, which is not a record format (a whole number from 1 to 2)" in said(
        result
    )
    assert "edited or damaged" in said(result) and "Traceback" not in result.output


def test_a_numbered_record_refused_by_a_pinned_image_is_not_blamed_on_an_old_reelgen(
    clip: Path, tmp_path: Path
) -> None:
    # Only records from before the number could hold such a request from an earlier reelgen.
    record = json.loads(clip.with_suffix(".json").read_text())
    start = image(tmp_path / "start.png", 3)
    record["request"]["start_image"] = str(start)
    record["inputs"]["start_image"] = {"path": str(start), "sha256": sha256_file(start)}
    result = runner.invoke(app, ["replay", str(written(record, tmp_path / "edited.json", created_at=BEFORE))])
    assert result.exit_code == 2
    assert "holds a request that cannot be made: start_image: task t2v" in said(result)
    assert "reelgen before 2026-12-05" not in said(result)


@pytest.fixture(scope="module")
def vace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A Wan VACE keyframes clip, and its record naming a start image beside the keyframe as well."""
    folder = tmp_path_factory.mktemp("vace")
    start, key = image(folder / "start.png", 1), image(folder / "key.png", 2)
    made = folder / "clip.mp4"
    record = generate(made, "-m", "wan-vace-tiny", "--keyframe", f"4:{key}")
    record["request"]["start_image"] = str(start)
    record["inputs"]["start_image"] = {"path": str(start), "sha256": sha256_file(start)}
    return made, record


def test_the_record_format_not_the_date_says_how_an_old_vace_record_is_replayed(
    vace: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    made, record = vace
    # Format 1, dated today (a clock set wrong): left out as then, so the frames are the video's.
    again = tmp_path / "again.mp4"
    old = written(record, tmp_path / "old.json", record_format=1)
    result = runner.invoke(app, ["replay", str(old), "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert "made before Wan VACE read start_image in task keyframes (2026-12-05)" in said(result)
    assert all(np.array_equal(a, b) for a, b in zip(frames(made), frames(again), strict=True))
    # Format 2, dated before: the image it names is read, as the reelgen that wrote the number read it.
    pinned = tmp_path / "pinned.mp4"
    new = written(record, tmp_path / "new.json", record_format=2, created_at=BEFORE)
    result = runner.invoke(app, ["replay", str(new), "-o", str(pinned)])
    assert result.exit_code == 0, result.output
    assert "made before Wan VACE" not in said(result)
    assert (
        json.loads(pinned.with_suffix(".json").read_text())["request"]["start_image"]
        == record["request"]["start_image"]
    )
