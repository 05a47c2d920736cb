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
