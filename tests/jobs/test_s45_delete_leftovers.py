"""A deleted job whose files could not all be removed: said in the log, and removed at the next cleanup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reelgen.jobs import reconcile
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create


def test_files_a_delete_could_not_remove_are_said_and_swept_later(
    tmp_path: Path, store: JobStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    artifacts = Artifacts(tmp_path / "data")
    job = create(store)
    folder = artifacts.job_dir(job.id)
    folder.mkdir(parents=True)
    (folder / "video.mp4").write_bytes(b"\0" * 64)
    real = shutil.rmtree
    monkeypatch.setattr(shutil, "rmtree", lambda *args, **kwargs: None)  # a file another user owns
    store.delete(job.id, force=True)
    artifacts.delete(job.id)  # the API answered "deleted", and the log said nothing of the files left
    assert (
        f"cannot remove {folder} (outputs of {job.id}); tried again at the next cleanup pass" in caplog.text
    )

    monkeypatch.setattr(shutil, "rmtree", real)
    settings = JobSettings(data_dir=tmp_path / "data")
    assert reconcile.cleanup(store, artifacts, settings)["orphans"] == 1
    assert not folder.exists()
