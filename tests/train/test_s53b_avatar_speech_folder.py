"""`python -m reelgen.train.avatar_speech FOLDER` refuses a folder it cannot write into, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.train import avatar_speech


@pytest.fixture(autouse=True)
def _no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    def make_dataset(folder: str) -> None:
        raise AssertionError(f"the material was made in {folder}")

    monkeypatch.setattr(avatar_speech, "make_dataset", make_dataset)


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        avatar_speech.main(argv)
    assert exit_.value.code == 2
    return capsys.readouterr().err


def test_a_file_as_the_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # It was a FileExistsError traceback.
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    said = _refused([str(notes)], capsys)
    assert f"error: folder {notes} is a file; give the folder the training material goes into" in said
    assert notes.read_text() == "hello"


def test_a_folder_under_a_file_or_empty_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert f"{notes} is a file, not a folder" in _refused([str(notes / "data")], capsys)
    # An unset shell variable: it was read as the current folder.
    assert "argument folder: it is empty" in _refused([""], capsys)
