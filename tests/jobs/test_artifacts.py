"""Outputs on disk: atomic folders named by server ids, the MP4 check, and retention cleanup."""

from __future__ import annotations

import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reelgen.core.encode import write_video
from reelgen.core.errors import GenerationFailed, InvalidRequest
from reelgen.core.types import Video
from reelgen.jobs import reconcile
from reelgen.jobs.artifacts import Artifacts, sent_name, verify_video
from reelgen.jobs.records import Job, JobNotFound, JobStatus
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request


def mp4(path: Path, frames: np.ndarray) -> bytes:
    write_video(Video(frames, Fraction(8)), path)
    return path.read_bytes()


def ramp(count: int = 5) -> np.ndarray:
    levels = np.linspace(60, 200, count, dtype=np.uint8)
    return np.broadcast_to(levels[:, None, None, None], (count, 32, 32, 3)).copy()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield store
    store.close()


def finished(store: JobStore, artifacts: Artifacts, tmp_path: Path) -> Job:
    job = create(store, request())
    claimed = store.claim_next("w", job_id=job.id)
    assert claimed is not None
    files = artifacts.save(job.id, claimed.token, {"video": mp4(tmp_path / f"{job.id}.mp4", ramp())})
    return store.complete(job.id, claimed.token, {"files": files})


def test_outputs_land_in_one_complete_folder_per_attempt(tmp_path: Path, store: JobStore) -> None:
    artifacts = Artifacts(tmp_path / "data")
    job = finished(store, artifacts, tmp_path)
    path = artifacts.path(job)
    assert path == artifacts.outputs / job.id / str(job.token) / "video.mp4"
    assert path is not None and path.read_bytes()[4:8] == b"ftyp"
    assert [p.name for p in (artifacts.outputs / job.id).iterdir()] == [str(job.token)]  # no partials
    assert artifacts.path(job, "thumbnail") is None  # not produced, not invented


def test_paths_never_leave_the_job_folder(tmp_path: Path, store: JobStore) -> None:
    artifacts = Artifacts(tmp_path / "data")
    secret = tmp_path / "secret.txt"
    secret.write_text("keep out")
    job = create(store, request())
    claimed = store.claim_next("w")
    assert claimed is not None
    forged = store.complete(job.id, claimed.token, {"files": {"video": str(secret)}})
    assert artifacts.path(forged) is None
    with pytest.raises(InvalidRequest):
        artifacts.job_dir("../../etc")
    with pytest.raises(InvalidRequest):
        artifacts.path(forged, "../../secret")


def test_uploaded_inputs_get_server_made_names_and_known_suffixes(tmp_path: Path) -> None:
    artifacts = Artifacts(tmp_path)
    saved = artifacts.save_input(b"\x89PNG...", ".PNG")
    assert saved.parent == artifacts.inputs and saved.suffix == ".png" and len(saved.stem) == 32
    with pytest.raises(InvalidRequest, match="not accepted"):
        artifacts.save_input(b"#!/bin/sh", ".sh")
    assert [p.name for p in artifacts.inputs.iterdir()] == [saved.name]


def test_the_mp4_check_counts_frames_and_refuses_black_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.mp4"
    mp4(good, ramp())
    assert verify_video(good, 5) == {"frames": 5, "width": 32, "height": 32, "fps": 8.0}
    with pytest.raises(GenerationFailed, match="has 5 frames; the job asked for 9"):
        verify_video(good, 9)
    frames = ramp()
    frames[2] = 0  # what NaN latents decode to
    bad = tmp_path / "bad.mp4"
    mp4(bad, frames)
    with pytest.raises(GenerationFailed, match=r"1 black frame\(s\) \(frames 2\)"):
        verify_video(bad, 5)
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video")
    with pytest.raises(GenerationFailed, match="could not be decoded"):
        verify_video(junk, 5)


def test_the_mp4_check_finds_black_frames_among_dark_ones_past_a_batch(tmp_path: Path) -> None:
    """Frames are screened by their luma plane; near-black and black frames anywhere in a clip longer
    than one decoded batch are still named, and a dim frame is not one."""
    frames = ramp(40)
    frames[3] = frames[35] = 0
    frames[10] = 2  # as good as black: no pixel above 4
    frames[20] = 12  # dim, not black
    frames[21, :, :16] = 0  # half black: a dark scene, not a broken one
    path = tmp_path / "dark.mp4"
    mp4(path, frames)
    with pytest.raises(GenerationFailed, match=r"3 black frame\(s\) \(frames 3, 10, 35\)"):
        verify_video(path, 40)


