"""A batch's output_dir that is a file, or lies under one, is refused naming that folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.batch import Manifest, run_batch
from reelgen.core.errors import InvalidRequest


@pytest.mark.parametrize(
    ("output_dir", "said"),
    [
        ("notes.txt", "output_dir {base}/notes.txt is a file, not a folder; give a folder for the outputs"),
        ("notes.txt/a", "output_dir {base}/notes.txt/a: {base}/notes.txt is a file, not a folder"),
    ],
)
def test_an_output_dir_through_a_file_is_said_of_the_folder(
    tmp_path: Path, output_dir: str, said: str
) -> None:
    # It was said of FOLDER/batch-summary.json, a file no one named, with "give a path in a folder".
    (tmp_path / "notes.txt").write_text("mine")
    batch = Manifest.model_validate(
        {"defaults": {"model": "ken-burns", "output_dir": output_dir}, "items": [{"output": "a"}]}
    )
    with pytest.raises(InvalidRequest) as caught:
        run_batch(batch, base_dir=tmp_path)
    assert caught.value.message.startswith(said.format(base=tmp_path.resolve()))
    assert "batch-summary" not in caught.value.message
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_folder_named_as_the_summary_is_said_to_be_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "outputs" / "batch-summary.json").mkdir(parents=True)
    batch = Manifest.model_validate({"defaults": {"model": "ken-burns"}, "items": [{"output": "a"}]})
    with pytest.raises(
        InvalidRequest, match="reelgen keeps a file of that name there: move or remove the folder"
    ):
        run_batch(batch, base_dir=tmp_path)


def test_a_file_named_motion_frames_is_refused_before_any_item(tmp_path: Path) -> None:
    # Every item with a camera path failed as "internal error (FileExistsError ...)".
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "motion-frames").write_text("mine")
    batch = Manifest.model_validate({"defaults": {"model": "ken-burns"}, "items": [{"output": "a"}]})
    with pytest.raises(InvalidRequest, match="motion-frames is a file, and the batch keeps camera paths'"):
        run_batch(batch, base_dir=tmp_path)
    assert (tmp_path / "outputs" / "motion-frames").read_text() == "mine"
