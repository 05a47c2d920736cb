"""``reelgen replay`` of damaged records: a sidecar gone or broken, inputs gone, moved or unrecorded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.replaying import frames, said

runner = CliRunner()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An image-to-video clip (with its sidecar) and the start image it was made from."""
    folder = tmp_path_factory.mktemp("made")
    image = folder / "start.png"
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(image)
    clip = folder / "clip.mp4"
    argv = ["generate", "go", "-m", "ltx-tiny", "--image", str(image), "--steps", "2", "--seed", "5"]
    result = runner.invoke(app, [*argv, "-o", str(clip), "-q"])
    assert result.exit_code == 0, result.output
    return clip, image


def sidecar(clip: Path, folder: Path, **changes: Any) -> Path:
    """A copy of ``clip``'s sidecar in ``folder`` with top-level keys replaced (None removes one)."""
    record = json.loads(clip.with_suffix(".json").read_text())
    record.update(changes)
    path = folder / "edited.json"
    path.write_text(json.dumps({k: v for k, v in record.items() if v is not None}))
    return path


def test_a_video_whose_sidecar_was_deleted_replays_from_another_folder_to_the_same_frames(
    made: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip, _ = made
    alone = tmp_path / "alone" / "clip.mp4"  # the video without its .json: the MP4 carries the record
    alone.parent.mkdir()
    shutil.copy(clip, alone)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["replay", str(alone), "-o", "again.mp4", "-q"])
    assert result.exit_code == 0, result.output
    again, first = frames(elsewhere / "again.mp4"), frames(clip)
    assert len(again) == len(first) and all(np.array_equal(a, b) for a, b in zip(again, first, strict=True))


def test_a_broken_sidecar_names_the_video_beside_it_to_replay_instead(
    made: tuple[Path, Path], tmp_path: Path
) -> None:
    clip, _ = made
    video = tmp_path / "clip.mp4"
    shutil.copy(clip, video)
    broken = video.with_suffix(".json")
    broken.write_text('{"request": {"model": "ltx-ti')  # cut short by an editor
    result = runner.invoke(app, ["replay", str(broken)])
    assert result.exit_code == 2
    assert f"{broken} is not a reelgen sidecar (invalid JSON); replay its video instead" in said(result)
    assert f"reelgen replay {video}" in said(result)
    broken.unlink()  # a sidecar deleted, asked for by name
    result = runner.invoke(app, ["replay", str(broken)])
    assert result.exit_code == 2
    assert f"{broken} does not exist; replay its video instead" in said(result)


@pytest.mark.parametrize("inputs", [None, [1], {"start_image": "1b2c"}, {}])
def test_a_record_that_lost_its_input_hashes_is_refused_unless_told(
    made: tuple[Path, Path], tmp_path: Path, inputs: Any
) -> None:
    # A list died with 'internal error (AttributeError)'; no hash replayed unchecked, as if the same image.
    clip, image = made
    path = sidecar(clip, tmp_path, inputs=inputs)
    out = tmp_path / "again.mp4"
    result = runner.invoke(app, ["replay", str(path), "-o", str(out), "-q"])
    assert result.exit_code == 2, result.output
    assert f"start_image: {image} cannot be checked: the record holds no SHA-256 of it" in said(result)
    assert "pass --allow-changed-inputs to replay with them as they are now" in said(result)
    assert "internal error" not in said(result) and not out.exists()


def test_an_input_moved_away_is_named_with_what_to_do(made: tuple[Path, Path], tmp_path: Path) -> None:
    clip, image = made
    record = json.loads(clip.with_suffix(".json").read_text())
    gone = tmp_path / "moved-away.png"
    record["request"]["start_image"] = str(gone)
    record["inputs"]["start_image"]["path"] = str(gone)
    path = tmp_path / "moved.json"
    path.write_text(json.dumps(record))
    result = runner.invoke(app, ["replay", str(path), "--allow-changed-inputs"])
    assert result.exit_code == 2
    wanted = "no longer exists; put it back at that path, or say where it is now with --input PARAM=FILE"
    assert f"start_image: {gone} {wanted} (checked by its recorded SHA-256)" in said(result)


