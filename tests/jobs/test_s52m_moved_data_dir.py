"""A data folder moved while the server was stopped still serves the videos it holds."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.records import Job, JobStatus

JOB_ID = "video_" + "a" * 32


def _completed(files: dict[str, str]) -> Job:
    now = time.time()
    return Job(
        id=JOB_ID,
        status=JobStatus.COMPLETED,
        model="ltx-tiny",
        prompt="a fox",
        payload={},
        priority=0,
        created_at=now,
        updated_at=now,
        completed_at=now,
        result={"files": files},
    )


def test_a_video_recorded_at_the_old_folder_is_served_from_the_new_one(tmp_path: Path) -> None:
    # The record keeps each output's full path: after `mv old new` and `serve --data-dir new`,
    # download answered 404 "its file is no longer in the server's outputs (deleted outside reelgen)".
    old, new = tmp_path / "old", tmp_path / "new place"
    files = Artifacts(old).save(JOB_ID, 1, {"video": b"mp4 bytes", "thumbnail": b"png"})
    shutil.move(old, new)
    job = _completed(files)
    moved = Artifacts(new)
    video = moved.path(job, "video")
    assert video is not None and video.read_bytes() == b"mp4 bytes"
    assert new in video.parents


def test_a_recorded_path_climbing_out_of_the_job_folder_is_still_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.mp4"
    outside.write_bytes(b"not yours")
    job = _completed(
        {"video": str(tmp_path / "gone" / "outputs" / JOB_ID / ".." / ".." / ".." / "secret.mp4")}
    )
    assert Artifacts(tmp_path / "data").path(job, "video") is None
