"""A SQLite job database named by --database-url lies in a folder made for its owner alone, as the data folder does."""

from __future__ import annotations

import stat
from pathlib import Path

from reelgen.jobs.db import connect


def test_a_new_database_folder_is_closed_to_other_accounts(tmp_path: Path) -> None:
    # It was made 0755 with a 0644 jobs.db in it: any account could read every prompt and webhook URL.
    folder = tmp_path / "db" / "reelgen"
    connect(f"sqlite:///{folder / 'jobs.db'}").dispose()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_folder_already_there_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o750)
    shared.chmod(0o750)
    connect(f"sqlite:///{shared / 'jobs.db'}").dispose()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o750
