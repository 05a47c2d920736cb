"""The data folder is kept as an absolute path, so what the store records names the same files from anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.settings import JobSettings


def test_a_relative_data_folder_records_paths_that_still_hold_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``REELGEN_DATA_DIR=data`` stored uploads as ``data/inputs/...``: a server started again from
    another folder (with the same folder given whole) found none of them, nor any output."""
    (tmp_path / "srv").mkdir()
    monkeypatch.chdir(tmp_path / "srv")
    monkeypatch.setenv("REELGEN_DATA_DIR", "data")
    upload = Artifacts(JobSettings().data_dir).save_input(b"png", ".png")
    assert upload.is_absolute() and upload.parent == tmp_path / "srv" / "data" / "inputs"
    monkeypatch.chdir(tmp_path)
    assert upload.is_file()


def test_a_home_folder_named_with_a_tilde_is_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A unit file's REELGEN_DATA_DIR=~/reelgen (no shell to expand it) made a folder named "~" wherever
    # the server started.
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    monkeypatch.setenv("REELGEN_DATA_DIR", "~/reelgen")
    assert JobSettings().data_dir == tmp_path / "me" / "reelgen"
