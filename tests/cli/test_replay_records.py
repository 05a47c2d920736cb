"""``reelgen replay`` of records that are not quite the ones reelgen wrote: other versions, edits by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen import __version__
from reelgen.cli import app

runner = CliRunner()


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sidecar of one small clip, as reelgen wrote it."""
    out = tmp_path_factory.mktemp("made") / "clip.mp4"
    made = runner.invoke(app, ["generate", "waves", "-m", "ltx-tiny", "--seed", "4", "-o", str(out), "-q"])
    assert made.exit_code == 0, made.output
    return dict(json.loads(out.with_suffix(".json").read_text()))


def edited(record: dict[str, Any], folder: Path, **changes: Any) -> Path:
    """A copy of ``record`` with top-level keys replaced (``request`` merged field by field)."""
    copy = json.loads(json.dumps(record))
    copy["request"].update(changes.pop("request", {}))
    copy.update(changes)
    path = folder / "edited.json"
    path.write_text(json.dumps(copy))
    return path


def test_a_record_made_with_other_library_versions_replays_with_a_warning(
    record: dict[str, Any], tmp_path: Path
) -> None:
    versions = {**record["versions"], "torch": "2.1.0", "diffusers": "0.30.0"}
    out = tmp_path / "again.mp4"
    result = runner.invoke(app, ["replay", str(edited(record, tmp_path, versions=versions)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    # The frames match only on the same versions (README); the user is told why they may not.
    assert f"torch 2.1.0 -> {record['versions']['torch']}" in said(result)
    assert "diffusers 0.30.0 ->" in said(result) and "the frames may differ" in said(result)
    assert out.is_file()


def test_a_replay_on_the_same_versions_gives_no_version_warning(
    record: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "same.mp4"
    result = runner.invoke(app, ["replay", str(edited(record, tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "other versions" not in said(result)


def test_an_unknown_model_written_in_by_hand_is_named(record: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "never.mp4"
    result = runner.invoke(
        app, ["replay", str(edited(record, tmp_path, request={"model": "ltx-giant"})), "-o", str(out)]
    )
    assert result.exit_code == 2
    # The model, not one of its options ("request.decode_noise_scale is not a known field").
    assert "asks for model 'ltx-giant', which this reelgen does not have" in said(result)
    assert "decode_noise_scale" not in said(result)
    assert "Traceback" not in result.output and not out.exists()


def test_a_video_of_a_plugin_family_not_installed_here_says_so(
    record: dict[str, Any], tmp_path: Path
) -> None:
    # It said "this reelgen (0.1.0) made it, so it was edited or damaged since": untrue of a plugin's video.
    model = {**record["model"], "name": "latte-1", "family": "latte"}
    source = edited(record, tmp_path, request={"model": "latte-1"}, model=model)
    result = runner.invoke(app, ["replay", str(source), "-o", str(tmp_path / "never.mp4")])
    assert result.exit_code == 2
    assert said(result).endswith(
        "asks for model 'latte-1', which this reelgen does not have (`reelgen models` lists its models); "
        "its family 'latte' is not installed here (a plugin adds it)"
    )


def test_a_hand_edit_is_not_blamed_on_another_version(record: dict[str, Any], tmp_path: Path) -> None:
    result = runner.invoke(app, ["replay", str(edited(record, tmp_path, request={"steps": -1}))])
    assert result.exit_code == 2
    assert "request.steps: Input should be greater than 0" in said(result)
    assert f"this reelgen ({__version__}) made it, so it was edited or damaged since" in said(result)
    assert "another version" not in said(result)


def test_a_record_from_a_newer_reelgen_says_which(record: dict[str, Any], tmp_path: Path) -> None:
    path = edited(record, tmp_path, reelgen="9.0.0", request={"lip_style": "bold"})
    result = runner.invoke(app, ["replay", str(path)])
    assert result.exit_code == 2
    assert "request.lip_style is not a known field" in said(result)
    assert f"it was made by reelgen 9.0.0; this is {__version__}" in said(result)


def test_an_image_to_video_record_without_its_image_is_refused_as_generate_refuses_it(
    record: dict[str, Any], tmp_path: Path
) -> None:
    # It replayed: the tiny model made a video from the prompt alone, as if asked for t2v.
    out = tmp_path / "never.mp4"
    path = edited(record, tmp_path, request={"task": "i2v", "start_image": None})
    result = runner.invoke(app, ["replay", str(path), "-o", str(out)])
    assert result.exit_code == 2
    wanted = "holds a request that cannot be made: task i2v needs a start image (start_image)"
    assert f"{path} {wanted}" in said(result)
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.parametrize(
    ("options", "said_as"),
    [
        ({"speed": 2}, "request.options.speed is not a known field"),
        ({"decode_timestep": "high"}, "request.options.decode_timestep: 'high' is not a number"),
        (
            {"decode_timestep": True},
            "request.options.decode_timestep: true is not a number; give a number from 0 to 1",
        ),
    ],
)
def test_a_bad_option_is_named_where_the_record_holds_it(
    record: dict[str, Any], tmp_path: Path, options: dict[str, Any], said_as: str
) -> None:
    # "request.speed is not a known field": there is no such field; the record's options hold it.
    path = edited(record, tmp_path, request={"options": {**record["request"]["options"], **options}})
    result = runner.invoke(app, ["replay", str(path)])
    assert result.exit_code == 2
    assert said_as in said(result), said(result)


@pytest.mark.parametrize(
    ("changes", "said_as"),
    [
        ({"seed": True}, "request.seed: true is not a number; give a whole number from 0 to"),
        ({"width": False}, "request.width: false is not a number; give a whole number from 1 to 16384"),
        ({"steps": 10**9}, "request.steps: Input should be less than or equal to 1000"),
        ({"guidance": float("inf")}, "request.guidance: inf is not a finite number"),
    ],
)
def test_a_number_a_new_request_could_not_hold_is_refused(
    record: dict[str, Any], tmp_path: Path, changes: dict[str, Any], said_as: str
) -> None:
    # `"seed": true` replayed as seed 1; steps 10**9 ran for ever; guidance Infinity rendered NaN.
    result = runner.invoke(app, ["replay", str(edited(record, tmp_path, request=changes))])
    assert result.exit_code == 2
    assert said_as in said(result) and "cannot replay" in said(result)


def test_a_replay_over_the_video_it_replays_is_refused_and_leaves_it(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    made = runner.invoke(app, ["generate", "waves", "-m", "ltx-tiny", "--seed", "4", "-o", str(clip), "-q"])
    assert made.exit_code == 0, made.output
    before = clip.read_bytes(), clip.with_suffix(".json").read_bytes()
    for replayed in (clip, clip.with_suffix(".json")):  # the video, or its sidecar with -o the video
        result = runner.invoke(app, ["replay", str(replayed), "-o", str(clip), "-q"])
        assert result.exit_code == 2
        assert f"output {clip} is the video being replayed; give another file name" in said(result)
    assert (clip.read_bytes(), clip.with_suffix(".json").read_bytes()) == before


def test_a_video_to_video_output_over_its_own_source_is_refused(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    made = runner.invoke(
        app, ["generate", "waves", "-m", "animatediff-tiny", "--frames", "8", "-o", str(clip), "-q"]
    )
    assert made.exit_code == 0, made.output
    before = clip.read_bytes()
    args = [
        "generate",
        "waves",
        "-m",
        "animatediff-tiny",
        "--video",
        str(clip),
        "--steps",
        "4",
        "-o",
        str(clip),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert f"output {clip} is one of the request's inputs (--video); give another file name" in said(result)
    assert clip.read_bytes() == before