def test_retention_removes_old_outputs_and_unreferenced_old_records(tmp_path: Path, store: JobStore) -> None:
    artifacts = Artifacts(tmp_path / "data")
    settings = JobSettings(data_dir=tmp_path / "data", retention_days=7, record_retention_days=30)
    plain = finished(store, artifacts, tmp_path)
    remixed = finished(store, artifacts, tmp_path)
    remix = create(store, request("a remix"), remixed_from=remixed.id)  # keeps `remixed` referenced
    orphan = artifacts.job_dir("video_" + "0" * 32)  # a folder whose record never got written
    orphan.mkdir(parents=True)
    needed = artifacts.save_input(b"png", ".png")
    unused = artifacts.save_input(b"png", ".png")
    create(store, request("waits for its image", start_image=str(needed)))
    day = 86400.0

    assert reconcile.cleanup(store, artifacts, settings, now=time.time() + 3 * day) == {
        "outputs": 0,
        "records": 0,
        "orphans": 1,
        "inputs": 0,
        "scratch": 0,
    }
    assert artifacts.path(store.get(plain.id)) is not None and not orphan.exists()

    report = reconcile.cleanup(store, artifacts, settings, now=time.time() + 10 * day)
    assert (report["outputs"], report["inputs"]) == (2, 1)
    assert needed.is_file() and not unused.exists()
    assert store.get(plain.id).data_removed and artifacts.path(store.get(plain.id)) is None
    assert not (artifacts.outputs / plain.id).exists()
    assert store.get(remix.id).status is JobStatus.QUEUED  # queued work is never touched

    assert reconcile.cleanup(store, artifacts, settings, now=time.time() + 40 * day)["records"] == 1
    with pytest.raises(JobNotFound):
        store.get(plain.id)
    assert store.get(remixed.id).data_removed  # referenced by a remix: its record stays


def test_retention_of_zero_days_keeps_outputs_and_records(tmp_path: Path, store: JobStore) -> None:
    """0 means never, as each video object says (``expires_at`` null); it deleted all at once. Nor
    may the record's own retention take the outputs with it (they were swept as orphans)."""
    artifacts = Artifacts(tmp_path / "data")
    job = finished(store, artifacts, tmp_path)
    upload = artifacts.save_input(b"png", ".png")
    for records in (0, 30):
        settings = JobSettings(data_dir=tmp_path / "data", retention_days=0, record_retention_days=records)
        report = reconcile.cleanup(store, artifacts, settings, now=time.time() + 400 * 86400.0)
        assert report == {"outputs": 0, "records": 0, "orphans": 0, "inputs": 0, "scratch": 0}
        assert artifacts.path(store.get(job.id)) is not None and upload.is_file()


def test_an_upload_is_stored_with_the_file_name_it_was_sent_under_when_that_is_safe(tmp_path: Path) -> None:
    """The record of a server's clip names an upload by that name (``sent_name``), never the server's path."""
    artifacts = Artifacts(tmp_path)
    named = {
        "fox.png": "fox.png",
        "C:\\Users\\me\\photo.png": "photo.png",  # a browser on Windows may send the whole path
        "https://example.com/img/my%20cat.png?size=big": "my cat.png",
        ".hidden.png": "start_image.png",  # not made a hidden file
        "clip.gif": "start_image.png",  # named as another kind of file than it holds
        "data:image/png;base64,AAAA": "start_image.png",
        None: "start_image.png",
    }
    for sent, said in named.items():
        path = artifacts.save_input(b"png", ".png", sent)
        assert path.parent == artifacts.inputs and path.read_bytes() == b"png"
        assert sent_name("start_image", str(path)) == said
    jpeg = artifacts.save_input(b"jpg", ".jpg", "photo.jpeg")  # JPEG data, the usual other suffix
    assert sent_name("start_image", str(jpeg)) == "photo.jpeg"
    # The server names a video by its container family: Matroska as .webm, QuickTime as .mp4.
    for sent, suffix in (("trip.mkv", ".webm"), ("phone.MOV", ".mp4"), ("trip.webm", ".webm")):
        video = artifacts.save_input(b"video", suffix, sent)
        assert sent_name("source_video", str(video)) == sent
    own = tmp_path / "mine" / "fox.png"
    assert sent_name("start_image", str(own)) == str(own)  # a file the request named itself keeps its path
