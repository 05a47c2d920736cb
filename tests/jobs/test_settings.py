"""Where jobs live: the platform's data directory, not a cache; REELGEN_HOME and REELGEN_DATA_DIR still move it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore


@pytest.fixture
def no_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A user with no REELGEN_HOME, whose home folder is ``tmp_path``."""
    monkeypatch.delenv("REELGEN_HOME", raising=False)
    monkeypatch.delenv("REELGEN_DATA_DIR", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux folder names")
def test_jobs_live_in_the_data_directory_not_in_a_cache(no_home: Path) -> None:
    data_dir = JobSettings().data_dir
    assert data_dir == no_home / ".local" / "share" / "reelgen" / "jobs"
    assert ".cache" not in data_dir.parts
    store = JobStore(JobSettings().resolved_database_url())
    store.close()
    assert (data_dir / "jobs.db").is_file()


def test_xdg_data_home_reelgen_home_and_data_dir_move_it(
    no_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if sys.platform == "linux":
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert JobSettings().data_dir == tmp_path / "xdg" / "reelgen" / "jobs"
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "home"))
    assert JobSettings().data_dir == tmp_path / "home" / "jobs"
    monkeypatch.setenv("REELGEN_DATA_DIR", str(tmp_path / "elsewhere"))
    assert JobSettings().data_dir == tmp_path / "elsewhere"


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux folder names")
def test_a_store_left_in_the_old_cache_folder_is_still_found(
    no_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = no_home / ".cache" / "reelgen" / "jobs"
    old.mkdir(parents=True)
    JobStore(f"sqlite:///{old / 'jobs.db'}").close()
    assert JobSettings().data_dir == old
    assert (
        "move it to" in caplog.text and str(no_home / ".local" / "share" / "reelgen" / "jobs") in caplog.text
    )