def test_an_input_gone_from_its_path_is_given_with_input(
    made: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A video downloaded from a server names the server's copy of its upload, gone once the job ended:
    # there was no way to replay it but to edit the record.
    clip, image = made
    record = json.loads(clip.with_suffix(".json").read_text())
    copy = "/srv/reelgen/scratch/worker-0/job-1/input-0.png"
    record["request"]["start_image"] = record["inputs"]["start_image"]["path"] = copy
    path = tmp_path / "downloaded.json"
    path.write_text(json.dumps(record))
    monkeypatch.chdir(image.parent)
    result = runner.invoke(
        app, ["replay", str(path), "--input", f"start_image={image.name}", "-o", str(tmp_path / "a.mp4")]
    )
    assert result.exit_code == 0, result.output
    again, first = frames(tmp_path / "a.mp4"), frames(clip)
    assert len(again) == len(first) and all(np.array_equal(a, b) for a, b in zip(again, first, strict=True))
    assert json.loads((tmp_path / "a.json").read_text())["request"]["start_image"] == str(image)

    other = tmp_path / "other.png"
    Image.fromarray(np.zeros((64, 64, 3), dtype=np.uint8)).save(other)
    for argv, says in [
        (
            [f"start_image={other}"],
            # It said "has changed since the video was made" of a file the person had just named.
            f"start_image: {other} is not the file the video was made from (its SHA-256 differs from the "
            "record's); pass --allow-changed-inputs",
        ),
        (["image=x.png"], "--input image: the record has no such input; its inputs: start_image"),
        (["start_image"], "--input 'start_image' is not PARAM=FILE (e.g. start_image=photo.png)"),
        (
            [f"start_image={tmp_path / 'nope.png'}"],
            f"--input start_image: {tmp_path / 'nope.png'} does not exist",
        ),
        # A folder was said not to exist, though it is right there.
        ([f"start_image={tmp_path}"], f"--input start_image: {tmp_path} is a folder; give the file"),
    ]:
        result = runner.invoke(app, ["replay", str(path), "--input", *argv, "-o", str(tmp_path / "b.mp4")])
        assert result.exit_code == 2 and says in said(result), said(result)
    assert not (tmp_path / "b.mp4").exists()


def test_a_project_folder_moved_as_a_whole_replays_its_clip_from_the_inputs_moved_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Refused with '... no longer exists' though the very file sat beside the clip, one folder up.
    first = tmp_path / "first" / "film"
    (first / "assets").mkdir(parents=True)
    start = first / "assets" / "start.png"
    Image.fromarray(np.random.default_rng(2).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(start)
    argv = ["generate", "go", "-m", "ltx-tiny", "--image", str(start), "--steps", "2", "--seed", "6"]
    assert runner.invoke(app, [*argv, "-o", str(first / "clips" / "a.mp4"), "-q"]).exit_code == 0
    moved = tmp_path / "moved" / "film"
    shutil.move(first, moved)
    (moved / "elsewhere").mkdir()
    monkeypatch.chdir(moved / "elsewhere")
    result = runner.invoke(app, ["replay", str(moved / "clips" / "a.mp4"), "-o", "again.mp4"])
    assert result.exit_code == 0, result.output
    here = moved / "assets" / "start.png"
    assert f"start_image: {start} no longer exists; using {here}, the same file" in said(result)
    again, made = frames(Path("again.mp4")), frames(moved / "clips" / "a.mp4")
    assert len(again) == len(made) and all(np.array_equal(a, b) for a, b in zip(again, made, strict=True))
    assert json.loads(Path("again.json").read_text())["request"]["start_image"] == str(here)


def test_a_moved_input_of_other_content_is_not_taken_for_it(tmp_path: Path) -> None:
    first = tmp_path / "first"
    (first / "assets").mkdir(parents=True)
    start = first / "assets" / "start.png"
    Image.fromarray(np.full((64, 64, 3), 90, dtype=np.uint8)).save(start)
    argv = ["generate", "go", "-m", "ltx-tiny", "--image", str(start), "--steps", "2", "--seed", "6"]
    assert runner.invoke(app, [*argv, "-o", str(first / "clips" / "a.mp4"), "-q"]).exit_code == 0
    moved = tmp_path / "moved"
    shutil.move(first, moved)
    Image.fromarray(np.full((64, 64, 3), 200, dtype=np.uint8)).save(moved / "assets" / "start.png")
    result = runner.invoke(app, ["replay", str(moved / "clips" / "a.mp4"), "-o", str(tmp_path / "x.mp4")])
    assert result.exit_code == 2
    assert f"start_image: {start} no longer exists; put it back at that path" in said(result)


def test_an_enhanced_video_moved_with_its_source_replays_from_the_source_beside_it(tmp_path: Path) -> None:
    from tests.cli.test_enhance_cli import _clip

    first = tmp_path / "first"
    first.mkdir()
    source, out = _clip(first / "in.mp4"), first / "out.mp4"
    lanczos = ["--upscale", "2", "--upscaler", "lanczos"]
    assert runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", *lanczos]).exit_code == 0
    moved = tmp_path / "moved"
    shutil.move(first, moved)
    again = tmp_path / "again.mp4"
    result = runner.invoke(app, ["replay", str(moved / "out.mp4"), "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert f"source: {source} no longer exists; using {moved / 'in.mp4'}, the same file" in said(result)
    first_frames, again_frames = frames(moved / "out.mp4"), frames(again)
    assert len(first_frames) == len(again_frames)
    assert all(np.array_equal(a, b) for a, b in zip(first_frames, again_frames, strict=True))


def test_an_enhanced_videos_source_gone_from_its_path_is_given_with_input(tmp_path: Path) -> None:
    from tests.cli.test_enhance_cli import _clip

    source, out = _clip(tmp_path / "in.mp4"), tmp_path / "out.mp4"
    lanczos = ["--upscale", "2", "--upscaler", "lanczos"]
    assert runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", *lanczos]).exit_code == 0
    kept = tmp_path / "archive" / "clip.mp4"
    kept.parent.mkdir()
    shutil.move(source, kept)
    refused = runner.invoke(app, ["replay", str(out), "-o", str(tmp_path / "x.mp4")])
    assert refused.exit_code == 2 and "say where it is now with --input source=FILE" in said(refused)
    again = tmp_path / "again.mp4"
    result = runner.invoke(app, ["replay", str(out), "--input", f"source={kept}", "-o", str(again)])
    assert result.exit_code == 0, result.output
    first, second = frames(out), frames(again)
    assert len(first) == len(second) and all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


def test_a_video_re_encoded_by_another_tool_names_its_sidecar(
    made: tuple[Path, Path], tmp_path: Path
) -> None:
    # An editor's export keeps the picture and drops reelgen's metadata; the sidecar beside it still has it.
    clip, _ = made
    video = tmp_path / "clip.mp4"
    with av.open(str(clip)) as source, av.open(str(video), "w") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for frame in source.decode(video=0):
            out.mux(stream.encode(frame.reformat(format="yuv420p")))
        out.mux(stream.encode())
    shutil.copy(clip.with_suffix(".json"), video.with_suffix(".json"))
    result = runner.invoke(app, ["replay", str(video)])
    assert result.exit_code == 2
    wanted = f"{video} carries no reelgen metadata (was it made by reelgen?); its sidecar holds the record:"
    assert f"{wanted} reelgen replay {video.with_suffix('.json')}" in said(result)
