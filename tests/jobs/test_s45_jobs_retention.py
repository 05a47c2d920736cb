"""Retention of uploads: an input stays as long as the video made from it is kept."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.jobs import reconcile
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.records import Job
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request

DAY = 86400.0


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield store
    store.close()


def test_the_image_of_a_video_still_kept_stays_however_long_ago_it_was_uploaded(
    tmp_path: Path, store: JobStore
) -> None:
    """An upload's age counted from when it came: an image that waited 9 days in a queue went at the
    next pass after its video was made, while the video (and remixing it) was kept for 7 days more."""
    artifacts = Artifacts(tmp_path / "data")
    settings = JobSettings(data_dir=tmp_path / "data", retention_days=7)
    image = artifacts.save_input(b"png", ".png")
    stamp = time.time() - 9 * DAY
    os.utime(image, (stamp, stamp))  # uploaded 9 days ago, the job ran only now
    job = create(store, request("from its image", start_image=str(image)))
    claimed = store.claim_next("w", job_id=job.id)
    assert claimed is not None
    store.complete(job.id, claimed.token, {"files": {}})

    report = reconcile.cleanup(store, artifacts, settings, now=time.time() + 2 * DAY)
    assert (report["outputs"], report["inputs"]) == (0, 0)
    assert image.is_file()

    report = reconcile.cleanup(store, artifacts, settings, now=time.time() + 8 * DAY)
    assert (report["outputs"], report["inputs"]) == (1, 1)  # its video went, and the image with it
    assert not image.exists()


def test_an_upload_that_cannot_be_removed_is_said_and_the_pass_goes_on(
    tmp_path: Path, store: JobStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """One file it could not remove (another user's) ended the whole pass with a traceback, every hour:
    the uploads after it and every left-behind scratch folder stayed for good."""
    artifacts = Artifacts(tmp_path / "data")
    settings = JobSettings(data_dir=tmp_path / "data", retention_days=7)
    stuck, other = artifacts.save_input(b"png", ".png"), artifacts.save_input(b"png", ".png")
    left = tmp_path / "data" / "scratch" / "host@boot.1-999999" / "worker-0" / f"video_{'a' * 32}-x1"
    left.mkdir(parents=True)
    real = Path.unlink

    def unlink(path: Path, missing_ok: bool = False) -> None:
        if path == stuck:
            raise PermissionError(1, "Operation not permitted", str(path))
        real(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    report = reconcile.cleanup(store, artifacts, settings, now=time.time() + 8 * DAY)
    assert (report["inputs"], report["scratch"]) == (1, 1)
    assert stuck.is_file() and not other.exists() and not left.exists()
    assert f"cannot remove the old upload {stuck} (" in caplog.text


def test_the_videos_of_another_database_sharing_the_data_folder_are_not_taken_for_orphans(
    tmp_path: Path,
) -> None:
    """A second server on its own database (PostgreSQL tried beside the SQLite one) with the same
    data folder: each pass deleted every video of the other, as folders no record named."""
    data = tmp_path / "data"
    artifacts = Artifacts(data)
    settings = JobSettings(data_dir=data, retention_days=7)
    mine, theirs = (JobStore(f"sqlite:///{tmp_path / name}") for name in ("mine.db", "theirs.db"))
    try:
        kept, dropped = (_finished_with_video(store, artifacts) for store in (theirs, mine))
        mine.delete(dropped.id, force=True)  # its files outlived the record (a crash between the two)

        report = reconcile.cleanup(mine, artifacts, settings)
        assert report["orphans"] == 1
        assert (artifacts.outputs / kept.id).is_dir() and not (artifacts.outputs / dropped.id).exists()
    finally:
        mine.close()
        theirs.close()


def _finished_with_video(store: JobStore, artifacts: Artifacts) -> Job:
    job = create(store, request())
    claimed = store.claim_next("w", job_id=job.id)
    assert claimed is not None
    files = artifacts.save(job.id, claimed.token, {"video": b"an mp4"})
    return store.complete(job.id, claimed.token, {"files": files})


def test_outputs_that_cannot_be_removed_are_said_and_not_recorded_as_removed(
    tmp_path: Path, store: JobStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """They were recorded as removed all the same: the video said 'files removed' while the disk kept
    them for good, and the log said nothing."""
    import shutil

    artifacts = Artifacts(tmp_path / "data")
    settings = JobSettings(data_dir=tmp_path / "data", retention_days=7)
    job = _finished_with_video(store, artifacts)
    real = shutil.rmtree
    monkeypatch.setattr(shutil, "rmtree", lambda *args, **kwargs: None)  # a file another user owns

    assert reconcile.cleanup(store, artifacts, settings, now=time.time() + 8 * DAY)["outputs"] == 0
    assert not store.get(job.id).data_removed
    assert f"cannot remove {artifacts.outputs / job.id} (outputs of {job.id})" in caplog.text

    monkeypatch.setattr(shutil, "rmtree", real)
    assert reconcile.cleanup(store, artifacts, settings, now=time.time() + 8 * DAY)["outputs"] == 1
    assert store.get(job.id).data_removed and not (artifacts.outputs / job.id).exists()
