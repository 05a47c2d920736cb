"""Retention of uploads: an input stays as long as the video made from it is kept."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.jobs import reconcile
from reelgen.jobs.artifacts import Artifacts
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
