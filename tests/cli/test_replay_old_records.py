"""``reelgen replay`` of records an earlier reelgen wrote, for requests this one runs otherwise or refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.weights import sha256_file

runner = CliRunner()
BEFORE = "2026-12-04T10:00:00+00:00"  # a day before VACE read a start image beside keyframes


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def image(path: Path, seed: int) -> Path:
    Image.fromarray(np.random.default_rng(seed).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(path)
    return path


def generate(out: Path, *argv: str) -> dict[str, Any]:
    result = runner.invoke(
        app, ["generate", "go", *argv, "--steps", "2", "--seed", "7", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    return dict(json.loads(out.with_suffix(".json").read_text()))


def written(record: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(record))
    return path


def old(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` as a reelgen before the record format number wrote it: dated a day before VACE read every image."""
    record = {k: v for k, v in json.loads(json.dumps(record)).items() if k != "record_format"}
    record["created_at"] = BEFORE
    return record


def test_an_old_wan_vace_record_with_a_start_image_beside_keyframes_replays_the_frames_it_made(
    tmp_path: Path,
) -> None:
    # Before 2026-12-05 VACE read the keyframes alone: the video is what keyframes alone make. The record
    # still named the start image, so replayed as asked now it pinned it and made other frames unsaid.
    start, key = image(tmp_path / "start.png", 1), image(tmp_path / "key.png", 2)
    clip = tmp_path / "clip.mp4"
    record = generate(clip, "-m", "wan-vace-tiny", "--keyframe", f"4:{key}")
    record["request"]["start_image"] = str(start)
    record["inputs"]["start_image"] = {"path": str(start), "sha256": sha256_file(start)}
    record = old(record)
    again = tmp_path / "again.mp4"
    result = runner.invoke(app, ["replay", str(written(record, tmp_path / "old.json")), "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert "made before Wan VACE read start_image in task keyframes (2026-12-05)" in said(result)
    first, second = frames(clip), frames(again)
    assert len(first) == len(second) and all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert json.loads(again.with_suffix(".json").read_text())["request"]["start_image"] is None


@pytest.fixture(scope="module")
def i2v(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An LTX image-to-video record (and its start image)."""
    folder = tmp_path_factory.mktemp("i2v")
    start = image(folder / "start.png", 3)
    return generate(folder / "clip.mp4", "-m", "ltx-tiny", "--image", str(start))


def then(request: dict[str, Any], task: str) -> dict[str, Any]:
    """What an earlier reelgen took: the i2v request with its start image kept, in another task."""
    start = request["start_image"]
    if task == "keyframes":  # a keyframe on the start image's frame
        return {"task": task, "keyframes": [{"frame": 0, "image": start, "strength": 1.0}]}
    if task == "extend":  # the start image beside the clip it continues
        return {"task": task, "source_video": str(Path(start).with_name("clip.mp4"))}
    if task == "i2v":  # a video beside the start image, which no image-to-video run reads
        return {"task": task, "source_video": str(Path(start).with_name("clip.mp4"))}
    return {"task": task}


@pytest.mark.parametrize(
    ("task", "refused"),
    [
        ("t2v", "start_image: task t2v makes the video from the prompt alone and would ignore it"),
        ("keyframes", "keyframes[0].frame 0 is pinned already by the start image (start_image)"),
        ("extend", "start_image cannot be pinned in task extend"),
        ("i2v", "source_video is read only by tasks v2v and extend; task i2v would ignore it"),
    ],
)
def test_a_request_an_earlier_reelgen_took_and_this_one_refuses_says_how_to_replay_it(
    i2v: dict[str, Any], tmp_path: Path, task: str, refused: str
) -> None:
    record = old(i2v)
    record["request"].update(then(record["request"], task))
    out = tmp_path / "never.mp4"
    result = runner.invoke(app, ["replay", str(written(record, tmp_path / "old.json")), "-o", str(out)])
    assert result.exit_code == 2
    assert f"holds a request that cannot be made: {refused}" in said(result)
    hint = "reelgen before 2026-12-05 took such a request without a word but did not use all it names"
    assert f"{hint}; to make that video again, take out of the record's request what it did not use" in said(
        result
    )
    assert "Traceback" not in result.output and not out.exists()
